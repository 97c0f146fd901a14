output "whatsapp_webhook_url" {
  description = "Paste into Meta App Dashboard > WhatsApp > Configuration > Callback URL (with WHATSAPP_VERIFY_TOKEN as the Verify token)."
  value       = google_cloudfunctions2_function.function["whatsapp_webhook"].service_config[0].uri
}

output "form_submit_url" {
  description = "URL the Google Forms Apps Script posts answers to (docs/forms/)."
  value       = google_cloudfunctions2_function.function["form_submit"].service_config[0].uri
}

output "dashboard_url" {
  description = "Staff dashboard and public IKM page (reports function); staff sign in with their Google account."
  value       = google_cloudfunctions2_function.function["reports"].service_config[0].uri
}

output "function_urls" {
  description = "Every function's URL by entrypoint name."
  value       = { for name, f in google_cloudfunctions2_function.function : name => f.service_config[0].uri }
}

output "service_accounts" {
  description = "Runtime identity of each function, and the Scheduler's."
  value = merge(
    { for name, sa in google_service_account.function : name => sa.email },
    { scheduler = google_service_account.scheduler.email },
  )
}

output "secrets_to_fill" {
  description = "Secret Manager secrets that need a value before the functions work (DEPLOY.md, step 4)."
  value       = sort(tolist(local.secret_names))
}
