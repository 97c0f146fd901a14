"""`python -m jaring flows publish [--dry-run] [--office X]`: put the SKM WhatsApp Flow in Meta's hands.

Checks the Flow JSON (jaring.survey.flow) first, then, through the Graph API: finds the office's Flow (the id
recorded in Firestore, else the account's Flow with the same name) or creates it (POST
/{WHATSAPP_BUSINESS_ACCOUNT_ID}/flows), uploads the Flow JSON (POST /{flow_id}/assets, multipart file
flow.json, asset_type FLOW_JSON) and publishes it (POST /{flow_id}/publish), and records the Flow's id for
the office (survey_flows/{office}), from where the invitations send it. A Flow already published with the
same JSON is left alone. `--dry-run` prints the requests and sends nothing.
"""
from __future__ import annotations

import argparse
import hashlib
import json

from jaring.survey import flow as survey_flow


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["publish"])
    parser.add_argument("--dry-run", action="store_true", help="print the requests, send nothing")
    parser.add_argument("--office", help="whose Flow (default JARING_DEFAULT_OFFICE)")


def _request(method: str, url: str, body: dict | None = None, multipart: dict | None = None) -> dict:
    request = {"method": method, "url": url}
    if body is not None:
        request["json"] = body
    if multipart is not None:
        request["multipart"] = multipart
    return request


def plan(base: str, waba_id: str, flow_id: str, flow: dict) -> list[dict]:
    """The Graph API requests that publish `flow` (flow_id "" creates it first)."""
    target = flow_id or "{id from the first answer}"
    steps = [] if flow_id else [_request("POST", f"{base}/{waba_id or '{WHATSAPP_BUSINESS_ACCOUNT_ID}'}/flows",
                                         {"name": survey_flow.NAME, "categories": survey_flow.CATEGORIES})]
    return steps + [
        _request("POST", f"{base}/{target}/assets",
                 multipart={"file": {"filename": "flow.json", "content_type": "application/json", "content": flow},
                            "name": "flow.json", "asset_type": "FLOW_JSON"}),
        _request("POST", f"{base}/{target}/publish", {})]


def run(args: argparse.Namespace) -> int:
    from jaring.cli import current_app
    from jaring.whatsapp.graph import GraphError

    flow = survey_flow.flow_json()
    problems = survey_flow.problems(flow)
    if problems:
        for problem in problems:
            print(f"error: the Flow JSON: {problem}")
        return 1
    jaring = current_app(*(() if args.dry_run else ("WHATSAPP_ACCESS_TOKEN",)))
    if jaring is None:
        return 2
    settings = jaring.settings
    office = args.office or settings.default_office
    store = jaring.flow_store
    raw = json.dumps(flow, ensure_ascii=False, separators=(",", ":")).encode()
    digest = hashlib.sha256(raw).hexdigest()
    known = store.get(office) or {}
    if args.dry_run:
        for request in plan(settings.whatsapp_api_base, settings.whatsapp_waba_id, known.get("flow_id", ""), flow):
            print(json.dumps(request, ensure_ascii=False, indent=2))
        return 0
    if known.get("digest") == digest:
        print(json.dumps({"office": office, "flow_id": known["flow_id"], "status": "unchanged"}))
        return 0
    if not settings.whatsapp_waba_id and not known.get("flow_id"):
        print("error: set WHATSAPP_BUSINESS_ACCOUNT_ID (the WhatsApp Business Account id) to create the Flow")
        return 2
    graph = jaring.graph
    try:
        flow_id = known.get("flow_id") or next(
            (str(f["id"]) for f in graph.flows(settings.whatsapp_waba_id) if f.get("name") == survey_flow.NAME), "")
        if not flow_id:
            flow_id = graph.create_flow(settings.whatsapp_waba_id, survey_flow.NAME, list(survey_flow.CATEGORIES))
        errors = graph.upload_flow_json(flow_id, raw)
        if errors:
            for error in errors:
                print(f"error: Meta refused the Flow JSON: {error.get('error')}: {error.get('message')}")
            return 1
        graph.publish_flow(flow_id)
    except GraphError as exc:
        print(f"error: {exc}")
        return 1
    store.record(office, flow_id, survey_flow.NAME, survey_flow.VERSION, digest, jaring.clock.now())
    print(json.dumps({"office": office, "flow_id": flow_id, "status": "published", "version": survey_flow.VERSION}))
    return 0
