# Told before citizens notice: log-based metrics over what the functions already log, and alert policies that
# e-mail the office's IT contact (var.it_contact_email). Each policy's documentation says what to do first.

locals {
  webhook_service = google_cloudfunctions2_function.function["whatsapp_webhook"].name
  sweep_service   = google_cloudfunctions2_function.function["reminder_sweep"].name
  # Meta's error codes (see docs/DEPLOY.md, "Alerts"): template problems, and the number's quality and limits.
  template_codes = "132000|132001|132005|132007|132012|132015|132016"
  quality_codes  = "131048|131049|131056|130429|131031|368"
}

resource "google_monitoring_notification_channel" "it_contact" {
  project      = var.project_id
  display_name = "Jaring IT contact"
  type         = "email"
  labels = {
    email_address = var.it_contact_email
  }

  depends_on = [google_project_service.apis]
}

# Each kind of trouble: the log-based metric that counts it (a count of matching lines, or with an extractor a
# distribution of a number taken from them) and the alert on it.
locals {
  run_logs     = "resource.type=\"cloud_run_revision\""
  webhook_logs = "${local.run_logs} AND resource.labels.service_name=\"${local.webhook_service}\""
  sweep_logs   = "${local.run_logs} AND resource.labels.service_name=\"${local.sweep_service}\""
  sweep_lines  = "${local.sweep_logs} AND jsonPayload.message=~\"^reminder sweep: \""
  jaring_logs  = "${local.run_logs} AND jsonPayload.logger=~\"^jaring\""

  alerts = {
    webhook_5xx = {
      title       = "Jaring: the WhatsApp webhook answers errors"
      description = "Webhook requests answered 5xx: Meta retries them, and citizens wait."
      filter      = "${local.webhook_logs} AND httpRequest.status>=500"
      extractor   = null
      aligner     = "ALIGN_SUM"
      threshold   = var.alert_webhook_5xx_per_5min
      doc         = "The webhook answered 5xx more than the threshold in 5 minutes. Meta retries, but citizens wait. Read the whatsapp-webhook logs; docs/DEPLOY.md, 'Alerts'."
    }
    sweep_trouble = {
      title       = "Jaring: a reminder sweep failed or ran out of time"
      description = "A reminder sweep that failed (error, 5xx) or ran out of its time budget with work left."
      filter      = "${local.sweep_logs} AND (severity>=ERROR OR httpRequest.status>=500 OR jsonPayload.message=~\"'stopped_early': True\")"
      extractor   = null
      aligner     = "ALIGN_SUM"
      threshold   = 0
      doc         = "A sweep failed or stopped early with work left: reminders, escalations and retries are late. Read the reminder-sweep logs; docs/DEPLOY.md, 'Alerts'."
    }
    outbox_failed = {
      title       = "Jaring: messages failed for good"
      description = "Outbound messages a sweep found failed for good (from its summary line)."
      filter      = local.sweep_lines
      extractor   = "REGEXP_EXTRACT(jsonPayload.message, \"'outbox_retry': \\\\{[^}]*'failed': (\\\\d+)\")"
      aligner     = "ALIGN_PERCENTILE_99"
      threshold   = var.alert_outbox_failed
      doc         = "More outbound messages failed in one sweep than the threshold. Check the token and Meta's status page; `python -m jaring outbox retry --now` after a fix."
    }
    outbox_waiting = {
      title       = "Jaring: messages waiting for another try"
      description = "Outbound messages a sweep left waiting for another try (from its summary line)."
      filter      = local.sweep_lines
      extractor   = "REGEXP_EXTRACT(jsonPayload.message, \"'outbox_retry': \\\\{[^}]*'retry': (\\\\d+)\")"
      aligner     = "ALIGN_PERCENTILE_99"
      threshold   = var.alert_outbox_waiting
      doc         = "More outbound messages waited for a retry in one sweep than the threshold: Meta or the network is failing."
    }
    template_rejected = {
      title       = "Jaring: Meta refuses a message template"
      description = "Meta refused a template message (not approved, paused, disabled, wrong parameters)."
      filter      = "${local.jaring_logs} AND jsonPayload.message=~\"code'?:? (${local.template_codes})\\\\b\""
      extractor   = null
      aligner     = "ALIGN_SUM"
      threshold   = 0
      doc         = "A template was refused (not approved, paused or disabled): invitations, reminders or staff alerts are not going out. Check WhatsApp Manager; `python -m jaring templates check`."
    }
    number_quality = {
      title       = "Jaring: Meta limits the office's number"
      description = "Meta limits the office's number: pair or spam rate limits, low engagement, throughput, a block."
      filter      = "${local.jaring_logs} AND jsonPayload.message=~\"code'?:? (${local.quality_codes})\\\\b\""
      extractor   = null
      aligner     = "ALIGN_SUM"
      threshold   = 0
      doc         = "Meta reported a quality or rate limit on the number (pair or spam limits, low engagement, a block). Pause reminders (`python -m jaring nudges pause`) and check the quality rating in WhatsApp Manager."
    }
  }
}

resource "google_logging_metric" "metric" {
  for_each = local.alerts

  project         = var.project_id
  name            = "jaring/${each.key}"
  description     = each.value.description
  filter          = each.value.filter
  value_extractor = each.value.extractor
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = each.value.extractor == null ? "INT64" : "DISTRIBUTION"
    unit        = "1"
  }
  dynamic "bucket_options" {
    for_each = each.value.extractor == null ? [] : [each.key]
    content {
      exponential_buckets {
        num_finite_buckets = 16
        growth_factor      = 2
        scale              = 1
      }
    }
  }
}

# The metrics were one resource each before; their state moves, nothing is recreated.
moved {
  from = google_logging_metric.webhook_5xx
  to   = google_logging_metric.metric["webhook_5xx"]
}
moved {
  from = google_logging_metric.sweep_trouble
  to   = google_logging_metric.metric["sweep_trouble"]
}
moved {
  from = google_logging_metric.outbox_failed
  to   = google_logging_metric.metric["outbox_failed"]
}
moved {
  from = google_logging_metric.outbox_waiting
  to   = google_logging_metric.metric["outbox_waiting"]
}
moved {
  from = google_logging_metric.template_rejected
  to   = google_logging_metric.metric["template_rejected"]
}
moved {
  from = google_logging_metric.number_quality
  to   = google_logging_metric.metric["number_quality"]
}

resource "google_monitoring_alert_policy" "alert" {
  for_each = local.alerts

  project               = var.project_id
  display_name          = each.value.title
  combiner              = "OR"
  notification_channels = [google_monitoring_notification_channel.it_contact.id]

  conditions {
    display_name = each.value.title
    condition_threshold {
      filter          = "${local.run_logs} AND metric.type=\"logging.googleapis.com/user/${google_logging_metric.metric[each.key].name}\""
      comparison      = "COMPARISON_GT"
      threshold_value = each.value.threshold
      duration        = "0s"
      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = each.value.aligner
        cross_series_reducer = "REDUCE_MAX"
      }
      trigger {
        count = 1
      }
    }
  }

  alert_strategy {
    auto_close = "86400s"
  }

  documentation {
    content   = each.value.doc
    mime_type = "text/markdown"
  }
}
