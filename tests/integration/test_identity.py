"""admin_api callers: real Google-style ID tokens (signed here, certificates served locally) and staff roles."""
import dataclasses
import datetime as dt
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from google.auth import crypt, jwt

from tests.conftest import OFFICE
from tests.support.dialogue import SEED, load_configs

AUDIENCE = "https://admin-api.example/jaring"


def _key_and_cert():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test-google")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    pem_key = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    return pem_key, cert.public_bytes(serialization.Encoding.PEM).decode()


@pytest.fixture(scope="module")
def google():
    """A stand-in for Google's certificate endpoint and a signer for its ID tokens."""
    pem_key, pem_cert = _key_and_cert()
    body = json.dumps({"kid-1": pem_cert}).encode()

    class Certs(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Certs)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    signer = crypt.RSASigner.from_string(pem_key, key_id="kid-1")

    def token(email, audience=AUDIENCE, issuer="https://accounts.google.com", verified=True, expires_in=600):
        now = int(time.time())
        claims = {"iss": issuer, "aud": audience, "sub": "1", "email": email, "email_verified": verified,
                  "iat": now, "exp": now + expires_in}
        return jwt.encode(signer, claims).decode()

    yield f"http://127.0.0.1:{server.server_address[1]}/certs", token
    server.shutdown()


@pytest.fixture
def admin_api(functions_client, jaring, db, google):
    certs_url, _ = google
    jaring.settings = dataclasses.replace(jaring.settings, admin_audience=AUDIENCE, id_token_certs_url=certs_url)
    assert load_configs() == 0  # the seed's staff with an email may sign in
    return functions_client("admin_api")


def call(client, token):
    return client.get("/tickets", headers={"Authorization": f"Bearer {token}"})


def test_a_registered_staff_member_with_a_valid_google_token_is_let_in(admin_api, google):
    assert call(admin_api, google[1]("Petugas@Example.go.id")).status_code == 200


@pytest.mark.parametrize("change, status", [
    ({"audience": "https://someone-else.example"}, 401),
    ({"issuer": "https://evil.example"}, 401),
    ({"verified": False}, 401),
    ({"expires_in": -3600}, 401),
])
def test_tokens_for_another_audience_issuer_unverified_or_expired_are_refused(admin_api, google, change, status):
    assert call(admin_api, google[1]("petugas@example.go.id", **change)).status_code == status


def test_a_valid_token_of_someone_who_is_not_staff_is_forbidden(admin_api, google):
    assert call(admin_api, google[1]("stranger@gmail.com")).status_code == 403


def test_a_token_signed_by_another_key_is_refused(admin_api, google):
    forged_key, _ = _key_and_cert()
    now = int(time.time())
    forged = jwt.encode(crypt.RSASigner.from_string(forged_key, key_id="kid-1"), {
        "iss": "accounts.google.com", "aud": AUDIENCE, "email": "petugas@example.go.id", "email_verified": True,
        "iat": now, "exp": now + 600}).decode()
    assert call(admin_api, forged).status_code == 401


def test_the_dev_identity_header_is_refused_outside_the_local_stack(admin_api, jaring):
    header = {"X-Jaring-Dev-Identity": "petugas@example.go.id|admin|kemenag-bangkalan|"}
    assert admin_api.get("/tickets", headers=header).status_code == 401
    jaring.settings = dataclasses.replace(jaring.settings, dev_identity_allowed=True)  # but no emulator configured
    assert admin_api.get("/tickets", headers=header).status_code == 401
    jaring.settings = dataclasses.replace(jaring.settings, emulator_host="127.0.0.1:8080")
    assert admin_api.get("/tickets", headers=header).status_code == 200


def test_sign_in_follows_the_office_file_a_person_taken_out_of_it_is_refused(admin_api, google, db, tmp_path):
    token = google[1]
    assert call(admin_api, token("kepala.tu@example.go.id")).status_code == 200
    assert db.collection("staff").document("kepala.tu@example.go.id").get().to_dict() | {"loaded_at": None} == {
        "office": OFFICE, "role": "unit_head", "unit": "umum", "wa_id": "628001000003",
        "name": "Kepala Subbagian TU (CONTOH)", "source": "kemenag-bangkalan.toml", "active": True, "loaded_at": None}
    seed = open(SEED, encoding="utf-8").read()
    without_head = seed.replace('email = "kepala.tu@example.go.id"\n', "")
    assert without_head != seed
    (tmp_path / "kemenag-bangkalan.toml").write_text(without_head, encoding="utf-8")
    assert load_configs(tmp_path / "kemenag-bangkalan.toml") == 0
    assert call(admin_api, token("kepala.tu@example.go.id")).status_code == 403
    assert db.collection("staff").document("kepala.tu@example.go.id").get().get("active") is False
    assert call(admin_api, token("petugas@example.go.id")).status_code == 200


@pytest.mark.parametrize("who, status", [
    (f"irjen@example.go.id|inspectorate|{OFFICE}|", 403),  # whistleblowing reports only, no tickets
    (f"x@example.go.id|officer|{OFFICE}|", 401),  # an officer without a unit
    (f"x@example.go.id|head|{OFFICE}|umum", 401),  # not a role
    (f"kepala@example.go.id|office_head|{OFFICE}|", 200),
])
def test_roles_are_the_ones_the_office_file_and_the_firestore_rules_name(admin_api, jaring, who, status):
    jaring.settings = dataclasses.replace(jaring.settings, dev_identity_allowed=True, emulator_host="127.0.0.1:1")
    assert admin_api.get("/tickets", headers={"X-Jaring-Dev-Identity": who}).status_code == status
