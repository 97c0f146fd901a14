locals {
  # Containers only: Terraform never sees a value. DEPLOY.md step 4 adds the versions by hand.
  secret_names = toset(["WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN", "WHATSAPP_ACCESS_TOKEN", "FORMS_WEBHOOK_SECRET", "WBS_LINK_KEY", "JARING_PSEUDONYM_KEY"])

  # (function, secret) pairs, so each function may read only the secrets it mounts.
  function_secrets = merge([
    for name, f in local.functions : { for s in f.secrets : "${name}/${s}" => { function = name, secret = s } }
  ]...)
}

resource "google_secret_manager_secret" "secret" {
  # Google-managed encryption keys: a customer-managed Cloud KMS key would be one more thing an
  # office must run and could lose, for five small secrets.
  for_each = local.secret_names

  secret_id = each.value

  # Kept in the deployment region (Jakarta by default), not replicated worldwide.
  replication {
    user_managed {
      replicas {
        location = var.region
      }
    }
  }

  depends_on = [google_project_service.apis]
}

resource "google_secret_manager_secret_iam_member" "function" {
  for_each = local.function_secrets

  secret_id = google_secret_manager_secret.secret[each.value.secret].id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.function[each.value.function].email}"
}
