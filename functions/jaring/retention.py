"""How long records about a citizen are kept (pure): every collection that holds a contact_id or a citizen's
words gets its TTL field (`expire_at`) from here when it is written (docs/SECURITY.md, "Data retention";
the TTL policies are in jaring.indexes.TTL_FIELDS and terraform/firestore.tf)."""
from __future__ import annotations

import datetime as dt

UNAGREED_CONTACT = dt.timedelta(days=30)  # a number that never agreed to the notice (or only checked a WBS code)
MESSAGES = dt.timedelta(days=90)  # inbound and outbox: the words and the numbers they went to
SERVICE = dt.timedelta(days=365)  # tickets, invitations, follow-ups, service requests: a year after opening
COMPLAINTS = dt.timedelta(days=730)  # complaints: two years after receipt (handling records, ratings kept apart)


def until(now: dt.datetime, period: dt.timedelta) -> dt.datetime:
    return now + period
