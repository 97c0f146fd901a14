locals {
  functions_dir = "${path.module}/../functions"

  # One entry per entrypoint in functions/main.py. `public`: anyone may invoke it at the Cloud Run
  # layer, because the function authenticates the caller itself (Meta's or the form's signature,
  # or a staff member's Google sign-in; see docs/SECURITY.md). `secrets` must equal
  # jaring.config.SECRETS_BY_FUNCTION (tests/infra checks both); `firestore_role` is the least the
  # function's code needs.
  functions = {
    whatsapp_webhook = {
      public         = true
      secrets        = ["WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN", "WHATSAPP_ACCESS_TOKEN", "WBS_LINK_KEY", "JARING_PSEUDONYM_KEY"]
      firestore_role = "roles/datastore.user"
      max_instances  = var.public_max_instances
      concurrency    = 8
      cpu            = "1"
      memory         = "512Mi"
      timeout        = 60
    }
    form_submit = {
      public         = true
      secrets        = ["FORMS_WEBHOOK_SECRET", "WHATSAPP_ACCESS_TOKEN", "JARING_PSEUDONYM_KEY"]
      firestore_role = "roles/datastore.user"
      max_instances  = var.public_max_instances
      concurrency    = 8
      cpu            = "1"
      memory         = "512Mi"
      timeout        = 60
    }
    admin_api = {
      public         = true
      secrets        = ["WHATSAPP_ACCESS_TOKEN", "WBS_LINK_KEY", "JARING_PSEUDONYM_KEY"]
      firestore_role = "roles/datastore.user"
      max_instances  = var.public_max_instances
      concurrency    = 8
      cpu            = "1"
      memory         = "512Mi"
      timeout        = 60
    }
    reports = {
      public         = true
      secrets        = []
      firestore_role = "roles/datastore.viewer"
      max_instances  = var.public_max_instances
      concurrency    = 4
      cpu            = "1"
      memory         = "1Gi"
      timeout        = 120
    }
    reminder_sweep = {
      public         = false
      secrets        = ["WHATSAPP_ACCESS_TOKEN", "JARING_PSEUDONYM_KEY"]
      firestore_role = "roles/datastore.user"
      # One sweep at a time; overlapping runs would only contend for the same leases.
      max_instances = 1
      concurrency   = 1
      cpu           = "1"
      memory        = "512Mi"
      timeout       = 300
    }
  }

  # Content hash of everything deployed, so any change yields a new object name and a redeploy.
  source_files = sort(setsubtract(fileset(local.functions_dir, "**"), local.source_excludes))
  source_excludes = setunion(
    fileset(local.functions_dir, "**/__pycache__/**"),
    fileset(local.functions_dir, "**/*.pyc"),
  )
  source_hash = sha256(join("\n", [for f in local.source_files : "${f} ${filesha256("${local.functions_dir}/${f}")}"]))
}

data "google_project" "this" {}

# --- source archive ---------------------------------------------------------------------------

resource "google_storage_bucket" "source" {
  #checkov:skip=CKV_GCP_62:Holds only the functions' source zips; object reads are in Cloud Audit Logs, a second log bucket adds nothing.
  name                        = "${var.project_id}-jaring-source"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      age = 90
    }
    action {
      type = "Delete"
    }
  }

  lifecycle_rule {
    condition {
      days_since_noncurrent_time = 30
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.apis]
}

data "archive_file" "functions" {
  type        = "zip"
  source_dir  = local.functions_dir
  excludes    = local.source_excludes
  output_path = "${path.module}/build/functions-${local.source_hash}.zip"
}

resource "google_storage_bucket_object" "functions" {
  name   = "functions-${local.source_hash}.zip"
  bucket = google_storage_bucket.source.name
  source = data.archive_file.functions.output_path

  lifecycle {
    precondition {
      # The build installs functions/requirements.txt; it must be the pinned top-level list.
      condition     = try(file("${local.functions_dir}/requirements.txt"), "") == file("${path.module}/../requirements.txt")
      error_message = "functions/requirements.txt differs from requirements.txt: run `make functions/requirements.txt` and apply again."
    }
  }
}

# --- identities -------------------------------------------------------------------------------

resource "google_service_account" "function" {
  for_each = local.functions

  account_id   = "jaring-${replace(each.key, "_", "-")}"
  display_name = "Jaring ${each.key} function"
  description  = "Runtime identity of the ${each.key} function; holds only that function's roles."
}

resource "google_service_account" "build" {
  account_id   = "jaring-build"
  display_name = "Jaring functions build"
  description  = "Cloud Build identity that turns the source zip into the functions' images."
}

resource "google_service_account" "scheduler" {
  account_id   = "jaring-scheduler"
  display_name = "Jaring scheduler"
  description  = "Identity Cloud Scheduler signs its OIDC token with when it calls reminder_sweep."
}

resource "google_project_iam_member" "function_firestore" {
  for_each = local.functions

  project = var.project_id
  role    = each.value.firestore_role
  member  = "serviceAccount:${google_service_account.function[each.key].email}"
}

resource "google_project_iam_member" "build" {
  for_each = toset(["roles/logging.logWriter", "roles/artifactregistry.writer"])

  project = var.project_id
  role    = each.value
  member  = "serviceAccount:${google_service_account.build.email}"
}

resource "google_storage_bucket_iam_member" "build_reads_source" {
  bucket = google_storage_bucket.source.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.build.email}"
}

# --- the functions ----------------------------------------------------------------------------

resource "google_cloudfunctions2_function" "function" {
  for_each = local.functions

  name        = replace(each.key, "_", "-")
  location    = var.region
  description = "Jaring ${each.key} (functions/main.py)"

  build_config {
    runtime         = var.python_runtime
    entry_point     = each.key
    service_account = google_service_account.build.id

    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.functions.name
      }
    }
  }

  service_config {
    service_account_email            = google_service_account.function[each.key].email
    min_instance_count               = 0
    max_instance_count               = each.value.max_instances
    max_instance_request_concurrency = each.value.concurrency
    available_cpu                    = each.value.cpu
    available_memory                 = each.value.memory
    timeout_seconds                  = each.value.timeout
    all_traffic_on_latest_revision   = true
    # Scheduler reaches internal-only services in its own project; everything else is called from
    # the internet (Meta, Apps Script, staff browsers) and authenticates in the function.
    ingress_settings = each.value.public ? "ALLOW_ALL" : "ALLOW_INTERNAL_ONLY"

    environment_variables = {
      GOOGLE_CLOUD_PROJECT     = var.project_id
      JARING_FUNCTION          = each.key
      JARING_DEFAULT_OFFICE    = var.default_office
      WHATSAPP_PHONE_NUMBER_ID = var.whatsapp_phone_number_id
      JARING_ADMIN_AUDIENCE    = var.staff_sign_in_client_id
      JARING_SECRETS_VERSION   = var.secrets_version_note
      LOG_EXECUTION_ID         = "true"
    }

    dynamic "secret_environment_variables" {
      for_each = toset(each.value.secrets)
      content {
        key        = secret_environment_variables.value
        project_id = var.project_id
        secret     = google_secret_manager_secret.secret[secret_environment_variables.value].secret_id
        version    = "latest"
      }
    }
  }

  depends_on = [
    google_project_iam_member.build,
    google_storage_bucket_iam_member.build_reads_source,
    google_secret_manager_secret_iam_member.function,
  ]
}

# Gen2 invokers are Cloud Run IAM bindings: the cloudfunctions2 IAM resources refuse roles/run.invoker.
resource "google_cloud_run_service_iam_member" "public_invoker" {
  #checkov:skip=CKV_GCP_102:These endpoints are called by Meta, Apps Script and staff browsers; each request is authenticated inside the function (signature or Google sign-in).
  for_each = { for name, f in local.functions : name => f if f.public }

  location = var.region
  service  = google_cloudfunctions2_function.function[each.key].name
  role     = "roles/run.invoker"
  member   = "allUsers"
}

resource "google_cloud_run_service_iam_member" "sweep_invoker" {
  location = var.region
  service  = google_cloudfunctions2_function.function["reminder_sweep"].name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.scheduler.email}"
}
