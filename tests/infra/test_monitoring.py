"""The office's IT contact hears of trouble before citizens do, and the data can be brought back: alert policies
over log-based metrics for each kind of trouble, daily backups beside point-in-time recovery (checked offline)."""
import re


def test_every_kind_of_trouble_has_a_metric_and_an_alert_to_the_it_contact(tf):
    channel = tf.resource("google_monitoring_notification_channel", "it_contact")
    assert (channel["type"], channel["labels"]["email_address"]) == ("email", "${var.it_contact_email}")
    alerts = tf.locals["alerts"]
    assert set(alerts) == {"webhook_5xx", "sweep_trouble", "outbox_failed", "outbox_waiting", "template_rejected",
                           "number_quality"}
    metric = tf.resource("google_logging_metric", "metric")
    policy = tf.resource("google_monitoring_alert_policy", "alert")
    assert metric["for_each"] == policy["for_each"] == "${local.alerts}"  # one metric and one alert per trouble
    assert metric["name"] == "jaring/${each.key}"
    assert "google_logging_metric.metric[each.key].name" in str(policy["conditions"])
    assert policy["notification_channels"] == ["${google_monitoring_notification_channel.it_contact.id}"]
    for alert in alerts.values():
        assert alert["title"] and alert["description"] and alert["filter"] and alert["doc"]
    counted = {name for name, alert in alerts.items() if alert["extractor"] is None}
    assert counted == {"webhook_5xx", "sweep_trouble", "template_rejected", "number_quality"}  # the rest: numbers
    # taken from the sweep's summary line (a distribution)


def test_the_metrics_match_the_lines_the_functions_really_log():
    """The filters' patterns against log lines as jaring writes them (logs.JsonFormatter, sweep, delivery)."""
    summary = ("reminder sweep: {'due': 3, 'sent': 1, 'stopped_early': True, 'outbox_retry': {'sent': 2, "
               "'retry': 7, 'failed': 4, 'skipped': 0}}")
    assert re.search(r"'outbox_retry': \{[^}]*'failed': (\d+)", summary)[1] == "4"
    assert re.search(r"'outbox_retry': \{[^}]*'retry': (\d+)", summary)[1] == "7"
    assert re.search(r"'stopped_early': True", summary)
    from jaring.whatsapp.graph import GraphError
    refused = f"send inv1 to 62812****5678 failed: {GraphError('Template paused', 400, 132015)}"
    assert re.search(r"code'?:? (132000|132001|132005|132007|132012|132015|132016)\b", refused)
    pair = "WhatsApp reported an error: {'code': 131056, 'title': 'Pair rate limit hit'}"
    assert re.search(r"code'?:? (131048|131049|131056|130429|131031|368)\b", pair)


def test_daily_backups_with_a_retention_beside_point_in_time_recovery(tf):
    db = tf.resource("google_firestore_database", "main")
    assert db["point_in_time_recovery_enablement"] == "POINT_IN_TIME_RECOVERY_ENABLED"
    backups = tf.resource("google_firestore_backup_schedule", "daily")
    assert backups["database"] == "${google_firestore_database.main.name}" and "daily_recurrence" in backups
    assert backups["retention"] == "${var.backup_retention_days * 86400}s"
    assert tf.variables["backup_retention_days"]["default"] <= 98  # Firestore's limit for daily backups


def test_the_restore_drill_is_written_down():
    from tests.support.terraform import TERRAFORM

    deploy = (TERRAFORM.parent / "docs" / "DEPLOY.md").read_text(encoding="utf-8")
    assert "## Restore drill" in deploy and "gcloud firestore databases restore" in deploy
