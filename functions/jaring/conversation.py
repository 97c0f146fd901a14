"""What the hotline answers. Pure: a contact's state and a message in, a Decision out."""
from __future__ import annotations

import datetime as dt
from typing import Any

from jaring.outbox import Outgoing
from jaring.conversation_types import Decision
from jaring.whatsapp import messages
from jaring.whatsapp.webhook import InboundMessage

OFFICE_NAME = "Kantor Kementerian Agama Kabupaten Bangkalan"

GREETING = (
    f"Assalamu'alaikum, selamat datang di layanan WhatsApp {OFFICE_NAME}. "
    "Melalui nomor ini Bapak/Ibu dapat menanyakan layanan, menyampaikan pengaduan, "
    "dan mengisi survei kepuasan."
)
NOT_UNDERSTOOD = (
    "Mohon maaf, pesan jenis ini belum dapat kami proses. "
    "Silakan kirim pesan teks, misalnya \"MENU\"."
)


def decide(contact: dict[str, Any] | None, message: InboundMessage, now: dt.datetime) -> Decision:
    if not message.understood:
        reply = NOT_UNDERSTOOD
    else:
        reply = GREETING
    return Decision(outgoing=[Outgoing(to=message.sender, content=messages.text(reply))], contact_changes={})
