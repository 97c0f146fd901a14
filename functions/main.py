"""Cloud Functions entrypoints. Each one parses its request, calls the domain, and answers."""
from __future__ import annotations

import json
import logging

import functions_framework
import flask

from jaring import app as jaring_app
from jaring import logs
from jaring.config import ConfigError
from jaring.messaging.store import StoreUnavailable
from jaring.whatsapp import webhook

logs.setup()
log = logging.getLogger("jaring")

MAX_BODY = 3 * 1024 * 1024 + 64 * 1024  # Meta's payloads are at most 3 MB
ADMIN_MAX_BODY = 256 * 1024  # a staff request is a small JSON object
PLAIN = {"Content-Type": "text/plain; charset=utf-8"}  # error answers never render as a page


def _text(message: str, status: int):
    return message, status, PLAIN


def _body(request: flask.Request, limit: int) -> bytes | None:
    """The body, read at most `limit` + 1 bytes whether or not it declares a length (chunked bodies
    declare none); None when it is longer than `limit`."""
    if (request.content_length or 0) > limit:
        return None
    raw = request.stream.read(limit + 1)
    return None if len(raw) > limit else raw


def _app_or_error():
    try:
        return jaring_app.current(), None
    except ConfigError as exc:
        log.error("configuration error: %s", exc)
        return None, _text("Jaring is not configured", 500)


@functions_framework.http
def whatsapp_webhook(request: flask.Request):
    """Meta's webhook: the verification handshake (GET) and signed notifications (POST)."""
    from jaring import inbox  # the conversation: only this function loads it (see docs/BENCHMARKS.md)

    app, error = _app_or_error()
    if error:
        return error
    if request.method == "GET":
        challenge = webhook.verify_handshake(request.args.to_dict(), app.settings.whatsapp_verify_token)
        return (challenge, 200, PLAIN) if challenge is not None else _text("Forbidden", 403)
    if request.method != "POST":
        return _text("Method not allowed", 405)
    raw = _body(request, MAX_BODY)
    if raw is None:
        return _text("Payload too large", 413)
    signature = request.headers.get("X-Hub-Signature-256")
    if not signature:
        return _text("Missing X-Hub-Signature-256", 401)
    if not webhook.signature_is_valid(app.settings.whatsapp_app_secret, raw, signature):
        return _text("Invalid signature", 403)
    try:
        notification = webhook.parse_body(raw)
    except webhook.NotANotification as exc:
        return _text(f"Not a WhatsApp notification: {exc}", 400)
    except ValueError:
        return _text("Malformed JSON", 400)
    try:
        outcome = inbox.handle(app, notification)
    except StoreUnavailable as exc:
        log.error("webhook not stored, asking Meta to retry: %s", exc)
        return _text("Storage unavailable, retry later", 503)
    return {"received": outcome.received, "duplicates": outcome.duplicates, "statuses": outcome.statuses,
            "unrouted": outcome.unrouted}, 200


@functions_framework.http
def form_submit(request: flask.Request):
    """Google Forms answers posted by the Apps Script trigger (docs/forms/submit.gs)."""
    from jaring.survey import forms
    from jaring.tickets import service as ticketing

    app, error = _app_or_error()
    if error:
        return error
    if request.method != "POST":
        return _text("Method not allowed", 405)
    raw = _body(request, forms.MAX_BODY)
    if raw is None:
        return _text("Payload too large", 413)
    try:
        done = ticketing.submit_form(app, raw, request.headers.get(forms.TIMESTAMP_HEADER),
                                     request.headers.get(forms.SIGNATURE_HEADER))
    except forms.FormRejected as exc:
        return {"error": str(exc)}, exc.status
    except StoreUnavailable as exc:
        log.error("form answer not stored, the script will retry: %s", exc)
        return {"error": "storage unavailable, retry later"}, 503
    return done.body, done.status


@functions_framework.http
def admin_api(request: flask.Request):
    """Staff tools (tickets, follow-ups, complaints; WBS reports for the inspectorate only), for registered
    staff with a Google ID token."""
    from jaring import admin, identity

    app, error = _app_or_error()
    if error:
        return error
    try:
        caller = identity.identify(request, app.settings, app.office_store.staff_by_email)
    except identity.IdentityError as exc:
        return {"error": str(exc)}, exc.status
    raw = _body(request, ADMIN_MAX_BODY)
    if raw is None:
        return {"error": f"body larger than {ADMIN_MAX_BODY} bytes"}, 413
    try:
        body = json.loads(raw) if raw.strip() else {}
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return {"error": "body must be a JSON object"}, 400
    try:
        status, answer = admin.handle(app, caller, request.method, request.path, body, request.args.to_dict())
    except StoreUnavailable:
        return {"error": "storage unavailable, retry later"}, 503
    return answer, status


@functions_framework.http
def reports(request: flask.Request):
    """Dashboard, exports and notice for signed-in staff; /public/<office> for everyone."""
    from jaring import identity
    from jaring.reports import report, http as report_web

    app, error = _app_or_error()
    if error:
        return error
    if request.method != "GET":
        return _text("Method not allowed", 405)
    try:
        if request.path.startswith("/public/"):
            return report_web.public(app, request.path[len("/public/"):], request.args)
        caller = identity.identify(request, app.settings, app.office_store.staff_by_email)
        return report_web.private(app, caller, request.path, request.args)
    except identity.IdentityError as exc:
        return _text(str(exc), exc.status)
    except (report.BadPeriod, report_web.BadRequest) as exc:
        return _text(f"Bad request: {exc}", 400)
    except StoreUnavailable as exc:
        log.error("reports unavailable: %s", exc)
        return _text("Storage unavailable, retry later", 503)


@functions_framework.http
def reminder_sweep(request: flask.Request):
    """Cloud Scheduler's call. In the cloud the function is private: Cloud Run admits only requests with
    the Scheduler service account's OIDC token, before this code runs. Locally it is open."""
    from jaring import sweep

    app, error = _app_or_error()
    if error:
        return error
    if request.method != "POST":
        return _text("Method not allowed", 405)
    # Scheduler delivers at least once; a repeated or overlapping run is harmless (nudges are claimed once).
    log.info("reminder sweep for %s at %s", request.headers.get("X-CloudScheduler-JobName", "a manual call"),
             request.headers.get("X-CloudScheduler-ScheduleTime", "-"))
    try:
        summary = sweep.run(app)
    except StoreUnavailable as exc:
        log.error("reminder sweep stopped, Firestore unavailable: %s", exc)
        return _text("Storage unavailable, the next run continues", 503)
    return summary.as_dict(), 200
