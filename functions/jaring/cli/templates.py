"""`python -m jaring templates check|register`: Meta's rules, then submit the templates (jaring.whatsapp.templates).

`check [FILE…]` needs nothing but the files: it applies Meta's review rules (whatsapp/template_rules.py) to
every template with the names and language of the given office files (Jaring's defaults without files).
`register` checks the same way first and submits nothing if any template would be refused; it needs
WHATSAPP_BUSINESS_ACCOUNT_ID. Meta reviews each one; they can be sent once APPROVED. --dry-run prints them.
The Flow variants (a FLOW button) are registered for an office whose [survey] path is "flow", after
`python -m jaring flows publish`.
"""
from __future__ import annotations

import argparse
import json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["check", "register"])
    parser.add_argument("files", nargs="*", metavar="FILE", help="check: office configuration files whose "
                        "template names and language to check (default: Jaring's names, language id)")
    parser.add_argument("--dry-run", action="store_true", help="register: print the requests, send nothing")
    parser.add_argument("--office", help="register: whose template names and language (default JARING_DEFAULT_OFFICE)")


def refused(bodies: list[dict]) -> int:
    """Print every template's verdict; the number Meta would refuse."""
    from jaring.whatsapp import template_rules

    bad = 0
    for body in bodies:
        problems = template_rules.problems(body)
        bad += bool(problems)
        for problem in problems:
            print(f"error: {body['name']} ({body['language']}): {problem}")
        if not problems:
            print(f"ok: {body['name']} ({body['language']})")
    return bad


def check(files: list[str]) -> int:
    from jaring.whatsapp import templates as wa_templates
    from jaring.offices.model import InvalidConfig
    from jaring.offices.store import read_files

    if not files:
        bodies = [wa_templates.registration(kind, name, "id") for kind, name in wa_templates.DEFAULT_NAMES.items()]
    else:
        try:
            configs = [item.config for item in read_files(files)]
        except InvalidConfig as exc:
            print(f"error: {exc.problems[0]}" + (f" (and {len(exc.problems) - 1} more)" if len(exc.problems) > 1 else ""))
            return 1
        bodies = [wa_templates.registration(kind, c.survey.templates.get(kind) or name, c.survey.template_language or "id")
                  for c in configs for kind, name in wa_templates.DEFAULT_NAMES.items()]
    bad = refused(bodies)
    print(f"{len(bodies) - bad} of {len(bodies)} templates follow Meta's rules" if bad else
          f"all {len(bodies)} templates follow Meta's rules")
    return 1 if bad else 0


def run(args: argparse.Namespace) -> int:
    if args.action == "check":
        return check(args.files)
    from jaring.whatsapp import templates as wa_templates
    from jaring.cli import current_app
    from jaring.whatsapp.graph import GraphError

    jaring = current_app("WHATSAPP_ACCESS_TOKEN")  # and the WABA id, checked below (it has two names)
    if jaring is None:
        return 2
    settings = jaring.settings
    messaging = jaring.ticket_store.messaging(args.office or settings.default_office, settings)
    # The Flow variants only for an office that invites by Flow, and only once its Flow is published.
    with_flow = messaging.survey_path == "flow"
    waiting = with_flow and not messaging.flow_id
    kinds = [k for k in wa_templates.DEFAULT_NAMES
             if k not in wa_templates.WITH_FLOW_BUTTONS or (with_flow and not waiting)]
    if waiting:
        print("note: the office invites by WhatsApp Flow but has none published yet (it invites with its form "
              "until then): run `python -m jaring flows publish`, then register again for the Flow templates")
    bodies = [wa_templates.registration(kind, messaging.template(kind), messaging.template_language)
              for kind in kinds]
    if refused(bodies):
        print("nothing was submitted: fix the templates Meta would refuse (jaring/whatsapp/templates.py)")
        return 1
    if args.dry_run:
        print(json.dumps(bodies, ensure_ascii=False, indent=2))
        return 0
    if not settings.whatsapp_waba_id:
        print("error: set WHATSAPP_BUSINESS_ACCOUNT_ID (the WhatsApp Business Account id) to register templates")
        return 2
    failed = 0
    for body in bodies:
        try:
            answer = jaring.graph.register_template(settings.whatsapp_waba_id, body)
            print(json.dumps({"template": body["name"], "id": answer.get("id"), "status": answer.get("status")}))
        except GraphError as exc:
            failed += 1
            print(f"error: {body['name']}: {exc}")
    return 1 if failed else 0
