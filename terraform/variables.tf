variable "project_id" {
  description = "Google Cloud project id to deploy Jaring into (Console > project picker > ID column)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a project ID (6-30 lowercase letters, digits or hyphens, starting with a letter), not the project name or number."
  }
}

variable "region" {
  description = "Region for the functions, Firestore, Scheduler and the secrets' replicas. asia-southeast2 is Jakarta, which keeps citizens' data in Indonesia."
  type        = string
  default     = "asia-southeast2"

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]$", var.region))
    error_message = "region must be a single Google Cloud region such as asia-southeast2 (a multi-region like asia is not allowed)."
  }
}

variable "default_office" {
  description = "Office id (slug) that owns the default WhatsApp number, e.g. kemenag-bangkalan."
  type        = string
  default     = "kemenag-bangkalan"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,62}$", var.default_office))
    error_message = "default_office must be lowercase letters, digits and hyphens (e.g. kemenag-bangkalan)."
  }
}

variable "whatsapp_phone_number_id" {
  description = "Phone number ID of the office's WhatsApp number (Meta App Dashboard > WhatsApp > API Setup). Not the phone number itself."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{10,20}$", var.whatsapp_phone_number_id))
    error_message = "whatsapp_phone_number_id is the numeric Phone number ID from Meta's API Setup page (10-20 digits), not +62..."
  }
}

variable "staff_sign_in_client_id" {
  description = "OAuth 2.0 Web client ID used by the staff sign-in button of admin_api and reports (APIs & Services > Credentials). Empty until it is created; staff pages then refuse every sign-in."
  type        = string
  default     = ""

  validation {
    condition     = var.staff_sign_in_client_id == "" || can(regex("^[0-9]+-[a-z0-9]+\\.apps\\.googleusercontent\\.com$", var.staff_sign_in_client_id))
    error_message = "staff_sign_in_client_id must look like 1234567890-abc123.apps.googleusercontent.com (or be empty)."
  }
}

variable "python_runtime" {
  description = "Cloud Functions Python runtime."
  type        = string
  default     = "python312"

  validation {
    condition     = contains(["python311", "python312", "python313"], var.python_runtime)
    error_message = "python_runtime must be python311, python312 or python313."
  }
}

variable "public_max_instances" {
  description = "Upper bound on instances of each public function (webhook, form, admin, reports): caps the bill if someone floods the public URLs."
  type        = number
  default     = 5

  validation {
    condition     = var.public_max_instances >= 1 && var.public_max_instances <= 50
    error_message = "public_max_instances must be between 1 and 50."
  }
}

variable "sweep_schedule" {
  description = "When Cloud Scheduler runs reminder_sweep (unix cron, five fields, in sweep_time_zone)."
  type        = string
  default     = "*/15 * * * *"

  validation {
    condition     = length(split(" ", trimspace(var.sweep_schedule))) == 5
    error_message = "sweep_schedule must be a five-field cron expression such as */15 * * * *."
  }
}

variable "sweep_time_zone" {
  description = "Time zone of sweep_schedule (IANA name)."
  type        = string
  default     = "Asia/Jakarta"

  validation {
    condition     = can(regex("^[A-Za-z]+(/[A-Za-z_]+)*$", var.sweep_time_zone))
    error_message = "sweep_time_zone must be an IANA time zone name such as Asia/Jakarta."
  }
}

variable "log_retention_days" {
  description = "Days Cloud Logging keeps the functions' logs (_Default bucket). Logs hold masked phone numbers only; SECURITY.md lists the retention schedule."
  type        = number
  default     = 30

  validation {
    condition     = var.log_retention_days >= 1 && var.log_retention_days <= 3650
    error_message = "log_retention_days must be between 1 and 3650."
  }
}

variable "secrets_version_note" {
  description = "Change this text (e.g. to today's date) after adding a new secret version, so the next apply starts new instances that read it. See SECURITY.md, 'Rotating a secret'."
  type        = string
  default     = "initial"

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,63}$", var.secrets_version_note))
    error_message = "secrets_version_note must be 1-63 letters, digits, dots, underscores or hyphens."
  }
}

variable "it_contact_email" {
  description = "The office IT contact's e-mail: Cloud Monitoring alerts (webhook errors, a failed sweep, failed messages, template refusals, Meta's limits on the number) go there."
  type        = string

  validation {
    condition     = can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.it_contact_email))
    error_message = "it_contact_email must be an e-mail address."
  }
}

variable "backup_retention_days" {
  description = "Days each daily Firestore backup is kept (Firestore allows at most 98 for daily backups)."
  type        = number
  default     = 35

  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 98
    error_message = "backup_retention_days must be between 1 and 98."
  }
}

variable "alert_webhook_5xx_per_5min" {
  description = "Webhook answers 5xx in 5 minutes above which the IT contact is alerted."
  type        = number
  default     = 5

  validation {
    condition     = var.alert_webhook_5xx_per_5min >= 0
    error_message = "alert_webhook_5xx_per_5min must be 0 or more."
  }
}

variable "alert_outbox_failed" {
  description = "Messages failed for good in one sweep above which the IT contact is alerted."
  type        = number
  default     = 10

  validation {
    condition     = var.alert_outbox_failed >= 0
    error_message = "alert_outbox_failed must be 0 or more."
  }
}

variable "alert_outbox_waiting" {
  description = "Messages waiting for a retry in one sweep above which the IT contact is alerted."
  type        = number
  default     = 50

  validation {
    condition     = var.alert_outbox_waiting >= 0
    error_message = "alert_outbox_waiting must be 0 or more."
  }
}
