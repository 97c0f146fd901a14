"""The Terraform configuration, checked offline: the Google provider cannot be downloaded here, so
`terraform fmt`, checkov and these structural tests (python-hcl2) stand in for plan/validate."""
import ast
import json
import os
import re
import subprocess

import pytest

from jaring import config
from tests.support.terraform import ROOT, TERRAFORM, parse, terraform_binary, tool

# Entrypoints other helpers are adding in parallel (issue 5). Each is deployed already; when
# it lands in functions/main.py the test below fails until its name is removed from here.
NOT_YET_IN_MAIN: set[str] = set()


def http_entrypoints() -> set[str]:
    tree = ast.parse((ROOT / "functions" / "main.py").read_text())
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)
            and any("functions_framework" in ast.unparse(d) for d in node.decorator_list)}


def functions(tf) -> dict:
    return tf.locals["functions"]


class TestOfflineTools:
    def test_terraform_fmt_finds_nothing_to_change(self):
        done = subprocess.run([terraform_binary(), "fmt", "-check", "-recursive", "-diff", str(TERRAFORM)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"run `terraform fmt -recursive terraform`:\n{done.stdout}{done.stderr}"

    def test_checkov_passes_with_every_skip_explained(self):
        env = {**os.environ, "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true"}
        done = subprocess.run([str(tool("checkov", "checkov")), "-d", str(TERRAFORM), "--framework", "terraform",
                               "--skip-download", "-o", "json"],
                              capture_output=True, text=True, timeout=600, env=env, cwd=ROOT)
        report = json.loads(done.stdout)
        summary, results = report["summary"], report["results"]
        failed = [f"{c['check_id']} {c['resource']}: {c['check_name']}" for c in results["failed_checks"]]
        assert failed == [] and done.returncode == 0, "\n".join(failed) or done.stderr
        assert summary["parsing_errors"] == 0 and summary["passed"] >= 30
        assert all(c["check_result"].get("suppress_comment", "").strip() for c in results["skipped_checks"])
        print(f"checkov {summary['checkov_version']}: passed {summary['passed']}, failed {summary['failed']}, "
              f"skipped {summary['skipped']}")


class TestFunctions:
    def test_one_function_per_entrypoint_in_main_py(self, tf):
        deployed = set(functions(tf))
        in_main = http_entrypoints()
        assert in_main <= deployed, f"not deployed by terraform/functions.tf: {in_main - deployed}"
        landed = NOT_YET_IN_MAIN & in_main
        assert not landed, f"{landed} now exist in main.py: remove them from NOT_YET_IN_MAIN"
        assert deployed - in_main <= NOT_YET_IN_MAIN, f"deployed without an entrypoint: {deployed - in_main}"

    def test_every_function_runs_as_its_own_service_account(self, tf):
        fn = tf.resource("google_cloudfunctions2_function", "function")
        assert fn["for_each"] == "${local.functions}"
        assert fn["build_config"][0]["entry_point"] == "${each.key}"
        service = fn["service_config"][0]
        assert service["service_account_email"] == "${google_service_account.function[each.key].email}"
        assert tf.resource("google_service_account", "function")["for_each"] == "${local.functions}"
        account_ids = {name: "jaring-" + name.replace("_", "-") for name in functions(tf)}
        assert all(6 <= len(a) <= 30 for a in account_ids.values()) and len(set(account_ids.values())) == 5

    def test_roles_are_the_least_each_needs_and_never_basic(self, tf):
        roles = {name: f["firestore_role"] for name, f in functions(tf).items()}
        assert roles == {"whatsapp_webhook": "roles/datastore.user", "form_submit": "roles/datastore.user",
                         "admin_api": "roles/datastore.user", "reminder_sweep": "roles/datastore.user",
                         "reports": "roles/datastore.viewer"}
        everything = json.dumps(tf.files)
        assert set(re.findall(r"roles/[A-Za-z.]+", everything)) == {
            "roles/datastore.user", "roles/datastore.viewer",  # the functions, above
            "roles/logging.logWriter", "roles/artifactregistry.writer", "roles/storage.objectViewer",  # build
            "roles/secretmanager.secretAccessor",  # per secret, per function
            "roles/run.invoker"}  # per function

    def test_secrets_are_mounted_per_function_exactly_as_the_code_expects(self, tf):
        mounted = {name: sorted(f["secrets"]) for name, f in functions(tf).items()}
        assert mounted == {name: sorted(s) for name, s in config.SECRETS_BY_FUNCTION.items()}
        assert sorted(tf.locals["secret_names"].removeprefix("${toset(").removesuffix(")}")
                      .strip("[]").replace('"', "").replace(" ", "").split(",")) == sorted(config.SECRETS)
        service = tf.resource("google_cloudfunctions2_function", "function")["service_config"][0]
        assert not set(service["environment_variables"]) & set(config.SECRETS), "a secret as a plain variable"
        mount = service["dynamic"][0]["secret_environment_variables"]
        assert mount["for_each"] == "${toset(each.value.secrets)}" and mount["content"][0]["version"] == "latest"
        access = tf.resource("google_secret_manager_secret_iam_member", "function")
        assert access["role"] == "roles/secretmanager.secretAccessor"
        assert access["for_each"] == "${local.function_secrets}"

    def test_the_dev_identity_and_the_emulator_are_never_switched_on_in_the_cloud(self, tf):
        """X-Jaring-Dev-Identity stands in for a Google sign-in only on the local stack: no deployed function
        may set the switch, nor point at an emulator, nor at a fake clock, whatever the variables say."""
        deployed = tf.resource("google_cloudfunctions2_function", "function")["service_config"][0]
        names = set(deployed["environment_variables"]) | {s for f in functions(tf).values() for s in f["secrets"]}
        assert not names & {"JARING_DEV_IDENTITY_ALLOWED", "FIRESTORE_EMULATOR_HOST", "JARING_CLOCK_FILE"}
        every_file = " ".join(p.read_text() for p in TERRAFORM.glob("*.tf"))
        assert "DEV_IDENTITY" not in every_file and "EMULATOR" not in every_file

    def test_terraform_never_holds_a_secret_value(self, tf):
        assert "google_secret_manager_secret_version" not in tf.resources
        replication = tf.resource("google_secret_manager_secret", "secret")["replication"][0]
        assert replication["user_managed"][0]["replicas"][0]["location"] == "${var.region}"

    def test_public_functions_are_capped_and_only_they_are_open_to_all(self, tf):
        public = {name for name, f in functions(tf).items() if f["public"]}
        assert public == {"whatsapp_webhook", "form_submit", "admin_api", "reports"}
        for name in public:
            assert functions(tf)[name]["max_instances"] == "${var.public_max_instances}"
        invoker = tf.resource("google_cloud_run_service_iam_member", "public_invoker")
        assert invoker["for_each"] == "${{for name, f in local.functions : name => f if f.public}}"
        assert invoker["member"] == "allUsers"
        cap = tf.variables["public_max_instances"]["validation"][0]["condition"]
        assert "<= 50" in cap

    def test_the_sweep_is_private_and_only_the_scheduler_may_call_it(self, tf):
        sweep = functions(tf)["reminder_sweep"]
        assert (sweep["public"], sweep["max_instances"], sweep["concurrency"]) == (False, 1, 1)
        service = tf.resource("google_cloudfunctions2_function", "function")["service_config"][0]
        assert service["ingress_settings"] == '${each.value.public ? "ALLOW_ALL" : "ALLOW_INTERNAL_ONLY"}'
        invoker = tf.resource("google_cloud_run_service_iam_member", "sweep_invoker")
        assert invoker["member"] == "serviceAccount:${google_service_account.scheduler.email}"
        assert invoker["service"] == '${google_cloudfunctions2_function.function["reminder_sweep"].name}'
        iam_members = [b["member"] for b in tf.resources["google_cloud_run_service_iam_member"].values()]
        assert iam_members.count("allUsers") == 1  # the public_invoker, filtered to public functions

    def test_source_changes_redeploy_and_ship_the_pinned_requirements(self, tf):
        obj = tf.resource("google_storage_bucket_object", "functions")
        assert obj["name"] == "functions-${local.source_hash}.zip"
        assert "filesha256" in tf.locals["source_hash"]
        storage = tf.resource("google_cloudfunctions2_function", "function")["build_config"][0]["source"][0]
        assert storage["storage_source"][0]["object"] == "${google_storage_bucket_object.functions.name}"
        assert "requirements.txt" in obj["lifecycle"][0]["precondition"][0]["condition"]
        assert (ROOT / "functions" / "requirements.txt").read_text() == (ROOT / "requirements.txt").read_text(), \
            "functions/requirements.txt must equal requirements.txt: run `make functions/requirements.txt`"


class TestScheduler:
    def test_every_quarter_hour_with_an_oidc_token_from_its_own_account(self, tf):
        job = tf.resource("google_cloud_scheduler_job", "reminder_sweep")
        assert tf.variables["sweep_schedule"]["default"] == "*/15 * * * *"
        target = job["http_target"][0]
        assert target["uri"] == '${google_cloudfunctions2_function.function["reminder_sweep"].service_config[0].uri}'
        token = target["oidc_token"][0]
        assert token["service_account_email"] == "${google_service_account.scheduler.email}"
        assert token["audience"] == target["uri"]

    def test_deadline_outlasts_the_function_and_retries_end_before_the_next_run(self, tf):
        job = tf.resource("google_cloud_scheduler_job", "reminder_sweep")
        timeout = functions(tf)["reminder_sweep"]["timeout"]
        assert job["attempt_deadline"] == "${local.functions.reminder_sweep.timeout + 20}s"
        assert 15 <= timeout + 20 <= 1800  # Scheduler's allowed range for HTTP targets
        retry = job["retry_config"][0]
        assert 0 <= retry["retry_count"] <= 5
        assert int(retry["max_retry_duration"].rstrip("s")) < 15 * 60


class TestFirestore:
    def test_every_read_and_write_of_a_document_is_in_the_audit_log(self, tf):
        audit = tf.resource("google_project_iam_audit_config", "firestore")
        assert audit["service"] == "datastore.googleapis.com"
        assert {c["log_type"] for c in audit["audit_log_config"]} == {"ADMIN_READ", "DATA_READ", "DATA_WRITE"}
        assert not any("exempted_members" in c for c in audit["audit_log_config"])  # nobody reads unrecorded

    def test_native_database_in_jakarta_with_delete_protection(self, tf):
        db = tf.resource("google_firestore_database", "main")
        assert (db["type"], db["location_id"], db["delete_protection_state"], db["deletion_policy"]) == (
            "FIRESTORE_NATIVE", "${var.region}", "DELETE_PROTECTION_ENABLED", "ABANDON")
        assert tf.variables["region"]["default"] == "asia-southeast2"

    def test_rules_come_from_the_top_level_firestore_rules(self, tf):
        ruleset = tf.resource("google_firebaserules_ruleset", "firestore")
        assert ruleset["source"][0]["files"][0]["content"] == '${file("${path.module}/../firestore.rules")}'
        release = tf.resource("google_firebaserules_release", "firestore")
        assert release["name"] == "cloud.firestore"
        assert release["lifecycle"][0]["replace_triggered_by"] == ["${google_firebaserules_ruleset.firestore}"]


class TestInputsAndOutputs:
    def test_every_variable_is_described_and_validated(self, tf):
        for name, var in tf.variables.items():
            assert var.get("description", "").strip(), f"variable {name} has no description"
            assert var.get("validation"), f"variable {name} has no validation"

    def test_the_example_tfvars_sets_every_required_variable_and_nothing_unknown(self, tf):
        example = parse(TERRAFORM / "terraform.tfvars.example")["terraform.tfvars.example"]
        required = {name for name, var in tf.variables.items() if "default" not in var}
        assert required <= set(example), f"terraform.tfvars.example lacks {required - set(example)}"
        assert set(example) <= set(tf.variables)

    def test_outputs_give_the_url_to_paste_into_meta_and_every_function_url(self, tf):
        assert tf.outputs["whatsapp_webhook_url"]["value"] == (
            '${google_cloudfunctions2_function.function["whatsapp_webhook"].service_config[0].uri}')
        assert "Callback URL" in tf.outputs["whatsapp_webhook_url"]["description"]
        assert "function_urls" in tf.outputs and "dashboard_url" in tf.outputs
        assert all(o.get("description") for o in tf.outputs.values())

    def test_the_google_provider_is_version_6_or_later(self, tf):
        [versions] = tf.files["versions.tf"]["terraform"]
        google = versions["required_providers"][0]["google"]
        assert google["source"] == "hashicorp/google" and google["version"].startswith(">= 6.0")
