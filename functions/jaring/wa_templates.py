"""The message templates Jaring needs outside WhatsApp's 24-hour window, as registered with Meta.

This text is what `python -m jaring templates register` submits; the senders fill the same
placeholders, so the order of parameters is defined once here. All four are UTILITY: each is
tied to one specific service the citizen received (Meta approves only such feedback surveys as
utility, not a generic "rate us").
"""
from __future__ import annotations

from typing import Any, Sequence

from jaring.whatsapp import messages

FORMS_URL_BASE = "https://docs.google.com/forms/d/e/"
SURVEY_KEYWORD = "SURVEI"

INVITATION = "invitation"
NUDGE = "nudge"  # the reminder sweep's, when the citizen has not answered
THANKS = "thanks"
CLOSING = "closing"
WITH_FORM_BUTTONS = (INVITATION, NUDGE)

DEFAULT_NAMES = {INVITATION: "jaring_undangan_survei", NUDGE: "jaring_pengingat_survei",
                 THANKS: "jaring_terima_kasih_survei", CLOSING: "jaring_tindak_lanjut"}

BODIES = {
    INVITATION: ("Terima kasih telah menggunakan layanan {{1}} di {{2}} (kode {{3}}). "
                 "Mohon kesediaan Bapak/Ibu mengisi survei kepuasan tentang layanan tersebut, sekitar 2 menit. "
                 "Jawaban tidak dikaitkan dengan nama. Tekan \"Isi survei\", atau \"Isi di WhatsApp\" "
                 "untuk menjawab langsung di sini."),
    NUDGE: ("Pengingat: Bapak/Ibu telah menggunakan layanan {{1}} di {{2}} (kode {{3}}). Kami masih menunggu "
            "penilaian Bapak/Ibu, sekitar 2 menit; jawaban tidak dikaitkan dengan nama. Tekan \"Isi survei\", atau "
            "\"Isi di WhatsApp\" untuk menjawab langsung di sini. Balas BERHENTI bila tidak ingin diingatkan lagi."),
    THANKS: ("Terima kasih, jawaban survei Bapak/Ibu untuk layanan {{1}} (kode {{2}}) sudah kami terima. "
             "Masukan Bapak/Ibu membantu kami memperbaiki pelayanan."),
    CLOSING: ("Bapak/Ibu pernah memberi penilaian tentang layanan {{1}} (kode {{2}}). "
              "Tindak lanjut kami: {{3}}. Terima kasih atas masukannya."),
}
EXAMPLES = {
    INVITATION: ["Legalisir Buku Nikah", "PTSP Kemenag Bangkalan", "K7M2QX9AB4"],
    NUDGE: ["Legalisir Buku Nikah", "PTSP Kemenag Bangkalan", "K7M2QX9AB4"],
    THANKS: ["Legalisir Buku Nikah", "K7M2QX9AB4"],
    CLOSING: ["Legalisir Buku Nikah", "K7M2QX9AB4", "kursi ruang tunggu PTSP sudah ditambah"],
}


def registration(kind: str, name: str, language: str) -> dict[str, Any]:
    """The POST /{waba_id}/message_templates body for one template."""
    components: list[dict[str, Any]] = [
        {"type": "BODY", "text": BODIES[kind], "example": {"body_text": [EXAMPLES[kind]]}}]
    if kind in WITH_FORM_BUTTONS:
        components.append({"type": "BUTTONS", "buttons": [
            {"type": "URL", "text": "Isi survei", "url": FORMS_URL_BASE + "{{1}}",
             "example": [FORMS_URL_BASE + "1FAIpQLSe-contoh/viewform?usp=pp_url&entry.1=contoh"]},
            {"type": "QUICK_REPLY", "text": "Isi di WhatsApp"}]})
    return {"name": name, "language": language, "category": "UTILITY", "components": components}


def parameter(value: str) -> str:
    """Meta refuses template parameters with new lines, tabs or more than four spaces in a row."""
    return " ".join(str(value).split())[:400] or "-"


def content(kind: str, name: str, language: str, body: Sequence[str], form_url: str = "",
            survey_payload: str = SURVEY_KEYWORD) -> messages.Content:
    """The send request's template part; the invitation's URL button gets the form link's tail."""
    buttons: list[tuple[str, int, str]] = []
    if kind in WITH_FORM_BUTTONS:
        if not form_url.startswith(FORMS_URL_BASE):
            raise messages.MessageLimitError(f"the invitation template links only to {FORMS_URL_BASE}…")
        buttons = [("url", 0, form_url[len(FORMS_URL_BASE):]), ("quick_reply", 1, survey_payload)]
    return messages.template(name, language, [parameter(p) for p in body], buttons)
