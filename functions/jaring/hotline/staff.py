"""Staff work from WhatsApp: relayed citizen messages arrive on their phones, they answer by quoting
one (WhatsApp's "reply") or with a short command. Pure; the adapter looks up the citizen first
(see `wanted`) and passes that contact in as the turn's target.

  #balas KODE pesan        send an answer to the citizen KODE
  #tutup KODE              end the hand-off: the bot answers that citizen again
  #label KODE nama         add a label;  #hapuslabel KODE nama  removes it
  #bantuan                 this list
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from jaring.hotline import labels
from jaring.hotline.turn import Turn
from jaring.messaging import matching
from jaring.offices import staff_help
from jaring.offices.model import OfficeConfig, Staff
from jaring.whatsapp import messages
from jaring.whatsapp.webhook import InboundMessage

VERBS = ("balas", "tutup", "label", "hapuslabel", "bantuan")
TARGETED = VERBS[:4]
_COMMAND = re.compile(r"^#\s*(\w+)(?:\s+(\S+))?\s*(.*)$", re.S)


@dataclass(frozen=True)
class Command:
    verb: str
    handle: str
    rest: str


def parse(text: str) -> Command | None:
    match = _COMMAND.match((text or "").strip())
    if not match:
        return None
    verb = next((v for v in VERBS if matching.same(match[1], v)), match[1].lower())
    return Command(verb, (match[2] or "").upper(), match[3].strip())


def wanted(message: InboundMessage, config: OfficeConfig) -> tuple[str, str] | None:
    """Which citizen a staff message is about, for the adapter to look up: ("handle", KODE) or
    ("wamid", the quoted message's id). None for anyone who is not registered staff."""
    if config.staff_member(message.sender) is None:
        return None
    command = parse(message.text)
    if command and command.verb in TARGETED and command.handle:
        return "handle", command.handle
    if command is None and message.quoted_wamid:
        return "wamid", message.quoted_wamid
    return None


def handle(t: Turn, member: Staff) -> None:
    command = parse(t.message.text) if t.message.understood else None
    if command is None:
        if t.message.quoted_wamid and t.message.understood:
            _answer(t, t.message.text.strip(), member)
        else:
            t.say_text("Halo. " + staff_help.text(member))
        return
    if command.verb not in TARGETED:
        t.say_text(staff_help.text(member))
    elif t.target is None:
        t.say_text(f"Warga dengan kode {command.handle or '(kosong)'} tidak ditemukan. Periksa kodenya "
                   "(datanya mungkin sudah dihapus atas permintaan warga).")
    elif command.verb == "balas":
        _answer(t, command.rest, member)
    elif command.verb == "tutup":
        _finish(t)
    else:
        _relabel(t, command)


def notify(t: Turn, text: str) -> None:
    """Send a citizen's message (or news about them) to the hotline staff on duty, tied to that citizen."""
    hint = f"\n\n↩ Balas dengan mengutip pesan ini, atau ketik: #balas {t.handle()} jawaban Anda"
    for member in t.on_duty():
        t.send(member.number, messages.text(text + hint), contact_id=t.contact_id)


def _answer(t: Turn, text: str, member: Staff) -> None:
    citizen = t.target
    if citizen is None:
        t.say_text("Pesan yang Anda kutip bukan pesan warga yang diteruskan. " + staff_help.text(member))
        return
    code = t.handle(citizen)
    if not text:
        t.say_text(f"Tulis jawabannya setelah kode, misalnya: #balas {code} Baik, berkas Anda sudah kami terima.")
        return
    if not t.in_window(citizen):
        t.say_text(f"Tidak terkirim: warga {code} terakhir menulis lebih dari 24 jam lalu, dan WhatsApp hanya "
                   "mengizinkan balasan dalam 24 jam. Jawaban dapat dikirim setelah warga menulis lagi.")
        return
    t.send(citizen["wa_id"], messages.text(t.text("staff_reply", text=text)), citizen["contact_id"])
    handoff = dict(citizen.get("handoff") or {"since": t.now, "relayed": 0})
    handoff["until"] = t.now + dt.timedelta(minutes=t.config.handoff_minutes)
    t.target_changes.update({"handoff": handoff, "answered_at": t.now,
                             "labels": labels.changed(citizen.get("labels"), add=(labels.ANSWERED_BY_OFFICER,))})
    t.say_text(f"Terkirim ke warga {code}.")


def _finish(t: Turn) -> None:
    citizen = t.target
    t.target_changes.update({"handoff": None, "labels": labels.changed(
        citizen.get("labels"), remove=(labels.ASKED_FOR_OFFICER,))})
    if t.in_window(citizen):
        t.send(citizen["wa_id"], messages.text(t.text("handoff_end")), citizen["contact_id"])
    t.say_text(f"Percakapan dengan warga {t.handle(citizen)} selesai; layanan otomatis aktif lagi untuknya.")


def _relabel(t: Turn, command: Command) -> None:
    name = labels.staff_label(command.rest)
    if name is None:
        t.say_text("Nama label 2–30 huruf kecil, angka, atau garis bawah, misalnya: #label W2K7QX perlu_telepon")
        return
    current = t.target.get("labels")
    changed = labels.changed(current, add=(name,)) if command.verb == "label" else labels.changed(current,
                                                                                                   remove=(name,))
    t.target_changes["labels"] = changed
    t.say_text(f"Label warga {t.handle(t.target)}: {', '.join(changed) or '(tidak ada)'}.")
