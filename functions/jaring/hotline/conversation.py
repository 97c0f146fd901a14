"""What the hotline answers. Pure: a contact's state and a message in, a Decision out.

A citizen's path: greeting with the consent notice → recorded consent → main menu (catalogue and
requests, tickets, complaint, violation report, survey, talk to an officer). Commands work anywhere:
MENU, BERHENTI/STOP, MULAI, HAPUS DATA. Registered staff numbers get the staff commands instead
(jaring.hotline.staff). State kept on the contact document:
  consent {at, version}     the notice the citizen agreed to, and when
  menu [{id, title}]        rows of the last list shown, so a typed "2" or "katalog" picks a row
  intake                    a complaint being told step by step (jaring.cases.intake), until it is sent
  pending                   "wbs" while a violation report is being written (its draft is kept apart,
                            jaring.cases.chat; nothing of it is on the contact)
  handoff {since, until, relayed}   the bot is paused and messages go to staff until `until`
  labels, opted_out_at, requests (the last few service requests, for "Cek tiket")
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from jaring import ids as refs
from jaring.clock import local_day
from jaring.hotline import labels, reading, staff
from jaring.hotline.turn import Turn
from jaring.messaging import menus
from jaring.messaging.decision import Decision
from jaring.messaging.outbox import NON_REPLY_PURPOSES, key, may_send  # noqa: F401 (may_send: delivery's rule)
from jaring.messaging.store import SERVICE_REQUESTS
from jaring.offices import hours as office_hours
from jaring.offices.model import Elsewhere, OfficeConfig, Service, Unit, elsewhere_card, service_card, unit_hours
from jaring.survey import questionnaire as survey
from jaring.tickets import ticket as tickets
from jaring.whatsapp import messages
from jaring.whatsapp.webhook import InboundMessage
from jaring import retention

RECENT_REQUESTS = 5


def _complaint():
    """The complaint being told (jaring.hotline.complaint, with the complaints' intake, deadlines and routing),
    imported by the first turn that starts or continues one: ordinary turns and the webhook's cold start do
    without it (docs/BENCHMARKS.md, Cold start)."""
    from jaring.hotline import complaint

    return complaint


def decide(contact: dict[str, Any] | None, message: InboundMessage, now: dt.datetime,
           config: OfficeConfig, target: dict[str, Any] | None = None,
           served: list[tuple[str, dict[str, Any]]] = (), complaints: list[dict[str, Any]] = (),
           requests: list[dict[str, Any]] = ()) -> Decision:
    """`served`: the citizen's latest tickets (id, ticket), read by the adapter when asks_for_tickets;
    `complaints` and `requests`: their complaints and service requests, read when asks_for_own_data (DATA SAYA)."""
    turn = Turn(contact or {}, message, now, config, target, served=list(served), complaints=list(complaints),
                requests=list(requests))
    member = config.staff_member(message.sender)
    if member is not None:
        staff.handle(turn, member)
    else:
        _citizen(turn, understand(contact, message, config))
    return turn.decision()


def context(contact: dict[str, Any] | None) -> str:
    """What is pending for this citizen, as jaring.hotline.reading names it."""
    if not contact:
        return "new"
    step = survey.pending_step(contact.get("survey"))
    if step:
        return f"survey:{step}"
    if contact.get("intake"):
        return "intake"
    return "confirm" if contact.get("asked") else "none"


def understand(contact: dict[str, Any] | None, message: InboundMessage, config: OfficeConfig) -> reading.Reading:
    """How the bot reads this message from this citizen: the one reading every part of the webhook acts on.
    A tap on a button or list row is its own answer (intent "unknown" here); so is a picture."""
    if message.type != "text" or message.choice or not message.understood:
        return reading.Reading("unknown")
    where, state = context(contact), (contact or {}).get("survey")
    listed = (contact or {}).get("menu_at")
    if where in ("none", "confirm") and survey.offered_fresh(state) and not (listed and listed >= state["offered_at"]):
        offer = reading.read_offer(message.text, config)  # an invitee answering the invitation it got last
        if offer is not None:
            return offer
    rows = menus.rows_kept(contact) if where == "none" else []
    return reading.read(message.text, where, config, rows)


def claims_rights(message: InboundMessage, config: OfficeConfig | None = None) -> bool:
    """BERHENTI/STOP, MULAI or HAPUS DATA (typos of BERHENTI too): a citizen's rights. They win over every
    flow in progress, so jaring.inbox hands them to the hotline before the survey, a complaint or a violation
    report can take the words as an answer."""
    return _right(message, config) is not None


def _right(message: InboundMessage, config: OfficeConfig | None) -> reading.Reading | None:
    found = _command(message, config)
    return found if found is not None and found.intent in ("stop", "start", "erase") else None


def _command(message: InboundMessage, config: OfficeConfig | None) -> reading.Reading | None:
    """A typed message read alone, without the conversation's context: how the commands the notice names
    (BERHENTI, MULAI, HAPUS DATA, DATA SAYA) are known in the middle of any flow."""
    if message.type != "text" or message.choice:
        return None
    return reading.read(message.text, "none", config)


def asks_for_tickets(contact: dict[str, Any] | None, message: InboundMessage, config: OfficeConfig) -> bool:
    """Whether the message may choose "Cek tiket", so the adapter reads the citizen's tickets for it."""
    if message.choice:
        return message.choice == "m:tiket"
    return understand(contact, message, config).intent == "ticket_status" or asks_for_own_data(contact, message, config)


def may_agree(contact: dict[str, Any] | None, message: InboundMessage, config: OfficeConfig) -> bool:
    """Whether the message may say yes to the survey question ("Setuju", or "ya boleh" while it is asked), so the
    adapter reads the finished service an agreement given now may still bring its invitation
    (jaring.tickets.chat.LateConsent); what the turn records decides."""
    if message.choice:
        return message.choice == "c:yes"
    return (contact or {}).get("asked") == AGREEMENT and understand(contact, message, config).intent == "yes"


def asks_for_own_data(contact: dict[str, Any] | None, message: InboundMessage, config: OfficeConfig) -> bool:
    """Whether the message is DATA SAYA, so the adapter reads the citizen's tickets and complaints for it."""
    read = understand(contact, message, config)
    return (read.intent, read.value) == ("privacy", "access") or _own_data_typed(message, config)


def _own_data_typed(message: InboundMessage, config: OfficeConfig) -> bool:
    """DATA SAYA as a command (_command): honoured in the middle of a complaint too, whose answer is otherwise
    whatever the citizen writes."""
    found = _command(message, config)
    return found is not None and (found.intent, found.value) == ("privacy", "access")


# -- the citizen's side ----------------------------------------------------------------------------

def _citizen(t: Turn, read: reading.Reading) -> None:
    _housekeeping(t)
    if _rights(t):
        return
    m = t.message
    if t.get("intake") and not (m.choice == "m:menu" or read.intent == "menu"):
        if _own_data_typed(m, t.config):  # answered, then the complaint's question again: "DATA SAYA" is not its answer
            _own_data(t)
            _complaint().ask_again(t)
        else:
            _complaint().step(t, read)
        return
    if not m.understood:
        relaying = _handing_off(t)
        t.say_text(t.text("relay_media" if relaying else "not_understood"))
        return
    text = m.text.strip()
    if text.startswith("#"):
        t.say_text(t.text("stranger_command"))
        return
    asked = t.get("asked")
    if asked:
        t.changes["asked"] = None  # a yes/no question is answered by the next message, or left behind
    if m.choice in ERASE_IDS or (asked == ERASURE and read.intent in ("yes", "no")):
        _erasure_answer(t, m.choice == "c:erase" or read.intent == "yes")
        if t.erase:
            return
    elif m.choice in ("c:yes", "c:no") or (asked == AGREEMENT and read.intent in ("yes", "no")):
        _agreement(t, m.choice == "c:yes" or read.intent == "yes")
    elif m.choice == "m:menu" or read.intent == "menu":
        _end_handoff(t)
        t.changes["pending"] = t.changes["intake"] = None
        _main_menu(t, "")
    elif _handing_off(t):
        _relay_to_staff(t, text)
        return
    elif not _choose(t, m.choice or (read.value if read.intent == "choice" else "")):
        _answer(t, read)
    _notice(t)


def _answer(t: Turn, read: reading.Reading) -> None:
    """What the citizen asked for, by the reading."""
    config, intent = t.config, read.intent
    if intent in MAIN_CHOICES:
        _main_choice(t, MAIN_CHOICES[intent])
    elif intent == "service" and _service_places(t, read.value, 0):
        pass
    elif intent in ("hours", "address"):
        t.say_text(t.text(f"{intent}_answer"), t.away_note() if intent == "hours" else "",
                   "Ketik *MENU* untuk layanan lain.")
    elif intent == "faq" and _quick_reply(t, read.value):
        pass
    elif intent == "greeting":
        name = t.contact.get("name") or ""
        lead = t.text("greeting") if not t.contact.get("greeted_at") else f"Halo {name}".strip() + "."
        t.changes["greeted_at"] = t.contact.get("greeted_at") or t.now
        _main_menu(t, lead)
    elif intent == "thanks":
        t.say_text(t.text("thanks_reply"))
    elif intent == "privacy" and read.value == "access":
        _own_data(t)
    elif intent == "privacy":
        t.say_text(config.privacy())
        t.changes["notice"] = {"at": t.now, "version": config.consent_version}
    elif intent in ("yes", "no", "cancel"):
        _main_menu(t, "")
    else:
        _main_menu(t, t.text("help"))


MAIN_CHOICES = {"catalogue": "katalog", "ticket_status": "tiket", "complaint": "pengaduan", "wbs": "wbs",
                "survey": "survei", "officer": "petugas"}
AGREEMENT = "consent"  # contacts.asked: the question whether the survey may be sent to this number
ERASURE = "erase"  # contacts.asked: whether a bare "hapus" asks to erase the citizen's data
ERASE_CHOICES = (("c:erase", "Ya, hapus data"), ("c:keep", "Tidak jadi"))
ERASE_IDS = tuple(choice for choice, _ in ERASE_CHOICES)


def _notice(t: Turn) -> None:
    """The privacy notice goes with the first answer to anyone, once per version of the notice."""
    version = t.config.consent_version
    seen = (t.get("notice") or {}).get("version") or (t.get("consent") or {}).get("version")
    if seen != version:
        notice = t.text("notice", consent=t.config.consent())
        if not (t.outgoing and messages.append_paragraph(t.outgoing[-1].content, notice)):
            t.say_text(notice)
        t.changes["notice"] = {"at": t.now, "version": version}
        _keep(t)


def _agreement(t: Turn, yes: bool) -> None:
    """The citizen's answer to whether the survey may come to this number (asked at a QR check-in)."""
    if yes:
        t.changes["consent"] = {"at": t.now, "version": t.config.consent_version}
        _keep(t)
        at = office_hours.clock_text(t.now.astimezone(office_hours.WIB).time())
        t.say_text(t.text("consent_thanks", time=at))
    else:
        t.changes["consent"] = False
        t.say_text(t.text("consent_declined"))


def _housekeeping(t: Turn) -> None:
    """Labels and retention that follow from time passing, whatever the message."""
    if not t.contact:
        t.label(add=(labels.NEW,))
    elif labels.NEW in t.get("labels", ()) and local_day(t.contact.get("first_seen_at") or t.now) != local_day(t.now):
        t.label(remove=(labels.NEW,))
    handoff = t.contact.get("handoff")
    if handoff and handoff.get("until") and handoff["until"] <= t.now:
        _end_handoff(t)
    _keep(t)


def _keep(t: Turn) -> None:
    """Retention: the office's period (stated in the notice) after the last message once the citizen has had
    the notice or agreed to the survey; 30 days for a number that has had neither."""
    version = t.config.consent_version
    told = any((t.changes.get(k) or t.get(k) or {}).get("version") == version for k in ("notice", "consent")
               if isinstance(t.changes.get(k) or t.get(k) or {}, dict))
    t.changes["expire_at"] = t.now + (dt.timedelta(days=t.config.retention_days) if told else
                                      retention.UNAGREED_CONTACT)


def _own_data(t: Turn) -> None:
    """DATA SAYA: what the office holds of this citizen."""
    from jaring.hotline import holdings  # with the complaints' words: only DATA SAYA needs them (cold start)

    _notice(t)  # not had yet: it goes first, and the data listed is the data after it (its date, the retention)
    t.say_text(holdings.text({**t.contact, **t.changes}, t.message, t.served, t.complaints, t.requests, t.config,
                             t.now))


def _rights(t: Turn) -> bool:
    """Opt-out, opt-in and erasure: honoured before anything else, consent or not. Each ends a complaint or
    report being told and pauses the in-chat survey (its answers kept for SURVEI), so none of them takes
    these words as an answer."""
    right = _right(t.message, t.config)
    if right is None or (right.intent == "start" and not t.contact):
        return False
    confirming = t.get("asked") == ERASURE  # "hapus aja" answers "hapus data?"
    for flow in ("intake", "pending", "asked"):
        if t.get(flow):
            t.changes[flow] = None
    paused = survey.paused(t.get("survey"), t.now)
    if paused:
        t.changes["survey"] = paused
    if right.intent == "erase" and right.value == "ask" and confirming:
        _erase(t)
    elif right.intent == "erase" and right.value == "ask":  # a bare "hapus" may mean a message, not the data
        t.say(messages.buttons(t.text("erase_ask"), ERASE_CHOICES))
        t.changes["asked"] = ERASURE
    elif right.intent == "erase":
        _erase(t)
    elif right.intent == "stop":
        t.changes["opted_out_at"] = t.now
        t.label(add=(labels.OPTED_OUT,))
        t.say_text(t.text("opt_out"))
        _notice(t)  # BERHENTI as the first words: what is kept of this number is still owed
    else:
        t.changes["opted_out_at"] = None
        t.label(remove=(labels.OPTED_OUT,))
        t.say_text(t.text("opt_in"))
        _notice(t)
    return True


def _erase(t: Turn) -> None:
    t.say_text(t.text("erased"))
    t.changes["erasing_at"] = t.now  # until the contact is gone, a message from the number is from someone new
    t.erase = True


def _erasure_answer(t: Turn, yes: bool) -> None:
    """The answer to "hapus data?": erase, or say that nothing was erased."""
    if yes:
        _erase(t)
    else:
        t.say_text(t.text("erase_kept"))


def _main_menu(t: Turn, lead: str) -> None:
    body = "\n\n".join(p for p in (lead, t.text("menu"), t.away_note()) if p)
    content, rows = menus.main_menu(body)
    _show(t, content, rows)


def _show(t: Turn, content: messages.Content, rows: list[messages.Row]) -> None:
    t.changes["menu"] = menus.kept((rid, title) for rid, title, _ in rows)
    t.changes["menu_at"] = t.now  # a typed "2" after this picks a row, not a survey answer offered before
    t.say(content)


# -- choices from lists and buttons ----------------------------------------------------------------

def _choose(t: Turn, choice: str) -> bool:
    kind, _, rest = choice.partition(":")
    parts = rest.split(":")
    if kind == "m":
        return _main_choice(t, rest)
    if kind == "k":
        return _groups(t, _page(parts[0]))
    if kind == "g":
        return _units(t, parts[0], _page(parts[1] if len(parts) > 1 else "0"))
    if kind == "u":
        return _services(t, parts[0], _page(parts[1] if len(parts) > 1 else "0"))
    if kind == "v":
        return _service_places(t, parts[0], _page(parts[1] if len(parts) > 1 else "0"))
    if kind in ("s", "r") and len(parts) == 2:
        unit = t.config.unit(parts[0])
        service = unit.service(parts[1]) if unit else None
        if service is None:
            return False
        (_show_service if kind == "s" else _request)(t, unit, service)
        return True
    return False


def _page(raw: str) -> int:
    return int(raw) if raw.isascii() and raw.isdigit() else 0


def _main_choice(t: Turn, which: str) -> bool:
    config = t.config
    if which == "katalog":
        return _groups(t, 0)
    if which == "tiket":
        _tickets(t)
    elif which == "pengaduan":
        _complaint().start(t)
    elif which == "wbs":
        t.say_text(t.text("wbs"))
        t.say(messages.buttons("Apa yang ingin Bapak/Ibu lakukan?",
                               [("wbs:start", "Mulai laporan"), ("wbs:check", "Cek laporan"), ("m:menu", "Menu utama")]))
    elif which == "survei":
        t.label(add=(labels.SURVEY_PENDING,))
        t.say_text(t.text("survey_link", survey_url=config.survey.form_url) if config.survey.form_url
                   else t.text("survey"))
    elif which == "petugas":
        _start_handoff(t)
    else:
        return False
    return True


def _groups(t: Turn, page: int) -> bool:
    groups = [g for g in t.config.groups if t.config.units_of(g.id)]
    if not groups:
        t.say_text(t.text("catalogue_empty"))
        return True
    if len(groups) == 1:
        return _units(t, groups[0].id, 0)
    rows = [(f"g:{g.id}", g.title, g.description) for g in groups]
    content, shown = menus.paged("Pilih kelompok layanan:", "Lihat kelompok", "Katalog layanan", rows, page,
                                 lambda p: f"k:{p}")
    _show(t, content, shown)
    return True


def _units(t: Turn, group_id: str, page: int) -> bool:
    group = next((g for g in t.config.groups if g.id == group_id), None)
    units = t.config.units_of(group_id)
    if group is None or not units:
        return False
    rows = [(f"u:{u.id}", u.title, _moved(u.elsewhere) or u.description or messages.fit(u.name, messages.ROW_DESCRIPTION))
            for u in units]
    content, shown = menus.paged(f"{group.title}: pilih unit layanan.", "Lihat unit", group.title, rows, page,
                                 lambda p: f"g:{group_id}:{p}")
    _show(t, content, shown)
    return True


def _services(t: Turn, unit_id: str, page: int) -> bool:
    unit = t.config.unit(unit_id)
    if unit is None:
        return False
    if unit.elsewhere:  # the whole unit moved: where to go, rather than its services
        _show_elsewhere(t, unit)
        return True
    rows = [(f"s:{unit.id}:{s.id}", s.title, _moved(s.elsewhere) or s.description) for s in unit.services]
    content, shown = menus.paged(f"Layanan {unit.name}:", "Lihat layanan", unit.title, rows, page,
                                 lambda p: f"u:{unit_id}:{p}")
    _show(t, content, shown)
    return True


def _moved(place: Elsewhere | None) -> str:
    """A list row's description for what is served elsewhere now."""
    return messages.fit(f"Kini dilayani di {place.name}", messages.ROW_DESCRIPTION) if place else ""


def _show_elsewhere(t: Turn, unit: Unit, service: Service | None = None) -> None:
    """Where a service the office no longer gives is served: no "Ajukan layanan", no request, no ticket."""
    back = (f"u:{unit.id}", "Layanan lain") if service and not unit.elsewhere else ("m:katalog", "Katalog layanan")
    choices = [back, ("m:menu", "Menu utama")]
    t.changes["menu"] = menus.kept(choices)
    t.changes["menu_at"] = t.now
    t.say(messages.buttons(elsewhere_card(t.config, unit, service), choices))


def _show_service(t: Turn, unit: Unit, service: Service) -> None:
    if unit.served_at(service):
        _show_elsewhere(t, unit, service)
        return
    choices = [(f"r:{unit.id}:{service.id}", "Ajukan layanan"), (f"u:{unit.id}", "Layanan lain"),
               ("m:menu", "Menu utama")]
    t.changes["menu"] = menus.kept(choices)
    t.changes["menu_at"] = t.now
    t.say(messages.buttons(service_card(t.config, unit, service), choices))


def _request(t: Turn, unit: Unit, service: Service) -> None:
    """The "cart": the citizen asks to be served; they get the checklist and a reference number."""
    if unit.served_at(service):  # an old button of a service since moved: where it is served now
        _show_elsewhere(t, unit, service)
        return
    reference = refs.reference("L", t.message.wamid)
    t.writes.append((SERVICE_REQUESTS, "q" + key("request", t.message.wamid), {
        "office": t.config.office, "unit": unit.id, "service": service.id, "contact_id": t.contact_id,
        "reference": reference, "requested_at": t.now, "channel": "whatsapp",
        "expire_at": t.now + retention.SERVICE}))
    recent = [{"reference": reference, "unit": unit.id, "service": service.id, "title": service.title,
               "unit_title": unit.title, "at": t.now}] + list(t.contact.get("requests") or [])
    t.changes["requests"] = recent[:RECENT_REQUESTS]
    t.label(add=(labels.REQUEST,))
    checklist = "\n".join(f"☐ {r}" for r in service.requirements)
    t.say_text(t.text("request_done", reference=reference, place=service.place or unit.place,
                             unit_hours=unit_hours(t.config, unit), checklist=checklist),
               "Ketik *MENU* untuk kembali ke menu.")


def _tickets(t: Turn) -> None:
    """Service requests made here and tickets of services given (at the counter, by QR, by staff)."""
    recent = t.contact.get("requests") or []
    if not recent and not t.served:
        t.say_text(t.text("tickets_none"))
        return
    requests = "\n".join(f"• *{r['reference']}*: {r['title']} ({r['unit_title']}), "
                         f"{office_hours.day_text(r['at'])}" for r in recent)
    served = "\n".join(f"• *{tid}*: {_service_of(t.config, ticket)}, "
                       f"{tickets.STATUS_WORDS.get(ticket.get('status'), ticket.get('status'))}"
                       for tid, ticket in t.served)
    t.say_text(t.text("tickets", items=requests) if recent else "",
               t.text("tickets_served", items=served) if served else "")


def _service_of(config: OfficeConfig, ticket: dict[str, Any]) -> str:
    unit = config.unit(ticket.get("unit", ""))
    where = unit.title if unit else ticket.get("unit", "")
    return f"{ticket['service']} ({where})" if ticket.get("service") else where


# -- quick replies ---------------------------------------------------------------------------------

def _quick_reply(t: Turn, quick_id: str) -> bool:
    config = t.config
    quick = next((q for q in config.quick_replies if q.id == quick_id), None)
    if quick is None:
        return False
    if quick.service:
        unit = config.unit(quick.service[0])
        _show_service(t, unit, unit.service(quick.service[1]))
    else:
        t.say_text(t.render(quick.answer), "Ketik *MENU* untuk layanan lain.")
    return True


def _service_places(t: Turn, service_id: str, page: int) -> bool:
    """A service the citizen named: its card, or first where (the KUA of which district, …) when many units
    give it."""
    places = [u for u in t.config.units if u.service(service_id)]
    if not places:
        return False
    if len(places) == 1:
        _show_service(t, places[0], places[0].service(service_id))
        return True
    title = places[0].service(service_id).title
    rows = [(f"s:{u.id}:{service_id}", u.title, messages.fit(u.name, messages.ROW_DESCRIPTION)) for u in places]
    content, shown = menus.paged(f"{title}: pilih tempat layanannya.", "Pilih tempat", messages.fit(title, 24),
                                 rows, page, lambda p: f"v:{service_id}:{p}")
    _show(t, content, shown)
    return True


# -- hand-off to an officer ------------------------------------------------------------------------

def _handing_off(t: Turn) -> bool:
    handoff = t.get("handoff")
    return bool(handoff and handoff.get("until") and handoff["until"] > t.now)


def _start_handoff(t: Turn) -> None:
    if not t.on_duty():
        t.say_text(t.text("handoff_none"))
        return
    status = t.status()
    start = t.now if status.open or status.opens_at is None else status.opens_at.astimezone(dt.timezone.utc)
    t.changes["handoff"] = {"since": t.now, "until": start + dt.timedelta(minutes=t.config.handoff_minutes),
                            "relayed": 0}
    t.label(add=(labels.ASKED_FOR_OFFICER,))
    t.say_text(t.text("handoff_start", when_answered=t.away_note() or t.text("handoff_soon")))
    staff.notify(t, f"Warga {t.handle()} ({t.contact.get('name') or '-'}) minta bicara dengan petugas. "
                    "Pesan-pesannya akan diteruskan ke sini.")


def _relay_to_staff(t: Turn, text: str) -> None:
    handoff = dict(t.get("handoff"))
    if not handoff.get("relayed"):
        t.say_text(t.text("handoff_ack"))
    handoff["relayed"] = int(handoff.get("relayed") or 0) + 1
    t.changes["handoff"] = handoff
    staff.notify(t, f"[{t.handle()} · {t.contact.get('name') or '-'}]\n{text}")


def _end_handoff(t: Turn) -> None:
    if t.get("handoff"):
        t.changes["handoff"] = None
        t.label(remove=(labels.ASKED_FOR_OFFICER,))

