"""`python -m jaring templates register`: submit the message templates (jaring.wa_templates) to Meta.

Needs WHATSAPP_WABA_ID. Meta reviews each one; they can be sent once APPROVED. --dry-run prints them.
The names and language are the office's (`[survey]` in its configuration file), so what is registered
is what the invitations send.
"""
from __future__ import annotations

import argparse
import json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["register"])
    parser.add_argument("--dry-run", action="store_true", help="print the requests, send nothing")
    parser.add_argument("--office", help="whose template names and language (default JARING_DEFAULT_OFFICE)")


def run(args: argparse.Namespace) -> int:
    from jaring import ticketing, wa_templates
    from jaring.cli import current_app
    from jaring.whatsapp.graph import GraphError

    jaring = current_app()
    if jaring is None:
        return 2
    settings = jaring.settings
    messaging = ticketing.store_of(jaring).messaging(args.office or settings.default_office, settings)
    bodies = [wa_templates.registration(kind, messaging.template(kind), messaging.template_language)
              for kind in wa_templates.DEFAULT_NAMES]
    if args.dry_run:
        print(json.dumps(bodies, ensure_ascii=False, indent=2))
        return 0
    if not settings.whatsapp_waba_id:
        print("error: set WHATSAPP_WABA_ID (the WhatsApp Business Account id) to register templates")
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
