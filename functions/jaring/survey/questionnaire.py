"""The SKM questionnaire (PermenPANRB 14/2017) and the in-chat survey as a state machine. Pure.

Questions are asked in the sample questionnaire's order, which puts sarana (U9) before pengaduan
(U8); answers are always kept by unsur. The chat survey's state lives on the contact as
`survey`: the invitation sets it to "offered", each answer moves it on, and a citizen who stops
halfway can come back with SURVEI and continue where they left off.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from jaring.survey.responses import LABELS, UNSUR
from jaring.whatsapp import messages
from jaring.whatsapp.templates import SURVEY_KEYWORD
from jaring.whatsapp.webhook import InboundMessage

# (unsur, question) in the sample questionnaire's order.
QUESTIONS = (
    ("U1", "Bagaimana pendapat Bapak/Ibu tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?"),
    ("U2", "Bagaimana pemahaman Bapak/Ibu tentang kemudahan prosedur pelayanan di unit ini?"),
    ("U3", "Bagaimana pendapat Bapak/Ibu tentang kecepatan waktu dalam memberikan pelayanan?"),
    ("U4", "Bagaimana pendapat Bapak/Ibu tentang kewajaran biaya/tarif dalam pelayanan?"),
    ("U5", "Bagaimana pendapat Bapak/Ibu tentang kesesuaian produk pelayanan antara yang tercantum dalam "
           "standar pelayanan dengan hasil yang diberikan?"),
    ("U6", "Bagaimana pendapat Bapak/Ibu tentang kompetensi/kemampuan petugas dalam pelayanan?"),
    ("U7", "Bagaimana pendapat Bapak/Ibu tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?"),
    ("U9", "Bagaimana pendapat Bapak/Ibu tentang kualitas sarana dan prasarana?"),
    ("U8", "Bagaimana pendapat Bapak/Ibu tentang penanganan pengaduan pengguna layanan?"),
)
QUESTION_OF = dict(QUESTIONS)

# Optional respondent profile: (field, question, ((stored value, label), ...)).
PROFILE = (
    ("sex", "Jenis kelamin", (("L", "Laki-laki"), ("P", "Perempuan"))),
    ("education", "Pendidikan terakhir", (("SD", "SD ke bawah"), ("SMP", "SMP/sederajat"), ("SMA", "SMA/sederajat"),
                                          ("D3", "D1/D2/D3"), ("S1", "D4/S1"), ("S2", "S2"), ("S3", "S3"))),
    ("occupation", "Pekerjaan", (("PNS", "PNS"), ("TNI/POLRI", "TNI/POLRI"), ("SWASTA", "Pegawai swasta"),
                                 ("WIRAUSAHA", "Wirausaha"), ("PELAJAR", "Pelajar/Mahasiswa"),
                                 ("LAINNYA", "Lainnya"))),
    ("age_band", "Usia", (("<20", "Di bawah 20 tahun"), ("20-29", "20-29 tahun"), ("30-39", "30-39 tahun"),
                          ("40-49", "40-49 tahun"), ("50-59", "50-59 tahun"), ("60+", "60 tahun ke atas"))),
)
PROFILE_OF = {name: (question, choices) for name, question, choices in PROFILE}
SUGGESTION = "suggestion"
SUGGESTION_QUESTION = "Saran atau masukan untuk perbaikan layanan kami"
STEPS = tuple(u for u, _ in QUESTIONS) + tuple(name for name, _, _ in PROFILE) + (SUGGESTION,)
OFFERED, DONE = "offered", "done"
PENDING_LABEL = "survei_tertunda"  # the contact's label while they want to give feedback (jaring.hotline.labels)
SKIP = "-"
LOW = 2  # an unsur answered 1 or 2 ("Tidak …"/"Kurang …") asks for a follow-up

# Words citizens use when a suggestion is really a complaint (or worse: route it to a person).
COMPLAINT_WORDS = ("pungli", "pungutan", "calo", "suap", "uang rokok", "uang pelicin", "minta uang", "diminta uang",
                   "dipersulit", "kecewa", "kasar", "tidak dilayani", "tidak ramah", "lama sekali", "lambat",
                   "mengeluh", "keluhan", "komplain", "pengaduan", "lapor", "tidak sopan", "bentak")


def label(unsur: str, value: int) -> str:
    return LABELS[unsur][value - 1]


def followup_reasons(answers: dict[str, int], suggestion: str) -> list[str]:
    """Why an answer set needs the unit head's attention (empty: it does not).

    A low U8 alone ("Tidak ada": in the respondent's view the office has no complaint channel) says nothing the
    unit head could follow up with this citizen: it counts only beside another low unsur or a written
    suggestion. Blank unsur are not low."""
    low = [u for u in UNSUR if answers.get(u) is not None and answers[u] <= LOW]
    if low == ["U8"] and not (suggestion or "").strip():
        low = []
    reasons = [f"{u} {label(u, answers[u])} ({answers[u]})" for u in low]
    if is_complaint(suggestion):
        reasons.append("saran berisi pengaduan")
    return reasons


def is_complaint(text: str) -> bool:
    lowered = " ".join((text or "").lower().split())
    return any(re.search(rf"\b{re.escape(word)}", lowered) for word in COMPLAINT_WORDS)


# -- the chat survey --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Finished:
    """A complete chat answer set, ready to become a Response."""

    ticket_id: str
    unit: str
    service: str
    answers: dict[str, int]
    profile: dict[str, str]
    suggestion: str
    nudges: int | None


@dataclass(frozen=True)
class Turn:
    changes: dict[str, Any]  # merged into contact.survey
    replies: list[messages.Content] = field(default_factory=list)
    finished: Finished | None = None


def offered(ticket_id: str, ticket: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """The contact's survey state when an invitation goes out (replaces any earlier one)."""
    return {"ticket_id": ticket_id, "unit": ticket["unit"], "service": ticket.get("service", ""),
            "step": OFFERED, "answers": {}, "profile": {}, "nudges": 0, "offered_at": now, "updated_at": now}


def _is_start(message: InboundMessage) -> bool:
    said = (message.choice or message.text or "").strip().strip(".!").upper()
    return said in (SURVEY_KEYWORD, "SURVEY", "ISI DI WHATSAPP") or said.startswith(SURVEY_KEYWORD + ":")


def _is_cancel(message: InboundMessage) -> bool:
    return message.type == "text" and message.text.strip().strip(".!").upper() in ("BATAL", "BATAL SURVEI")


def _choice(message: InboundMessage) -> tuple[str, str, str] | None:
    parts = message.choice.split(":") if message.choice.startswith("svy:") else []
    return (parts[1], parts[2], parts[3]) if len(parts) == 4 else None


def next_step(state: dict[str, Any]) -> str:
    answers, profile = state.get("answers") or {}, state.get("profile") or {}
    for step in STEPS:
        if step in UNSUR and step not in answers:
            return step
        if step in PROFILE_OF and step not in profile:
            return step
    return SUGGESTION


def question(ticket_id: str, step: str) -> messages.Content:
    """The message that asks one step: a list of the four labels, profile choices, or the suggestion."""
    if step in QUESTION_OF:
        number = [u for u, _ in QUESTIONS].index(step) + 1
        rows = []
        for value, text in enumerate(LABELS[step], start=1):
            short = messages.fit(text, messages.ROW_TITLE)  # cut at a word, the whole label below it
            rows.append((f"svy:{ticket_id}:{step}:{value}", short, "" if short == text else text))
        return messages.list_message(QUESTION_OF[step], "Pilih jawaban", [("", rows)],
                                     header=f"Pertanyaan {number} dari {len(QUESTIONS)}")
    if step in PROFILE_OF:
        ask, choices = PROFILE_OF[step]
        rows = [(f"svy:{ticket_id}:{step}:{value}", text, "") for value, text in choices]
        rows.append((f"svy:{ticket_id}:{step}:{SKIP}", "Lewati", "Tidak ingin menjawab"))
        return messages.list_message(f"{ask}? (boleh dilewati)", "Pilih", [("", rows)], header="Data responden")
    return messages.buttons(f"Terakhir: {SUGGESTION_QUESTION.lower()}? Tulis saja dalam satu pesan. "
                            "Jika tidak ada, tekan tombol di bawah.",
                            [(f"svy:{ticket_id}:{SUGGESTION}:{SKIP}", "Tidak ada saran")])


def _finish(state: dict[str, Any], suggestion: str, now: dt.datetime) -> Turn:
    profile = {k: v for k, v in (state.get("profile") or {}).items() if v != SKIP}
    finished = Finished(ticket_id=state["ticket_id"], unit=state["unit"], service=state.get("service", ""),
                        answers={u: int(state["answers"][u]) for u in UNSUR}, profile=profile,
                        suggestion=suggestion, nudges=state.get("nudges"))
    return Turn({"step": DONE, "updated_at": now}, [], finished)


def _advance(state: dict[str, Any], changes: dict[str, Any], now: dt.datetime) -> Turn:
    merged = {**state, "answers": {**(state.get("answers") or {}), **changes.get("answers", {})},
              "profile": {**(state.get("profile") or {}), **changes.get("profile", {})}}
    step = next_step(merged)
    changes = {**changes, "step": step, "updated_at": now}
    return Turn(changes, [question(state["ticket_id"], step)])


WAITS = ("Survei Bapak/Ibu masih menunggu jawaban pertanyaan ini: pilih dari daftar, atau ketik jawabannya "
         "(untuk penilaian cukup angka 1–4). Ketik BATAL untuk menghentikannya.")
INTRO = ("Terima kasih, Bapak/Ibu bersedia mengisi survei. Ada 9 pertanyaan tentang layanan kami (pilih jawaban "
         "atau balas angka 1–4), lalu 4 pertanyaan data responden yang boleh dilewati dan satu saran. Ketik BATAL "
         "untuk berhenti, dan SURVEI untuk melanjutkan kapan saja.")


def turn(state: dict[str, Any] | None, message: InboundMessage, now: dt.datetime,
         said: tuple[str, Any] = ("unknown", "")) -> Turn | None:
    """The survey's answer to a message, or None when the message is not about the survey.

    `said`: how the bot reads a typed message ((intent, value) of jaring.hotline.reading in the survey's
    context): a typed answer to the pending question is that answer."""
    if not state or not state.get("ticket_id"):
        return None
    step, ticket = state.get("step"), state["ticket_id"]
    intent, value = said
    chosen = _choice(message)
    if chosen is not None:
        if chosen[0] != ticket or step in (OFFERED, DONE):
            return Turn({}, [messages.text("Pilihan itu dari survei yang sudah tidak berlaku. Terima kasih.")])
        return _answer(state, chosen[1], chosen[2], now)
    if _is_start(message) or intent == "survey":
        if step == DONE:
            return Turn({}, [messages.text("Bapak/Ibu sudah mengisi survei ini. Terima kasih atas penilaiannya.")])
        if step == OFFERED:
            return Turn({"step": next_step(state), "started_at": now, "updated_at": now},
                        [messages.text(INTRO), question(ticket, next_step(state))])
        return Turn({"updated_at": now}, [messages.text("Kita lanjutkan surveinya."), question(ticket, step)])
    if step == OFFERED and intent == "answer" and offered_fresh(state):  # the invitee typed the first answer
        first = next_step(state)
        answered = _answer({**state, "step": first}, first, str(value), now)
        return Turn({**answered.changes, "started_at": now}, [messages.text(INTRO)] + answered.replies)
    if step in (OFFERED, DONE):
        return None
    if _is_cancel(message) or intent == "cancel":
        return Turn(paused(state, now), [messages.text(
            "Baik, survei kami hentikan. Jawaban yang sudah diisi kami simpan; ketik SURVEI untuk melanjutkan.")])
    if intent == "answer":
        if step == SUGGESTION:
            return _finish(state, str(value or "").strip(), now)
        return _answer(state, step, str(value), now)
    return None  # anything else goes to the hotline; the question waits (jaring.ticket_chat asks it again)


def pending_step(state: dict[str, Any] | None) -> str:
    """The step whose question waits for an answer ("" when the survey is not under way)."""
    if not state or not state.get("ticket_id") or state.get("step") in (None, OFFERED, DONE):
        return ""
    return state["step"]


def offered_fresh(state: dict[str, Any] | None) -> bool:
    """Invited and not started yet: an answer typed now answers the first question."""
    return bool(state and state.get("ticket_id") and state.get("step") == OFFERED and not state.get("answers"))


def paused(state: dict[str, Any] | None, now: dt.datetime) -> dict[str, Any]:
    """Changes that put a survey under way back to "offered", answers kept: nothing more is taken as an
    answer until the citizen says SURVEI again ({} when no survey is under way)."""
    if not state or not state.get("ticket_id") or state.get("step") in (None, OFFERED, DONE):
        return {}
    return {"step": OFFERED, "updated_at": now}


def _answer(state: dict[str, Any], name: str, value: str, now: dt.datetime) -> Turn | None:
    if name in UNSUR and value in ("1", "2", "3", "4"):
        return _advance(state, {"answers": {name: int(value)}}, now)
    if name in PROFILE_OF and (value == SKIP or value in dict(PROFILE_OF[name][1])):
        return _advance(state, {"profile": {name: value}}, now)
    if name == SUGGESTION and value == SKIP and next_step(state) == SUGGESTION:
        return _finish(state, "", now)
    return Turn({}, [messages.text("Maaf, pilihan itu tidak kami kenali."), question(state["ticket_id"],
                                                                                     state["step"])])
