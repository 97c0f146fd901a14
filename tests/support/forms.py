"""Google Form answers shaped like the standard forms' items (docs/forms/setup.gs), as the trigger posts them."""
from __future__ import annotations

from typing import Any

from jaring.survey import forms, questionnaire as survey
from jaring.survey.responses import LABELS

SKM_FORM = "1skmFormIdPTSP"
LOGBOOK_FORM = "1logbookFormIdPTSP"
SKM_URL = "https://docs.google.com/forms/d/e/1FAIpQLSeSKM/viewform"
TOKEN_ENTRY = "entry.1017"


def wrote_before(db, wa_id: str, when, office: str = "kemenag-bangkalan") -> None:
    """The contact the webhook keeps of a citizen who wrote to the office at `when` (the guest book invites
    only such numbers)."""
    from tests.support.invitations import contact_id

    cid = contact_id(office, wa_id)
    db.collection("contacts").document(cid).set({"office": office, "contact_id": cid, "wa_id": wa_id,
                                                 "name": "Siti Warga", "first_seen_at": when,
                                                 "last_inbound_at": when}, merge=True)


def register_forms(db, office: str = "kemenag-bangkalan", unit: str = "umum") -> None:
    db.collection("forms").document(SKM_FORM).set({"office": office, "kind": "skm", "unit": unit, "url": SKM_URL,
                                                   "token_entry": TOKEN_ENTRY, "items": {}})
    db.collection("forms").document(LOGBOOK_FORM).set({"office": office, "kind": "logbook", "unit": unit,
                                                       "items": {}})


def skm(scores: dict[str, int] | int, token: str = "", service: str = "", suggestion: str = "",
        profile: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Answers in the form's order (sarana before pengaduan), each a label as the citizen ticked it."""
    scores = scores if isinstance(scores, dict) else {u: scores for u, _ in survey.QUESTIONS}
    answers = [{"itemId": "1001", "title": forms.SERVICE_TITLE, "value": service}]
    answers += [{"itemId": str(1002 + i), "title": q, "value": LABELS[u][scores[u] - 1]}
                for i, (u, q) in enumerate(survey.QUESTIONS)]
    for name, label in (profile or {}).items():
        answers.append({"itemId": "1020", "title": survey.PROFILE_OF[name][0], "value": label})
    answers.append({"itemId": "1030", "title": survey.SUGGESTION_QUESTION, "value": suggestion})
    answers.append({"itemId": "1017", "title": forms.TOKEN_TITLE, "value": token})
    return answers


def logbook(phone: str, service: str = "legalisir SK", unit: str = "umum", consent: bool = True,
            done: bool = True, name: str = "Siti Warga") -> list[dict[str, Any]]:
    t = forms.LOGBOOK_TITLES
    answers = [{"itemId": "2001", "title": t["name"], "value": name},
               {"itemId": "2002", "title": t["phone"], "value": phone},
               {"itemId": "2003", "title": t["service"], "value": service},
               {"itemId": "2004", "title": t["unit"], "value": unit},
               {"itemId": "2007", "title": t["done"], "value": "Ya" if done else "Belum"}]
    if consent:
        answers.append({"itemId": "2006", "title": t["consent"], "value": [forms.CONSENT_TEXT]})
    return answers
