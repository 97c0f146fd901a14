"""Firestore security rules on the emulator, through its REST API.

The Python client always sends `Bearer owner` to the emulator, which bypasses rules, so rules are
exercised over REST with unsigned ID tokens carrying the claims a signed-in staff member would have.
"""
from __future__ import annotations

import base64
import json
import time
from typing import Any

import requests


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def id_token(project: str, uid: str, **claims: Any) -> str:
    """An unsigned Firebase ID token (as firebase's createMockUserToken makes); the emulator accepts it."""
    now = int(time.time())
    payload = {"iss": f"https://securetoken.google.com/{project}", "aud": project, "iat": now, "exp": now + 3600,
               "auth_time": now, "sub": uid, "user_id": uid,
               "firebase": {"sign_in_provider": "custom", "identities": {}}, **claims}
    return _b64({"alg": "none", "kid": "fakekid", "typ": "JWT"}) + "." + _b64(payload) + "."


def _value(v: Any) -> dict[str, Any]:
    if isinstance(v, bool):
        return {"booleanValue": v}
    if isinstance(v, int):
        return {"integerValue": str(v)}
    return {"stringValue": str(v)}


class RulesClient:
    def __init__(self, host: str, project: str):
        self.project = project
        self.base = f"http://{host}/v1/projects/{project}/databases/(default)/documents"
        self.host = host

    def load(self, rules_text: str) -> requests.Response:
        return requests.put(f"http://{self.host}/emulator/v1/projects/{self.project}:securityRules",
                            json={"rules": {"files": [{"name": "firestore.rules", "content": rules_text}]}},
                            timeout=60)  # compiling the rules on a fresh emulator takes long on a busy machine

    def reset(self) -> None:
        requests.delete(self.base.replace("/v1/", "/emulator/v1/"), timeout=60).raise_for_status()

    def _headers(self, token: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"} if token else {}

    def seed(self, collection: str, doc_id: str, fields: dict[str, Any]) -> None:
        r = requests.patch(f"{self.base}/{collection}/{doc_id}", headers=self._headers("owner"),
                           json={"fields": {k: _value(v) for k, v in fields.items()}}, timeout=10)
        r.raise_for_status()

    def document(self, collection: str, doc_id: str) -> dict[str, Any] | None:
        """A document's fields as the owner sees them (bypassing rules), None when absent."""
        r = requests.get(f"{self.base}/{collection}/{doc_id}", headers=self._headers("owner"), timeout=10)
        if r.status_code == 404:
            return None
        r.raise_for_status()
        return {k: next(iter(v.values())) for k, v in r.json().get("fields", {}).items()}

    def get(self, token: str | None, collection: str, doc_id: str) -> int:
        return requests.get(f"{self.base}/{collection}/{doc_id}", headers=self._headers(token), timeout=10).status_code

    def list(self, token: str | None, collection: str, **equal: str) -> int:
        query: dict[str, Any] = {"from": [{"collectionId": collection}]}
        filters = [{"fieldFilter": {"field": {"fieldPath": k}, "op": "EQUAL", "value": _value(v)}}
                   for k, v in equal.items()]
        if filters:
            query["where"] = {"compositeFilter": {"op": "AND", "filters": filters}}
        return requests.post(f"{self.base}:runQuery", headers=self._headers(token),
                             json={"structuredQuery": query}, timeout=10).status_code

    def create(self, token: str | None, collection: str, doc_id: str, fields: dict[str, Any]) -> int:
        return requests.post(f"{self.base}/{collection}", params={"documentId": doc_id}, headers=self._headers(token),
                             json={"fields": {k: _value(v) for k, v in fields.items()}}, timeout=10).status_code

    def update(self, token: str | None, collection: str, doc_id: str, fields: dict[str, Any]) -> int:
        return requests.patch(f"{self.base}/{collection}/{doc_id}", headers=self._headers(token),
                              json={"fields": {k: _value(v) for k, v in fields.items()}}, timeout=10).status_code

    def delete(self, token: str | None, collection: str, doc_id: str) -> int:
        return requests.delete(f"{self.base}/{collection}/{doc_id}", headers=self._headers(token),
                               timeout=10).status_code
