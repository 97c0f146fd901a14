# The functions log to the project's _Default bucket; keep it no longer than SECURITY.md promises.
resource "google_logging_project_bucket_config" "default" {
  project        = var.project_id
  location       = "global"
  bucket_id      = "_Default"
  retention_days = var.log_retention_days

  depends_on = [google_project_service.apis]
}

# Data Access audit logs for Firestore: every read and write of a document by anyone (a function's service
# account, a project viewer, an export) is recorded with who did it (docs/SECURITY.md, "What an insider can
# and cannot learn"). They go to the _Default bucket and so are kept log_retention_days like the rest.
resource "google_project_iam_audit_config" "firestore" {
  project = var.project_id
  service = "datastore.googleapis.com"

  audit_log_config {
    log_type = "ADMIN_READ"
  }
  audit_log_config {
    log_type = "DATA_READ"
  }
  audit_log_config {
    log_type = "DATA_WRITE"
  }
}
