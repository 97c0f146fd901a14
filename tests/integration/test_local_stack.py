"""`make run` stays true: the local stack starts, a citizen's message gets the bot's answer, and a finished
service's WhatsApp Flow invitation is answered and counted."""
import subprocess
import sys

from tests.conftest import ROOT
from tests.support.emulator import free_port


def test_the_local_stack_answers_a_citizen_end_to_end():
    result = subprocess.run(
        [sys.executable, "-m", "tests.support.localstack", "--check", f"--emulator-port={free_port()}",
         f"--chat-port={free_port()}", "--port-offset=1100"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)  # the check also answers a WhatsApp Flow end to end
    assert result.returncode == 0, result.stdout + result.stderr
    assert "the bot replied" in result.stdout
    # A finished service's WhatsApp Flow, answered (and redelivered): one thank-you, counted on the dashboard.
    assert ("Flow invitation answered; thanks arrived, 1 reply to two deliveries, dashboard counts it under "
            "WhatsApp Flow") in result.stdout
    assert "loaded 3 office configuration(s)" in result.stdout and "9 staff may sign in" in result.stdout  # Bangkalan, its Kanwil, the ministry
