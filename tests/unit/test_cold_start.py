"""A fresh instance's cold start: what each Cloud Function imports before its first request.

The webhook loads complaints and WBS, the tickets' part of the conversation and the survey's invitations, Flow,
forms and stores only when a turn enters them (jaring.inbox, jaring.hotline.conversation); libraries that only
some requests need are imported by those requests. Each function's import path is read from functions/main.py
as bench/webhook_bench.py measures it (docs/BENCHMARKS.md, Cold start), and imported in a fresh interpreter.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.webhook_bench import function_imports

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"
# What only some turns of a conversation need: the webhook's import must not load it.
ENTERED_BY_SOME_TURNS = ("jaring.cases.chat", "jaring.cases.complaints", "jaring.cases.routing", "jaring.cases.intake",
                         "jaring.cases.wbs", "jaring.cases.store", "jaring.cases.wbs_store", "jaring.hotline.complaint",
                         "jaring.tickets.chat", "jaring.tickets.store", "jaring.survey.invitations",
                         "jaring.survey.flow", "jaring.survey.forms", "jaring.survey.nudges", "jaring.survey.store")
# Libraries only some requests need (reading a message, an office's holidays, an export, a QR code, a number).
LIBRARIES = ("rapidfuzz", "Sastrawi", "openpyxl", "segno", "holidays", "phonenumbers", "google.cloud.scheduler_v1")


def loaded_by(imports: str) -> set[str]:
    probe = f"import json, sys\n{imports}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=FUNCTIONS, capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout))


def test_the_webhook_starts_without_complaints_wbs_tickets_chat_or_the_survey_s_invitations():
    loaded = loaded_by(function_imports()["whatsapp_webhook"])
    assert "jaring.inbox" in loaded  # the path is the conversation's router
    assert sorted(loaded & set(ENTERED_BY_SOME_TURNS)) == []


@pytest.mark.parametrize("function", sorted(function_imports()))
def test_no_function_starts_with_a_library_only_some_requests_need(function):
    loaded = loaded_by(function_imports()[function])
    assert sorted(m for m in loaded if m.split(".")[0] in LIBRARIES or m in LIBRARIES) == []
