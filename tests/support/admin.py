"""admin_api as staff at a desk call it in the tests: the local stack's dev identity header instead of a token."""
from __future__ import annotations

from typing import Any, Callable


def caller(functions_client: Callable[[str], Any], default_who: str) -> Callable[..., Any]:
    """call(method, path, body=None, who=default_who): `who` is "email|role|office|unit"."""
    client = functions_client("admin_api")

    def call(method: str, path: str, body: Any = None, who: str = default_who) -> Any:
        return client.open(path, method=method, json=body, headers={"X-Jaring-Dev-Identity": who})

    return call
