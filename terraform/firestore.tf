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

# --- reports (jaring/reports/store.py): aggregates and the funnel's counts, office-wide or per unit ---

resource "google_firestore_index" "reports_report_days_day" {
  database   = google_firestore_database.main.name
  collection = "report_days"

  fields {
    field_path = "office"
    order      = "ASCENDING"
  }
  fields {
    field_path = "day"
    order      = "ASCENDING"
  }
}

resource "google_firestore_index" "reports_report_days_unit_day" {
  database   = google_firestore_database.main.name
  collection = "report_days"

  fields {
    field_path = "office"
    order      = "ASCENDING"
  }
  fields {
    field_path = "unit"
    order      = "ASCENDING"
  }
  fields {
    field_path = "day"
    order      = "ASCENDING"
  }
}

resource "google_firestore_index" "reports_report_months_month" {
  database   = google_firestore_database.main.name
  collection = "report_months"

  fields {
    field_path = "office"
    order      = "ASCENDING"
  }
  fields {
    field_path = "month"
    order      = "ASCENDING"
  }
}

resource "google_firestore_index" "reports_report_months_unit_month" {
  database   = google_firestore_database.main.name
  collection = "report_months"

  fields {
    field_path = "office"
    order      = "ASCENDING"
  }
  fields {
    field_path = "unit"
    order      = "ASCENDING"
  }
  fields {
    field_path = "month"
    order      = "ASCENDING"
  }
}

resource "google_firestore_index" "reports_tickets_status_opened_at" {
  database   = google_firestore_database.main.name
  collection = "tickets"

  fields {
    field_path = "office"
    order      = "ASCENDING"
  }
  fields {
    field_path = "status"
    order      = "ASCENDING"
  }
  fields {
    field_path = "opened_at"
    order      = "ASCENDING"
  }
}

resource "google_firestore_index" "reports_tickets_unit_status_opened_at" {
  database   = google_firestore_database.main.name
  collection = "tickets"

  fields {
    field_path = "office"
    order      = "ASCENDING"
  }
  fields {
    field_path = "unit"
    order      = "ASCENDING"
  }
  fields {
    field_path = "status"
    order      = "ASCENDING"
  }
  fields {
    field_path = "opened_at"
    order      = "ASCENDING"
  }
}

resource "google_firestore_index" "reports_tickets_status_consent_opened_at" {
  database   = google_firestore_database.main.name
  collection = "tickets"

  fields {
    field_path = "office"
    order      = "ASCENDING"
  }
  fields {
    field_path = "status"
    order      = "ASCENDING"
  }
  fields {
    field_path = "consent"
    order      = "ASCENDING"
  }
  fields {
    field_path = "opened_at"
    order      = "ASCENDING"
  }
}

resource "google_firestore_index" "reports_tickets_unit_status_consent_opened_at" {
  database   = google_firestore_database.main.name
  collection = "tickets"

  fields {
    field_path = "office"
    order      = "ASCENDING"
  }
  fields {
    field_path = "unit"
    order      = "ASCENDING"
  }
  fields {
    field_path = "status"
    order      = "ASCENDING"
  }
  fields {
    field_path = "consent"
    order      = "ASCENDING"
  }
  fields {
    field_path = "opened_at"
    order      = "ASCENDING"
  }
}

resource "google_firestore_index" "reports_invitations_invited_at" {
  database   = google_firestore_database.main.name
  collection = "invitations"

  fields {
    field_path = "office"
    order      = "ASCENDING"
  }
  fields {
    field_path = "invited_at"
    order      = "ASCENDING"
  }
}

resource "google_firestore_index" "reports_invitations_unit_invited_at" {
  database   = google_firestore_database.main.name
  collection = "invitations"

  fields {
    field_path = "office"
    order      = "ASCENDING"
  }
  fields {
    field_path = "unit"
    order      = "ASCENDING"
  }
  fields {
    field_path = "invited_at"
    order      = "ASCENDING"
  }
}

resource "google_firestore_index" "reports_complaints_received_at" {
  database   = google_firestore_database.main.name
  collection = "complaints"

  fields {
    field_path = "office"
    order      = "ASCENDING"
  }
  fields {
    field_path = "received_at"
    order      = "ASCENDING"
  }
}

resource "google_firestore_index" "reports_complaints_unit_received_at" {
  database   = google_firestore_database.main.name
  collection = "complaints"

  fields {
    field_path = "office"
    order      = "ASCENDING"
  }
  fields {
    field_path = "unit"
    order      = "ASCENDING"
  }
  fields {
    field_path = "received_at"
    order      = "ASCENDING"
  }
}

# --- whistleblowing: the inspectorate's audit trail, newest first (jaring/cases/wbs_store.py) ------------

resource "google_firestore_index" "wbs_audit_newest_first" {
  database   = google_firestore_database.main.name
  collection = "wbs_audit"

  fields {
    field_path = "office"
    order      = "ASCENDING"
  }
  fields {
    field_path = "at"
    order      = "DESCENDING"
  }
}

# --- single-field index exemptions: functions/jaring/indexes.py MONOTONIC_FIELDS ------------------
# Time stamps grow with time, so a single-field index on one takes every write at its end, and Firestore
# limits such a collection to 500 writes/s. No query needs these (indexes.SINGLE_FIELD_QUERIES lists the one
# that does; composite indexes are separate): an empty index_config removes their single-field indexes.
# The TTL fields (expire_at) get the same empty index_config on their TTL resources below.
locals {
  index_exempt_fields = [
    "complaints/answer_due_at",
    "complaints/answered_at",
    "complaints/closed_at",
    "complaints/due_at",
    "complaints/first_answer_at",
    "complaints/received_at",
    "complaints/rejected_at",
    "complaints/verified_at",
    "complaints/verify_due_at",
    "contacts/first_seen_at",
    "contacts/greeted_at",
    "contacts/last_inbound_at",
    "contacts/last_nudge_at",
    "contacts/menu_at",
    "contacts/opted_out_at",
    "contacts/unreachable_at",
    "contacts/window_closed_at",
    "followups/closed_at",
    "followups/opened_at",
    "inbound/received_at",
    "inbound/received_on",
    "inbound/sent_at",
    "invitations/answered_at",
    "invitations/closed_at",
    "invitations/completed_at",
    "invitations/invited_at",
    "invitations/last_sent_at",
    "invitations/next_nudge_at",
    "numbers/loaded_at",
    "office_configs/loaded_at",
    "office_months/refreshed_at",
    "office_switches/changed_at",
    "outbox/awaiting_status_until",
    "outbox/created_at",
    "outbox/delivered_at",
    "outbox/failed_at",
    "outbox/lease_until",
    "outbox/next_attempt_at",
    "outbox/played_at",
    "outbox/read_at",
    "outbox/sent_at",
    "responses/submitted_at",
    "service_requests/requested_at",
    "staff/deactivated_at",
    "staff/loaded_at",
    "survey_flows/published_at",
    "tickets/answered_at",
    "tickets/cancelled_at",
    "tickets/closed_at",
    "tickets/completed_at",
    "tickets/opened_at",
    "unrouted/received_at",
    "unrouted/sent_at",
    "wbs_audit/at",
    "wbs_reports/locked_until",
  ]
}

resource "google_firestore_field" "index_exempt" {
  for_each   = toset(local.index_exempt_fields)
  database   = google_firestore_database.main.name
  collection = split("/", each.value)[0]
  field      = split("/", each.value)[1]

  index_config {}
}

# --- retention: one TTL policy per entry of indexes.py TTL_FIELDS -------------------------------
# Firestore deletes a document within about a day after the time in its TTL field. Their single-field indexes
# are removed too (index_config {}): expire_at grows with time, and no query reads it.

resource "google_firestore_field" "inbound_expire_at" {
  database   = google_firestore_database.main.name
  collection = "inbound"
  field      = "expire_at"

  ttl_config {}
  index_config {}
}

resource "google_firestore_field" "outbox_expire_at" {
  database   = google_firestore_database.main.name
  collection = "outbox"
  field      = "expire_at"

  ttl_config {}
  index_config {}
}

resource "google_firestore_field" "wbs_drafts_expire_at" {
  database   = google_firestore_database.main.name
  collection = "wbs_drafts"
  field      = "expire_at"

  ttl_config {}
  index_config {}
}

resource "google_firestore_field" "contacts_expire_at" {
  database   = google_firestore_database.main.name
  collection = "contacts"
  field      = "expire_at"

  ttl_config {}
  index_config {}
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

# Daily backups kept var.backup_retention_days, beside point-in-time recovery (7 days, minute by minute):
# a restore drill is in docs/DEPLOY.md.
resource "google_firestore_backup_schedule" "daily" {
  project   = var.project_id
  database  = google_firestore_database.main.name
  retention = "${var.backup_retention_days * 86400}s"

  daily_recurrence {}
}

resource "google_firestore_field" "tickets_expire_at" {
  database   = google_firestore_database.main.name
  collection = "tickets"
  field      = "expire_at"

  ttl_config {}
  index_config {}
}

resource "google_firestore_field" "invitations_expire_at" {
  database   = google_firestore_database.main.name
  collection = "invitations"
  field      = "expire_at"

  ttl_config {}
  index_config {}
}

resource "google_firestore_field" "followups_expire_at" {
  database   = google_firestore_database.main.name
  collection = "followups"
  field      = "expire_at"

  ttl_config {}
  index_config {}
}

resource "google_firestore_field" "service_requests_expire_at" {
  database   = google_firestore_database.main.name
  collection = "service_requests"
  field      = "expire_at"

  ttl_config {}
  index_config {}
}

resource "google_firestore_field" "complaints_expire_at" {
  database   = google_firestore_database.main.name
  collection = "complaints"
  field      = "expire_at"

  ttl_config {}
  index_config {}
}
