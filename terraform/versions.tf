terraform {
  required_version = ">= 1.5.0"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = ">= 6.0, < 8.0"
    }
    archive = {
      source  = "hashicorp/archive"
      version = ">= 2.4, < 3.0"
    }
  }

  # State stays on the deploying machine unless an office copies backend.tf.example to backend.tf
  # (a versioned GCS bucket), which DEPLOY.md recommends once more than one person deploys.
}

provider "google" {
  project = var.project_id
  region  = var.region

  default_labels = {
    app = "jaring"
  }
}
