"""The baseline for the webhook benchmark: the least a persist-and-reply webhook must do.

Verify the signature, parse, create the message document once, send one reply, record it.
No conversation, no transaction, no outbox lease: what Jaring's full path is compared against.
"""
import hashlib
import hmac
import json
import os

import functions_framework
import requests
from google.api_core.exceptions import AlreadyExists
from google.cloud import firestore

db = firestore.Client(project=os.environ["GOOGLE_CLOUD_PROJECT"])
session = requests.Session()
SECRET = os.environ["WHATSAPP_APP_SECRET"].encode()
URL = f"{os.environ['WHATSAPP_API_BASE']}/{os.environ['WHATSAPP_PHONE_NUMBER_ID']}/messages"
AUTH = {"Authorization": f"Bearer {os.environ['WHATSAPP_ACCESS_TOKEN']}"}


@functions_framework.http
def minimal_webhook(request):
    raw = request.get_data()
    expected = "sha256=" + hmac.new(SECRET, raw, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, request.headers.get("X-Hub-Signature-256", "")):
        return "forbidden", 403
    body = json.loads(raw)
    for entry in body["entry"]:
        for change in entry["changes"]:
            for message in change["value"].get("messages", []):
                key = hashlib.sha256(message["id"].encode()).hexdigest()[:40]
                try:
                    db.collection("bench_inbound").document(key).create({"text": message.get("text")})
                except AlreadyExists:
                    continue
                reply = session.post(URL, headers=AUTH, timeout=10, json={
                    "messaging_product": "whatsapp", "to": "+" + message["from"], "type": "text",
                    "text": {"body": "Terima kasih"}}).json()
                db.collection("bench_outbox").document(key).set({"wamid": reply["messages"][0]["id"]})
    return "ok", 200
