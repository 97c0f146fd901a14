"""`make run` stays true: the local stack starts and a citizen's message gets the bot's answer."""
import subprocess
import sys

from tests.conftest import ROOT
from tests.support.emulator import free_port


def test_the_local_stack_answers_a_citizen_end_to_end():
    result = subprocess.run(
        [sys.executable, "-m", "tests.support.localstack", "--check", f"--emulator-port={free_port()}",
         f"--chat-port={free_port()}", "--port-offset=1100"],
        cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "the bot replied" in result.stdout
    assert "loaded 1 office configuration(s)" in result.stdout and "5 staff may sign in" in result.stdout
