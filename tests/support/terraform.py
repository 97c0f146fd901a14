"""The Terraform configuration as data, and the offline tools that check it.

The checkers live in their own venvs (make tools; `make test` builds them): checkov ships
bc-python-hcl2 and python-hcl2 installs the same `hcl2` package, so they cannot share one.
A missing tool fails the test that needs it; nothing is skipped.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
TERRAFORM = ROOT / "terraform"

_PARSE = """
import json, pathlib, sys
import hcl2
from hcl2.utils import SerializationOptions
opts = SerializationOptions(strip_string_quotes=True, explicit_blocks=False, with_comments=False)
out = {}
for name in sys.argv[1:]:
    with open(name) as f:
        out[pathlib.Path(name).name] = hcl2.load(f, serialization_options=opts)
json.dump(out, sys.stdout)
"""


def tool(venv: str, executable: str) -> Path:
    base = Path(os.environ.get("JARING_TOOLS") or ROOT / ".venv-tools")
    path = base / venv / "bin" / executable
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make tools` (or `make test`, which builds it)", pytrace=False)
    return path


def terraform_binary() -> str:
    found = shutil.which("terraform") or ("/usr/local/bin/terraform" if Path("/usr/local/bin/terraform").exists()
                                          else None)
    if not found:
        pytest.fail("terraform is not installed (README, prerequisites): needed for `terraform fmt -check`",
                    pytrace=False)
    return found


def parse(*files: Path) -> dict[str, dict[str, Any]]:
    """HCL files → {file name: python-hcl2 8 output with plain strings and blocks as lists}."""
    done = subprocess.run([str(tool("hcl2", "python")), "-c", _PARSE, *map(str, files)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"python-hcl2 could not parse the configuration:\n{done.stderr}"
    return json.loads(done.stdout)


class Config:
    """The merged blocks of every *.tf file in terraform/."""

    def __init__(self, parsed: dict[str, dict[str, Any]]):
        self.files = parsed
        self.resources: dict[str, dict[str, dict[str, Any]]] = {}
        self.data: dict[str, dict[str, dict[str, Any]]] = {}
        self.locals: dict[str, Any] = {}
        self.variables: dict[str, dict[str, Any]] = {}
        self.outputs: dict[str, dict[str, Any]] = {}
        for content in parsed.values():
            for kind, into in (("resource", self.resources), ("data", self.data)):
                for block in content.get(kind, []):
                    for rtype, named in block.items():
                        into.setdefault(rtype, {}).update(named)
            for block in content.get("locals", []):
                self.locals.update(block)
            for block in content.get("variable", []):
                self.variables.update(block)
            for block in content.get("output", []):
                self.outputs.update(block)

    def resource(self, rtype: str, name: str) -> dict[str, Any]:
        assert name in self.resources.get(rtype, {}), f"terraform/ has no {rtype}.{name}"
        return self.resources[rtype][name]


def load() -> Config:
    return Config(parse(*sorted(TERRAFORM.glob("*.tf"))))
