"""Small version of issue 17's isolation proof on every change: several offices at once in one deployment
(bench.offices_sim, docs/RELIABILITY.md "Many offices at once"), run as its documented command."""
import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.emulator


def test_offices_running_at_once_never_see_or_answer_for_each_other():
    done = subprocess.run([sys.executable, "-m", "bench.offices_sim", "--offices", "5", "--days", "2",
                           "--workers", "4", "--seed", "5"], cwd=ROOT, capture_output=True, text=True, timeout=900)
    out = done.stdout
    figures = json.loads(out[out.index("\n{\n") + 1:] if not out.startswith("{") else out)
    assert figures["invariant_failures"] == [] and done.returncode == 0
    assert figures["messages_sent"] > 0 and figures["answers"] > 0
    assert figures["kanwils"]["kanwil-jawa-timur"] >= 2  # two offices under one Kanwil
    assert figures["rollups"]["kemenag-pusat"]["respondents"] == figures["answers"]  # the sum of every office
