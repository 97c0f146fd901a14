resource "google_firestore_database" "main" {
  name                              = "(default)"
  location_id                       = var.region
  type                              = "FIRESTORE_NATIVE"
  delete_protection_state           = "DELETE_PROTECTION_ENABLED"
  point_in_time_recovery_enablement = "POINT_IN_TIME_RECOVERY_ENABLED"
  app_engine_integration_mode       = "DISABLED"
  # `terraform destroy` leaves the data in place; deleting it is a deliberate act in the console.
  deletion_policy = "ABANDON"

  depends_on = [google_project_service.apis]
}

# --- composite indexes: one per entry of functions/jaring/indexes.py COMPOSITE_INDEXES ----------

resource "google_firestore_index" "outbox_retry_due" {
  database   = google_firestore_database.main.name
  collection = "outbox"

  fields {
    field_path = "state"
    order      = "ASCENDING"
  }
  fields {
    field_path = "next_attempt_at"
    order      = "ASCENDING"
  }
}

resource "google_firestore_index" "outbox_lease_expired" {
  database   = google_firestore_database.main.name
  collection = "outbox"

  fields {
    field_path = "state"
    order      = "ASCENDING"
  }
  fields {
    field_path = "lease_until"
    order      = "ASCENDING"
  }
}

resource "google_firestore_index" "invitations_nudge_due" {
  database   = google_firestore_database.main.name
  collection = "invitations"

  fields {
    field_path = "state"
    order      = "ASCENDING"
  }
  fields {
    field_path = "next_nudge_at"
    order      = "ASCENDING"
  }
}

# --- retention: one TTL policy per entry of indexes.py TTL_FIELDS -------------------------------
# Firestore deletes a document within about a day after the time in its TTL field.

resource "google_firestore_field" "inbound_expire_at" {
  database   = google_firestore_database.main.name
  collection = "inbound"
  field      = "expire_at"

  ttl_config {}
}

resource "google_firestore_field" "outbox_expire_at" {
  database   = google_firestore_database.main.name
  collection = "outbox"
  field      = "expire_at"

  ttl_config {}
}

# --- security rules (clients never write; see firestore.rules) ----------------------------------

resource "google_firebaserules_ruleset" "firestore" {
  source {
    files {
      name    = "firestore.rules"
      content = file("${path.module}/../firestore.rules")
    }
  }

  depends_on = [google_firestore_database.main]
}

resource "google_firebaserules_release" "firestore" {
  name         = "cloud.firestore"
  ruleset_name = "projects/${var.project_id}/rulesets/${google_firebaserules_ruleset.firestore.name}"

  lifecycle {
    replace_triggered_by = [google_firebaserules_ruleset.firestore]
  }
}
