"""Survey invitations and their citizens written straight into Firestore, in the agreed shapes
(`invitations/{ticket_id}`, `contacts/{contact_id}`), for the sweep's tests and benchmark."""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterator

from jaring.pseudonyms import contact_id as keyed_contact_id

OFFICE = "kemenag-bangkalan"
FORM_URL = "https://docs.google.com/forms/d/e/1FAIpQLSe-jaring/viewform?usp=pp_url&entry.1=tok"


def citizen(n: int) -> str:
    return f"6281234{n:06d}"



def contact_id(office: str, wa_id: str) -> str:
    """The contact id the functions give this number (keyed with the tests' JARING_PSEUDONYM_KEY)."""
    from tests.conftest import PSEUDONYM_KEY

    return keyed_contact_id(PSEUDONYM_KEY.encode(), office, wa_id)

def docs(ticket_id: str, wa_id: str, invited_at: dt.datetime, *, office: str = OFFICE,
         last_inbound_at: dt.datetime | None = None, invitation: dict[str, Any] | None = None,
         contact: dict[str, Any] | None = None) -> tuple[tuple[str, dict[str, Any]], tuple[str, dict[str, Any]]]:
    """(contact id, contact doc), (ticket id, invitation doc) as the hotline and the tickets work write them;
    the first nudge is due a day after the invitation."""
    cid = contact_id(office, wa_id)
    contact_doc = {"office": office, "contact_id": cid, "wa_id": wa_id, "name": "Siti Warga", "consent": True,
                   "last_inbound_at": last_inbound_at or invited_at - dt.timedelta(hours=1), **(contact or {})}
    invitation_doc = {"office": office, "unit": "bimas-islam", "service": "rekomendasi-umrah", "contact_id": cid,
                      "ticket_id": ticket_id, "state": "sent", "invited_at": invited_at, "last_sent_at": invited_at,
                      "outbox_id": "i" + ticket_id, "nudges": 0, "next_nudge_at": invited_at + dt.timedelta(hours=24),
                      "answered_at": None, "path": "free_form", "form_url": FORM_URL, **(invitation or {})}
    return (cid, contact_doc), (ticket_id, invitation_doc)


def put(db: Any, ticket_id: str, wa_id: str, invited_at: dt.datetime, **kw: Any) -> str:
    """Write one invitation and its contact; returns the contact id."""
    (cid, contact_doc), (_, invitation_doc) = docs(ticket_id, wa_id, invited_at, **kw)
    db.collection("contacts").document(cid).set(contact_doc)
    db.collection("invitations").document(ticket_id).set(invitation_doc)
    return cid


def seed(db: Any, total: int, due: int, now: dt.datetime, batch_size: int = 500) -> None:
    """`total` invitations (and contacts), `due` of them due now, the rest invited too recently;
    written in batches of at most 500 (Firestore's limit)."""
    step = max(1, total // due) if due else total + 1  # the due ones spread evenly through the ids

    def writes() -> Iterator[tuple[str, str, dict[str, Any]]]:
        for n in range(total):
            is_due = n % step == 0 and n // step < due
            invited = now - dt.timedelta(hours=25 if is_due else 2)
            (cid, contact_doc), (tid, invitation_doc) = docs(f"B{n:07d}", citizen(n), invited)
            yield "contacts", cid, contact_doc
            yield "invitations", tid, invitation_doc

    batch, count = db.batch(), 0
    for collection, doc_id, data in writes():
        batch.set(db.collection(collection).document(doc_id), data)
        count += 1
        if count == batch_size:
            batch.commit()
            batch, count = db.batch(), 0
    if count:
        batch.commit()
