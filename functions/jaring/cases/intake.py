"""Guided intake of a complaint or a violation report, one question per message. Pure state machine.

A complaint asks what, where (a unit from the office's list, or typed), when, who (may be skipped)
and how, then takes optional photos or documents. A violation report (WBS) asks the content the
inspectorate needs (who, what, when, where, how, evidence) and never repeats it back in a message:
messages to the reporter are the only place the report could meet their number.

The state is plain data (kept on the contact for a complaint, in an unlinked draft for WBS):
  {kind, step, answers {step: text}, unit, media [..], wamids [..], page, offered}
`advance` takes the state and one message and returns the next state, the replies and the outcome:
"" (still asking), "submit", "cancel", or "move" (the citizen accepted the WBS channel instead).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from jaring.cases import violations
from jaring.messaging import matching, menus
from jaring.offices.model import OfficeConfig
from jaring.whatsapp import messages
from jaring.whatsapp.webhook import InboundMessage

COMPLAINT, WBS = "complaint", "wbs"
MAX_ANSWER = 1000
MAX_MEDIA = 5
SEND, CANCEL, MOVE = "submit", "cancel", "move"

SKIP = ("lewati", "skip", "tidak ada", "tidak tahu", "tdk tahu", "gak tahu", "tidak", "-", "selesai", "sudah",
        "cukup", "tidak ada lagi")
CANCEL_WORDS = ("batal", "batalkan", "cancel")
SEND_WORDS = ("kirim", "ya", "iya", "ok", "oke", "setuju", "benar")


@dataclass(frozen=True)
class Step:
    name: str
    prompt: str
    optional: bool = False
    kind: str = "text"  # text | unit | media


STEPS = {
    COMPLAINT: (
        Step("what", "*Apa yang terjadi?*\nCeritakan singkat keluhan atau masalah Bapak/Ibu."),
        Step("where", "*Di unit mana?*\nPilih dari daftar, atau ketik nama tempatnya.", kind="unit"),
        Step("when", "*Kapan terjadinya?*\nMisalnya: Senin, 5 Januari, sekitar pukul 10 pagi."),
        Step("who", "*Siapa yang terlibat?*\nNama, jabatan, atau ciri petugas bila Bapak/Ibu tahu. Boleh dilewati.",
             optional=True),
        Step("how", "*Bagaimana kejadiannya?*\nCeritakan urutannya, dan apa yang Bapak/Ibu harapkan dari kami."),
        Step("media", "*Foto atau dokumen* (boleh dilewati)\nKirim foto atau berkas pendukung bila ada, satu per "
                      "satu, lalu tekan *Selesai*.", optional=True, kind="media"),
    ),
    WBS: (
        Step("who", "*Siapa yang diduga melanggar?*\nNama, jabatan, atau ciri-cirinya. Jangan tulis nama atau "
                    "nomor Bapak/Ibu sendiri."),
        Step("what", "*Apa yang dilakukan?*\nMisalnya meminta uang di luar biaya resmi, menerima hadiah, "
                     "atau menjadi calo."),
        Step("when", "*Kapan terjadinya?*\nTanggal atau perkiraan waktu; sekali atau berulang."),
        Step("where", "*Di mana?*\nUnit, kantor, atau tempatnya."),
        Step("how", "*Bagaimana caranya?*\nUrutan kejadian, besar uang bila ada, dan siapa lagi yang mengetahui."),
        Step("evidence", "*Bukti* (boleh dilewati)\nKirim foto atau dokumen (kuitansi, tangkapan layar, "
                         "rekaman), atau tuliskan bukti yang Bapak/Ibu punya. Lalu tekan *Selesai*.",
             optional=True, kind="media"),
    ),
}
OFFER, CONFIRM = "offer", "confirm"


@dataclass
class Progress:
    state: dict[str, Any] | None
    replies: list[messages.Content] = field(default_factory=list)
    outcome: str = ""


def start(kind: str, now: dt.datetime, answers: dict[str, str] | None = None,
          media: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"kind": kind, "step": STEPS[kind][0].name, "answers": dict(answers or {}), "unit": "",
            "media": list(media or []), "wamids": [], "page": 0, "offered": False, "started_at": now}


def first_prompt(state: dict[str, Any], config: OfficeConfig) -> list[messages.Content]:
    return _ask(state, config)


def advance(state: dict[str, Any], message: InboundMessage, config: OfficeConfig) -> Progress:
    state = {**state, "answers": dict(state["answers"]), "media": list(state["media"]),
             "wamids": list(state.get("wamids") or []) + [message.wamid]}
    text, choice = (message.text or "").strip(), message.choice
    if choice == "i:cancel" or (not choice and matching.exactly(text, CANCEL_WORDS)):
        return Progress(None, [messages.text(cancelled(state["kind"]))], CANCEL)
    if message.media:
        return _attachment(state, message, config)
    if not message.understood:
        return Progress(state, [messages.text("Mohon kirim teks, foto, atau dokumen.")] + _ask(state, config))
    step = state["step"]
    if step == OFFER:
        return _offer_answer(state, text, choice, config)
    if step == CONFIRM:
        if choice == "i:send" or (not choice and matching.exactly(text, SEND_WORDS)):
            return Progress(state, [], SEND)
        return Progress(state, _ask(state, config))
    current = _step(state)
    if current.kind == "unit":
        page = _page_choice(state, text, choice)
        if page is not None:
            state["page"] = page
            return Progress(state, _ask(state, config))
        return _next(state, config) if _unit_answer(state, text, choice, config) else Progress(
            state, _ask(state, config))
    if choice == "i:skip" and current.optional or (not choice and current.optional and matching.exactly(text, SKIP)):
        return _next(state, config)
    if not text or choice:
        return Progress(state, _ask(state, config))
    state["answers"][current.name] = text[:MAX_ANSWER]  # for evidence: a written description ends the step
    return _next(state, config)


def _step(state: dict[str, Any]) -> Step:
    return next(s for s in STEPS[state["kind"]] if s.name == state["step"])


def _next(state: dict[str, Any], config: OfficeConfig) -> Progress:
    names = [s.name for s in STEPS[state["kind"]]]
    if state["step"] in names and names.index(state["step"]) + 1 < len(names):
        state["step"] = names[names.index(state["step"]) + 1]
    elif state["kind"] == COMPLAINT and not state["offered"] and violations.reads_like_violation(
            state["answers"].values()):
        state["step"], state["offered"] = OFFER, True
    else:
        state["step"] = CONFIRM
    state["page"] = 0
    return Progress(state, _ask(state, config))


def _attachment(state: dict[str, Any], message: InboundMessage, config: OfficeConfig) -> Progress:
    if len(state["media"]) >= MAX_MEDIA:
        return Progress(state, [messages.text(f"Cukup {MAX_MEDIA} lampiran; lampiran ini tidak kami simpan.")]
                        + _ask(state, config))
    state["media"].append({**message.media, "caption": (message.text or "")[:300]})
    received = f"Lampiran {len(state['media'])} diterima."
    step = None if state["step"] in (OFFER, CONFIRM) else _step(state)
    if step is not None and step.kind == "media":
        return Progress(state, [messages.buttons(f"{received} Kirim lagi bila ada, atau tekan *Selesai*.",
                                                 [("i:skip", "Selesai"), ("i:cancel", "Batal")])])
    if step is not None and step.kind == "text" and message.text.strip():
        state["answers"][step.name] = message.text.strip()[:MAX_ANSWER]  # the caption answers the question
        progress = _next(state, config)
        return Progress(progress.state, [messages.text(received)] + progress.replies)
    return Progress(state, [messages.text(received)] + _ask(state, config))


def _page_choice(state: dict[str, Any], text: str, choice: str) -> int | None:
    """Another page of the unit list, tapped or typed as its row number."""
    rows = state.get("rows") or []
    if not choice and text.isascii() and text.isdigit() and 1 <= int(text) <= len(rows):
        choice = rows[int(text) - 1]
    page = choice[len("i:page:"):] if choice.startswith("i:page:") else ""
    return int(page) if page.isdigit() else None


def _unit_answer(state: dict[str, Any], text: str, choice: str, config: OfficeConfig) -> bool:
    """A unit picked from the list, or typed (matched to a unit when it names one)."""
    if choice.startswith("i:unit:"):
        unit = config.unit(choice[len("i:unit:"):])
        state["unit"] = unit.id if unit else ""
        state["answers"]["where"] = unit.name if unit else "lainnya / tidak tahu"
        return True
    if choice or not text:
        return False
    rows = state.get("rows") or []
    if text.isascii() and text.isdigit() and 1 <= int(text) <= len(rows):
        return _unit_answer(state, "", rows[int(text) - 1], config)
    found = matching.best_match(text, [(u.id, (u.title, u.name)) for u in config.units])
    state["unit"] = found or ""
    state["answers"]["where"] = text[:MAX_ANSWER]
    return True


def _offer_answer(state: dict[str, Any], text: str, choice: str, config: OfficeConfig) -> Progress:
    if choice == "wbs:move" or (not choice and matching.same(text, "wbs")):
        return Progress(state, [], MOVE)
    if choice == "i:keep" or (not choice and matching.same(text, "tetap")):
        state["step"] = CONFIRM
    return Progress(state, _ask(state, config))


def _ask(state: dict[str, Any], config: OfficeConfig) -> list[messages.Content]:
    kind, step = state["kind"], state["step"]
    if step == OFFER:
        return [messages.buttons(OFFER_TEXT, [("wbs:move", "Pindah ke WBS"), ("i:keep", "Tetap pengaduan"),
                                              ("i:cancel", "Batal")])]
    if step == CONFIRM:
        if kind == WBS:
            return [messages.buttons(WBS_CONFIRM, [("i:send", "Kirim laporan"), ("i:cancel", "Batal")])]
        return [messages.text(summary(state, config)),
                messages.buttons("Kirim pengaduan ini?", [("i:send", "Kirim"), ("i:cancel", "Batal")])]
    steps = STEPS[kind]
    current = _step(state)
    number = [s.name for s in steps].index(step) + 1
    body = f"Langkah {number} dari {len(steps)} · {current.prompt}"
    if current.kind == "unit":
        rows = [(f"i:unit:{u.id}", u.title, u.name[:messages.ROW_DESCRIPTION]) for u in config.units]
        rows.append(("i:unit:-", "Lainnya / tidak tahu", "Tulis nama tempatnya bila tahu"))
        content, shown = menus.paged(body, "Pilih unit", "Unit layanan", rows, state.get("page", 0),
                                     lambda p: f"i:page:{p}")
        state["rows"] = [rid for rid, _, _ in shown]  # so a typed row number means what was shown
        return [content]
    if current.kind == "media":
        label = "Selesai" if state["media"] else "Tidak ada"
        return [messages.buttons(body, [("i:skip", label), ("i:cancel", "Batal")])]
    if current.optional:
        return [messages.buttons(body, [("i:skip", "Lewati"), ("i:cancel", "Batal")])]
    return [messages.text(body + "\n\n_Ketik BATAL untuk membatalkan._")]


NAMES = {"what": "Apa", "where": "Di mana", "when": "Kapan", "who": "Siapa", "how": "Bagaimana"}


def summary(state: dict[str, Any], config: OfficeConfig) -> str:
    """The complaint as it will be sent, for the citizen to check (never used for WBS)."""
    answers = state["answers"]
    lines = ["Periksa pengaduan Bapak/Ibu:"]
    lines += [f"*{label}:* {answers.get(name) or '-'}" for name, label in NAMES.items()]
    if state["media"]:
        lines.append(f"*Lampiran:* {len(state['media'])} berkas")
    return "\n".join(lines)[:messages.TEXT_BODY]


def cancelled(kind: str) -> str:
    if kind == WBS:
        return "Baik, laporan dibatalkan dan isinya sudah kami hapus. Ketik *MENU* untuk layanan lain."
    return "Baik, pengaduan dibatalkan. Ketik *MENU* untuk layanan lain."


OFFER_TEXT = ("Cerita Bapak/Ibu menyebut dugaan pelanggaran (misalnya pungutan liar, suap, atau calo). Laporan seperti "
              "ini lebih aman lewat *Lapor pelanggaran (WBS)*: nomor Bapak/Ibu tidak disimpan bersama laporan, dan "
              "yang membacanya hanya Inspektorat, bukan petugas unit.\n\nPindahkan ke WBS?")
WBS_CONFIRM = ("Laporan Bapak/Ibu siap dikirim ke Inspektorat. Demi kerahasiaan, isinya tidak kami tampilkan ulang di "
               "sini.\n\nKirim sekarang?")
