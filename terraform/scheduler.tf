resource "google_cloud_scheduler_job" "reminder_sweep" {
  name        = "jaring-reminder-sweep"
  description = "Runs reminder_sweep: due nudges and outbox retries."
  region      = var.region
  schedule    = var.sweep_schedule
  time_zone   = var.sweep_time_zone
  # A little longer than the function's own timeout, so Scheduler never retries a run still going.
  attempt_deadline = "${local.functions.reminder_sweep.timeout + 20}s"

  # One retry for a cold start or a 5xx, finished well before the next scheduled run; the sweep is
  # idempotent (leases and deterministic ids), so a duplicate delivery does no harm.
  retry_config {
    retry_count          = 1
    min_backoff_duration = "30s"
    max_backoff_duration = "120s"
    max_retry_duration   = "600s"
  }

  http_target {
    http_method = "POST"
    uri         = google_cloudfunctions2_function.function["reminder_sweep"].service_config[0].uri
    body        = base64encode("{}")
    headers = {
      "Content-Type" = "application/json"
    }

    oidc_token {
      service_account_email = google_service_account.scheduler.email
      audience              = google_cloudfunctions2_function.function["reminder_sweep"].service_config[0].uri
    }
  }

  depends_on = [google_cloud_run_service_iam_member.sweep_invoker]
}
