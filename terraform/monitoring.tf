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

resource "google_logging_metric" "webhook_5xx" {
  project     = var.project_id
  name        = "jaring/webhook_5xx"
  description = "Webhook requests answered 5xx: Meta retries them, and citizens wait."
  filter      = "resource.type=\"cloud_run_revision\" AND resource.labels.service_name=\"${local.webhook_service}\" AND httpRequest.status>=500"
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
  }
}

resource "google_logging_metric" "sweep_trouble" {
  project     = var.project_id
  name        = "jaring/sweep_trouble"
  description = "A reminder sweep that failed (error, 5xx) or ran out of its time budget with work left."
  filter      = "resource.type=\"cloud_run_revision\" AND resource.labels.service_name=\"${local.sweep_service}\" AND (severity>=ERROR OR httpRequest.status>=500 OR jsonPayload.message=~\"'stopped_early': True\")"
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
  }
}

resource "google_logging_metric" "outbox_failed" {
  project         = var.project_id
  name            = "jaring/outbox_failed"
  description     = "Outbound messages a sweep found failed for good (from its summary line)."
  filter          = "resource.type=\"cloud_run_revision\" AND resource.labels.service_name=\"${local.sweep_service}\" AND jsonPayload.message=~\"^reminder sweep: \""
  value_extractor = "REGEXP_EXTRACT(jsonPayload.message, \"'outbox_retry': \\\\{[^}]*'failed': (\\\\d+)\")"
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "DISTRIBUTION"
    unit        = "1"
  }
  bucket_options {
    exponential_buckets {
      num_finite_buckets = 16
      growth_factor      = 2
      scale              = 1
    }
  }
}

resource "google_logging_metric" "outbox_waiting" {
  project         = var.project_id
  name            = "jaring/outbox_waiting"
  description     = "Outbound messages a sweep left waiting for another try (from its summary line)."
  filter          = "resource.type=\"cloud_run_revision\" AND resource.labels.service_name=\"${local.sweep_service}\" AND jsonPayload.message=~\"^reminder sweep: \""
  value_extractor = "REGEXP_EXTRACT(jsonPayload.message, \"'outbox_retry': \\\\{[^}]*'retry': (\\\\d+)\")"
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "DISTRIBUTION"
    unit        = "1"
  }
  bucket_options {
    exponential_buckets {
      num_finite_buckets = 16
      growth_factor      = 2
      scale              = 1
    }
  }
}

resource "google_logging_metric" "template_rejected" {
  project     = var.project_id
  name        = "jaring/template_rejected"
  description = "Meta refused a template message (not approved, paused, disabled, wrong parameters)."
  filter      = "resource.type=\"cloud_run_revision\" AND jsonPayload.logger=~\"^jaring\" AND jsonPayload.message=~\"code'?:? (${local.template_codes})\\\\b\""
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
  }
}

resource "google_logging_metric" "number_quality" {
  project     = var.project_id
  name        = "jaring/number_quality"
  description = "Meta limits the office's number: pair or spam rate limits, low engagement, throughput, a block."
  filter      = "resource.type=\"cloud_run_revision\" AND jsonPayload.logger=~\"^jaring\" AND jsonPayload.message=~\"code'?:? (${local.quality_codes})\\\\b\""
  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
  }
}

locals {
  alerts = {
    webhook_5xx = {
      title     = "Jaring: the WhatsApp webhook answers errors"
      metric    = google_logging_metric.webhook_5xx.name
      aligner   = "ALIGN_SUM"
      threshold = var.alert_webhook_5xx_per_5min
      doc       = "The webhook answered 5xx more than the threshold in 5 minutes. Meta retries, but citizens wait. Read the whatsapp-webhook logs; docs/DEPLOY.md, 'Alerts'."
    }
    sweep_trouble = {
      title     = "Jaring: a reminder sweep failed or ran out of time"
      metric    = google_logging_metric.sweep_trouble.name
      aligner   = "ALIGN_SUM"
      threshold = 0
      doc       = "A sweep failed or stopped early with work left: reminders, escalations and retries are late. Read the reminder-sweep logs; docs/DEPLOY.md, 'Alerts'."
    }
    outbox_failed = {
      title     = "Jaring: messages failed for good"
      metric    = google_logging_metric.outbox_failed.name
      aligner   = "ALIGN_PERCENTILE_99"
      threshold = var.alert_outbox_failed
      doc       = "More outbound messages failed in one sweep than the threshold. Check the token and Meta's status page; `python -m jaring outbox retry --now` after a fix."
    }
    outbox_waiting = {
      title     = "Jaring: messages waiting for another try"
      metric    = google_logging_metric.outbox_waiting.name
      aligner   = "ALIGN_PERCENTILE_99"
      threshold = var.alert_outbox_waiting
      doc       = "More outbound messages waited for a retry in one sweep than the threshold: Meta or the network is failing."
    }
    template_rejected = {
      title     = "Jaring: Meta refuses a message template"
      metric    = google_logging_metric.template_rejected.name
      aligner   = "ALIGN_SUM"
      threshold = 0
      doc       = "A template was refused (not approved, paused or disabled): invitations, reminders or staff alerts are not going out. Check WhatsApp Manager; `python -m jaring templates check`."
    }
    number_quality = {
      title     = "Jaring: Meta limits the office's number"
      metric    = google_logging_metric.number_quality.name
      aligner   = "ALIGN_SUM"
      threshold = 0
      doc       = "Meta reported a quality or rate limit on the number (pair or spam limits, low engagement, a block). Pause reminders (`python -m jaring nudges pause`) and check the quality rating in WhatsApp Manager."
    }
  }
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
      filter          = "resource.type=\"cloud_run_revision\" AND metric.type=\"logging.googleapis.com/user/${each.value.metric}\""
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
