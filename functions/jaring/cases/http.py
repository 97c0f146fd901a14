"""admin_api's routes for complaints and whistleblowing reports. Answers are (HTTP status, JSON body).

Complaints (staff of the office; officers and unit heads see and act on their unit's, office heads and
admins on all; the inspectorate has no business with them):
  GET  /complaints?status=open|answered|closed|rejected|all[&unit=]     newest first
  GET  /complaints/P-XXXXXX
  POST /complaints/P-XXXXXX/verify|assign|answer|close|reject   {"unit": "...", "text": "..."}

WBS (the inspectorate only; anyone else gets 403 and learns nothing, not even how many reports exist):
  GET  /wbs                      the list: code, status, dates (no content)   → audit entry "list"
  GET  /wbs/WBS-XXXXXXXX         one report in full                           → audit entry "read"
  POST /wbs/WBS-XXXXXXXX         {"status": "...", "message": "..."}          → audit entry "update"
  GET  /wbs/audit                who read or changed what, newest first       → audit entry "audit_read"
"""
from __future__ import annotations

import re
from typing import Any

from jaring.app import Jaring
from jaring.cases import service as casework, routing as complaint_routing, complaints, wbs
from jaring.cases.store import ComplaintNotFound
from jaring.cases.wbs_store import Actor, WbsNotFound
from jaring.identity import Identity

Answer = tuple[int, dict[str, Any]]
_COMPLAINT = re.compile(r"^/complaints/(P-[A-Z0-9]{6})(?:/(verify|assign|answer|close|reject))?$")
_REPORT = re.compile(rf"^/wbs/(WBS-[A-Z0-9]{{{wbs.CODE_LENGTH}}})$")
STATUS_FILTERS = {"open": complaints.OPEN, "all": complaints.STATUSES,
                  **{s: (s,) for s in complaints.STATUSES}}


def handle(app: Jaring, identity: Identity, method: str, path: str, body: dict[str, Any],
           query: dict[str, str]) -> Answer:
    if path == "/wbs" or path.startswith("/wbs/"):
        return _wbs(app, identity, method, path, body)
    if identity.role == "inspectorate":
        return 403, {"error": "complaints are handled by the office's staff, not the inspectorate"}
    try:
        return _complaints(app, identity, method, path, body, query)
    except ComplaintNotFound as exc:
        return 404, {"error": str(exc)}
    except PermissionError as exc:
        return 403, {"error": str(exc)}
    except complaints.ComplaintError as exc:
        return 422, {"error": str(exc)}


def _complaints(app: Jaring, identity: Identity, method: str, path: str, body: dict[str, Any],
                query: dict[str, str]) -> Answer:
    config = app.office_config(identity.office)
    name = complaint_routing.unit_namer(config)
    if path == "/complaints" and method == "GET":
        statuses = STATUS_FILTERS.get(query.get("status", "open"))
        if statuses is None:
            return 422, {"error": f"status must be one of {', '.join(STATUS_FILTERS)}"}
        unit = query.get("unit", "") if identity.office_wide else identity.unit
        found = app.complaint_store.listing(identity.office, unit, statuses)
        return 200, {"complaints": [casework.complaint_view(doc, name) for _, doc in found]}
    match = _COMPLAINT.match(path)
    if not match:
        return 404, {"error": f"no route {method} {path}"}
    reference, action = match.groups()
    if method == "GET" and not action:
        _, doc = casework.find(app, identity.office, reference)
        if not identity.may_act_on(doc["office"], doc.get("unit", "")):
            return 404, {"error": f"no complaint {reference}"}
        return 200, {"complaint": casework.complaint_view(doc, name)}
    if method != "POST" or not action:
        return 405, {"error": f"use GET {path} or POST {path}/<step>"}
    unit, text = body.get("unit", ""), body.get("text", "")
    if not isinstance(unit, str) or not isinstance(text, str):
        return 422, {"error": "unit and text must be text"}
    step = casework.complaint_step(app, identity.office, reference, action, identity.email, unit.strip(), text,
                                   allowed=lambda doc: identity.may_act_on(doc["office"], doc.get("unit", "")))
    return 200, {"complaint": casework.complaint_view(step.complaint, name), "citizen_told": step.citizen_told}


def _wbs(app: Jaring, identity: Identity, method: str, path: str, body: dict[str, Any]) -> Answer:
    if identity.role != "inspectorate":
        return 403, {"error": "whistleblowing reports are for the inspectorate only"}
    store = app.wbs_store
    if store is None:
        return 503, {"error": "WBS_LINK_KEY is not configured"}
    actor, office, now = Actor(identity.email, identity.role), identity.office, app.clock.now()
    if path == "/wbs" and method == "GET":
        found = sorted(store.list_reports(office, actor, now), key=lambda r: r["received_on"], reverse=True)
        return 200, {"reports": [wbs.summary_view(r) for r in found]}
    if path == "/wbs/audit" and method == "GET":
        return 200, {"audit": [{**e, "at": e["at"].isoformat()} for e in store.audit_trail(office, actor, now)]}
    match = _REPORT.match(path)
    if not match:
        return 404, {"error": f"no route {method} {path}"}
    try:
        if method == "GET":
            return 200, {"report": wbs.full_view(store.read_report(office, match[1], actor, now))}
        if method == "POST":
            status, message = body.get("status", ""), body.get("message", "")
            if not isinstance(status, str) or not isinstance(message, str):
                return 422, {"error": "status and message must be text"}
            return 200, {"report": casework.wbs_update(app, store, office, match[1], actor, status.strip(), message)}
    except WbsNotFound as exc:
        return 404, {"error": str(exc)}
    except wbs.WbsError as exc:
        return 422, {"error": str(exc)}
    return 405, {"error": f"use GET or POST on {path}"}
