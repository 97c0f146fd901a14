"""A citizen's contact id is a keyed pseudonym: someone holding the database but not JARING_PSEUDONYM_KEY cannot
get from a phone number to the citizen's records, nor back, by hashing numbers (issue 14, finding 2)."""
from jaring import ids as refs, pseudonyms
from jaring.messaging import outbox
from tests.conftest import OFFICE, PSEUDONYM_KEY
from tests.support.whatsapp_user import WhatsAppUser

CITIZEN = "628123450077"


def test_no_record_can_be_found_by_hashing_a_number_without_the_key(webhook, graph, db, jaring):
    WhatsAppUser(webhook, graph, CITIZEN, "Siti").consents()
    unkeyed = "c" + outbox.key(OFFICE, CITIZEN)  # the old, reversible pseudonym: ~10^10 numbers to try
    guesses = {unkeyed, refs.handle(unkeyed), outbox.key(OFFICE, CITIZEN)}
    everything = [(c.id, s.id, str(s.to_dict())) for c in db.collections() for s in c.stream()]
    assert not [(c, i) for c, i, text in everything if any(g in i or g in text for g in guesses)]

    [contact] = [s for s in db.collection("contacts").stream()]
    assert contact.id == pseudonyms.contact_id(PSEUDONYM_KEY.encode(), OFFICE, CITIZEN)
    assert contact.id != pseudonyms.contact_id(b"another key", OFFICE, CITIZEN)
    assert contact.get("handle") == refs.handle(contact.id)  # the staff's code derives from the keyed id only
