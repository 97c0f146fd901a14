"""The message templates Jaring needs outside WhatsApp's 24-hour window, as registered with Meta.

This text is what `python -m jaring templates register` submits; the senders fill the same
placeholders, so the order of parameters is defined once here. All are UTILITY: each is tied to
one specific service or complaint of the person it goes to (Meta approves only such messages as
utility, not a generic "rate us"). The complaint and WBS ones (issue 7) carry news about a case the
person opened, or a deadline staff must meet; the WBS notice names no report, only that there is news.
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
# The same two with a FLOW button opening the office's WhatsApp Flow (an office whose [survey] path is "flow").
INVITATION_FLOW = "invitation_flow"
NUDGE_FLOW = "nudge_flow"
WITH_FLOW_BUTTONS = (INVITATION_FLOW, NUDGE_FLOW)
FLOW_NAME = "jaring_skm"  # the SKM Flow's name in the WhatsApp Business Account (jaring.survey_flow)
FLOW_SCREEN = "PENILAIAN"  # its first screen, where the button opens it
COMPLAINT_UPDATE = "complaint_update"
STAFF_ALERT = "staff_alert"
WBS_NOTICE = "wbs_notice"

DEFAULT_NAMES = {INVITATION: "jaring_undangan_survei", NUDGE: "jaring_pengingat_survei",
                 INVITATION_FLOW: "jaring_undangan_survei_flow", NUDGE_FLOW: "jaring_pengingat_survei_flow",
                 THANKS: "jaring_terima_kasih_survei", CLOSING: "jaring_tindak_lanjut",
                 COMPLAINT_UPDATE: "jaring_kabar_pengaduan", STAFF_ALERT: "jaring_peringatan_petugas",
                 WBS_NOTICE: "jaring_kabar_laporan"}

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
    COMPLAINT_UPDATE: ("Kabar pengaduan Bapak/Ibu nomor {{1}}: pengaduan tersebut {{2}}. "
                       "Balas STATUS {{3}} untuk membaca rinciannya."),
    STAFF_ALERT: "Pengingat untuk petugas layanan: {{1}}. Mohon segera ditindaklanjuti sesuai ketentuan.",
    WBS_NOTICE: ("Ada kabar baru dari Inspektorat tentang laporan yang Bapak/Ibu kirim. Untuk membacanya, "
                 "kirim kode laporan dan PIN ke nomor ini."),
}
BODIES[INVITATION_FLOW], BODIES[NUDGE_FLOW] = BODIES[INVITATION], BODIES[NUDGE]  # only their buttons differ
EXAMPLES = {
    INVITATION: ["Legalisir Buku Nikah", "PTSP Kemenag Bangkalan", "K7M2QX9AB4"],
    NUDGE: ["Legalisir Buku Nikah", "PTSP Kemenag Bangkalan", "K7M2QX9AB4"],
    THANKS: ["Legalisir Buku Nikah", "K7M2QX9AB4"],
    CLOSING: ["Legalisir Buku Nikah", "K7M2QX9AB4", "kursi ruang tunggu PTSP sudah ditambah"],
    COMPLAINT_UPDATE: ["P-K7M2QX", "sudah diverifikasi; jawaban paling lambat Selasa, 27 Januari 2026", "P-K7M2QX"],
    STAFF_ALERT: ["pengaduan P-K7M2QX melewati batas waktu verifikasi (Selasa, 20 Januari 2026)"],
    WBS_NOTICE: [],
}
EXAMPLES[INVITATION_FLOW], EXAMPLES[NUDGE_FLOW] = EXAMPLES[INVITATION], EXAMPLES[NUDGE]


def registration(kind: str, name: str, language: str) -> dict[str, Any]:
    """The POST /{waba_id}/message_templates body for one template; the Flow variants' button opens the
    published SKM Flow by its name (Meta stores the Flow's id in the template), so register them after
    `python -m jaring flows publish`."""
    body: dict[str, Any] = {"type": "BODY", "text": BODIES[kind]}
    if EXAMPLES[kind]:
        body["example"] = {"body_text": [EXAMPLES[kind]]}
    components: list[dict[str, Any]] = [body]
    if kind in WITH_FORM_BUTTONS:
        components.append({"type": "BUTTONS", "buttons": [
            {"type": "URL", "text": "Isi survei", "url": FORMS_URL_BASE + "{{1}}",
             "example": [FORMS_URL_BASE + "1FAIpQLSe-contoh/viewform?usp=pp_url&entry.1=contoh"]},
            {"type": "QUICK_REPLY", "text": "Isi di WhatsApp"}]})
    if kind in WITH_FLOW_BUTTONS:
        components.append({"type": "BUTTONS", "buttons": [
            {"type": "FLOW", "text": "Isi survei", "flow_name": FLOW_NAME, "flow_action": "navigate",
             "navigate_screen": FLOW_SCREEN},
            {"type": "QUICK_REPLY", "text": "Isi di WhatsApp"}]})
    return {"name": name, "language": language, "category": "UTILITY", "components": components}


def parameter(value: str) -> str:
    """Meta refuses template parameters with new lines, tabs or more than four spaces in a row."""
    return " ".join(str(value).split())[:400] or "-"


def content(kind: str, name: str, language: str, body: Sequence[str], form_url: str = "",
            survey_payload: str = SURVEY_KEYWORD, flow_token: str = "") -> messages.Content:
    """The send request's template part; the invitation's URL button gets the form link's tail, its FLOW
    button the flow_token (the ticket's survey token) that comes back with the completion."""
    buttons: list[tuple[str, int, str]] = []
    if kind in WITH_FLOW_BUTTONS:
        if not flow_token:
            raise messages.MessageLimitError(f"the {kind} template needs the ticket's flow token")
        buttons = [("flow", 0, flow_token), ("quick_reply", 1, survey_payload)]
    if kind in WITH_FORM_BUTTONS:
        if not form_url.startswith(FORMS_URL_BASE):
            raise messages.MessageLimitError(f"the invitation template links only to {FORMS_URL_BASE}…")
        buttons = [("url", 0, form_url[len(FORMS_URL_BASE):]), ("quick_reply", 1, survey_payload)]
    return messages.template(name, language, [parameter(p) for p in body], buttons)
