"""Complaints and whistleblowing in the WhatsApp conversation: the parts that read Firestore.

jaring.inbox asks here first:
  staff     a complaint command (#verifikasi P-… …) or a quoted complaint relay: the complaint's next step,
            the citizen's notice and a confirmation, written in the webhook's transaction with the message
  anyone    a WBS code + PIN: the report's status and the inspectorate's messages; the try is counted and
            neither the message nor the reply keeps its words (redacted inbound, self-erasing outbox)
  citizens  writing a violation report (the draft apart from the contact), moving a complaint that reads
            like a violation to WBS, STATUS P-… at any time, NILAI P-… and the rating after a closure
Everything else goes on to the hotline and the tickets untouched (and jaring.inbox imports this module only for a
turn that may enter it: jaring.cases.commands.enters). The complaint intake itself is pure
(jaring.hotline.complaint with jaring.cases.intake); only its move to WBS needs this module.

What a decision depends on (the complaint, its citizen, the report, the draft) is read by `read` inside the
webhook's transaction (jaring.messaging.store.Store.receive), so two officers acting at once, or a PIN tried twice at
once, rerun the transaction instead of overwriting each other.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from jaring.app import Jaring
from jaring.cases import commands, routing as complaint_routing, complaints, intake, wbs
from jaring.cases.commands import Command
from jaring.messaging import matching, menus
from jaring.messaging.decision import Decision
from jaring.messaging.outbox import Outgoing
from jaring.offices.model import OfficeConfig, Staff
from jaring.whatsapp import messages
from jaring.whatsapp.webhook import InboundMessage

Decide = Callable[[dict[str, Any] | None, dict[str, Any] | None], Decision]

DONE = {"verify": "diverifikasi", "assign": "diteruskan", "answer": "dijawab", "close": "ditutup",
        "reject": "ditolak"}
EXPIRED = ("Laporan yang belum dikirim sudah kami hapus karena lebih dari 24 jam tidak dilanjutkan. Pilih "
           "*Lapor pelanggaran* di menu untuk memulai lagi.")
OPEN_LIST_LIMIT = 15


def forget_reporter(app: Jaring, office: str, cid: str) -> None:
    """Erasure's WBS part: the links sealed to this contact are cut (the reports stay, code + PIN still work)."""
    if app.wbs_store is not None:
        app.wbs_store.cut_links(office, cid)


class Cases:
    def __init__(self, app: Jaring, office: str, message: InboundMessage, now: dt.datetime, config: OfficeConfig):
        self.app, self.office, self.message, self.now, self.config = app, office, message, now, config
        self.complaints = app.complaint_store
        self.key = app.settings.wbs_link_key.encode()
        self.wbs = app.wbs_store
        self.cid = app.store.contact_id(office, message.sender)
        self.fresh: dict[str, Any] = {}  # what `read` found in the transaction
        self._staff: tuple[Staff, Command, str] | None = None  # who, what, the complaint of a quoted relay

    def _say(self, *paragraphs: str, sensitive: bool = False) -> Outgoing:
        return Outgoing(to=self.message.sender, content=messages.text("\n\n".join(p for p in paragraphs if p)),
                        sensitive=sensitive)

    def _contents(self, contents: list[messages.Content]) -> list[Outgoing]:
        return [Outgoing(to=self.message.sender, content=c) for c in contents]

    # -- staff ------------------------------------------------------------------------------------
    def for_staff(self) -> Decide | None:
        """A registered staff member's complaint command or quoted complaint relay, else None."""
        member = self.config.staff_member(self.message.sender)
        if member is None or self.message.type != "text":
            return None
        command, quoted = commands.parse(self.message.text), ""
        if command is None and self.message.quoted_wamid:
            meta = (self.app.store.relayed(self.office, self.message.quoted_wamid) or {}).get("meta") or {}
            if meta.get("complaint_id"):
                quoted = meta["complaint_id"]
                command = Command("answer", meta.get("reference", ""), self.message.text.strip())
        if command is None:
            return None
        self._staff = (member, command, quoted)
        return lambda contact, citizen: self._about(self._staff_step(member, command))

    def _about(self, decision: Decision) -> Decision:
        """A staff step on one complaint (and its answer, which may quote it) is tagged with its citizen, so
        erasing the citizen finds the staff member's message and the replies to them too."""
        found = self.fresh.get("complaints") or []
        if len(found) == 1:
            decision.about = found[0].get("contact_id") or ""
        return decision

    def read(self, tx: Any, contact: dict[str, Any] | None) -> None:
        """Read, in the webhook's transaction, what this message's decision depends on."""
        self.fresh = {}
        if self._staff is not None:
            _, command, quoted = self._staff
            if command.action == "list":
                return
            found = ([self.complaints.snapshot(quoted, tx)] if quoted else
                     self.complaints.by_reference(self.office, command.reference, tx))
            self.fresh["complaints"] = [snap for snap in found if snap is not None]
            if len(self.fresh["complaints"]) == 1:
                self.fresh["citizen"] = self.app.store.contact(self.fresh["complaints"][0].get("contact_id"), tx)
            return
        kind, arg = self._classify(contact or {})
        if kind == "follow_up" and arg.pin and self.wbs is not None:
            self.fresh["report"] = self.wbs.report_snapshot(arg.code, tx)
        elif kind == "wbs_step" and self.wbs is not None:
            self.fresh["draft"] = self.wbs.draft(self.office, self.cid, tx)
        elif kind == "asked" and arg[1]:
            self.fresh["complaints"] = [s for s in self.complaints.by_reference(self.office, arg[1], tx)
                                        if s.get("contact_id") == self.cid]

    def _staff_step(self, member: Staff, command: Command) -> Decision:
        if command.action == "list":
            return Decision([self._say(self._open_list(member))])
        found = self.fresh.get("complaints") or []
        if len(found) != 1:
            return Decision([self._say(f"Pengaduan {command.reference} tidak ditemukan. " if not found else
                                       f"Ada {len(found)} pengaduan bernomor {command.reference}; "
                                       "tangani lewat admin_api.", complaint_routing.HELP)])
        snap = found[0]
        doc, ref, name = snap.to_dict(), command.reference, complaint_routing.unit_namer(self.config)
        if not complaint_routing.may_act(member, doc):
            return Decision([self._say(f"Pengaduan {ref} ditangani unit {name(doc.get('unit', ''))}, "
                                       "bukan unit Anda.")])
        if command.action == "status":
            return Decision([self._say(complaints.staff_summary(doc, name),
                                       f"Status: {complaints.STATUS_NAMES[doc['status']]}")])
        unit = ""
        if command.action in ("verify", "assign") and command.rest:
            unit = complaint_routing.unit_named(self.config, command.rest) or ""
            if not unit:
                return Decision([self._say(f"Unit {command.rest!r} tidak dikenal. Tulis id unitnya, misalnya: "
                                           f"{', '.join(u.id for u in self.config.units[:4])} …")])
        try:
            changes = complaints.change(doc, command.action, self.now, member.name, self.config.hours,
                                        self.config.complaint_deadlines, unit=unit,
                                        text=command.rest if command.action in ("answer", "reject") else "")
        except complaints.ComplaintError as exc:
            return Decision([self._say(f"Pengaduan {ref}: {exc}.")])
        note = complaint_routing.notice({**doc, **changes}, command.action, self.fresh.get("citizen"), self.now,
                                        self.config, self.app.settings.template_language)
        told = ("Warga sudah dikabari." if note.outgoing else
                "Warga tidak dapat dikabari: datanya sudah dihapus atas permintaannya.")
        stage = [lambda tx: self.complaints.stage_change(tx, snap, changes)]
        if note.contact_changes:
            stage.append(lambda tx: self.app.store.stage_contact_changes(tx, doc["contact_id"], note.contact_changes))
        return Decision([self._say(f"✓ Pengaduan {ref} {DONE[command.action]}. {told}")] + note.outgoing,
                        stage=stage)

    def _open_list(self, member: Staff) -> str:
        everything = member.hotline or complaint_routing.office_wide(member)
        found = self.complaints.listing(self.office, "" if everything else member.unit, complaints.OPEN)
        if not found:
            return "Tidak ada pengaduan terbuka."
        name = complaint_routing.unit_namer(self.config)
        lines = [f"{'⚠ ' if doc['due_at'] and doc['due_at'] <= self.now else ''}{doc['reference']} · "
                 f"{name(doc.get('unit', ''))} · {complaints.STATUS_NAMES[doc['status']]} · batas "
                 f"{complaints.day_text(doc['due_at'])}" for _, doc in found[:OPEN_LIST_LIMIT]]
        more = len(found) - OPEN_LIST_LIMIT
        if more > 0:
            lines.append(f"… dan {more} lainnya (lihat admin_api).")
        return f"Pengaduan terbuka ({len(found)}):\n" + "\n".join(lines) + "\n\n#status P-XXXXXX untuk rinciannya."

    # -- citizens and reporters -------------------------------------------------------------------
    def rights(self, hotline: Decide) -> Decide:
        """BERHENTI, MULAI or HAPUS DATA: the hotline answers (and ends the flows on the contact); a violation
        report being written is dropped with it, since its draft is kept apart from the contact."""
        def decide(contact: dict[str, Any] | None, target: dict[str, Any] | None) -> Decision:
            decision = hotline(contact, target)
            if (contact or {}).get("pending") == "wbs" and self.wbs is not None:
                decision.stage.append(self._drop_draft)
            return decision
        return decide

    def for_citizen(self, fallback: Decide) -> Decide:
        def decide(contact: dict[str, Any] | None, target: dict[str, Any] | None) -> Decision:
            found = self._citizen(contact or {}, fallback, target)
            return found if found is not None else fallback(contact, target)
        return decide

    def _classify(self, contact: dict[str, Any]) -> tuple[str, Any]:
        """What a citizen's message is about here ("" when it is for the hotline), and its detail."""
        m = self.message
        text = commands.typed(m)
        follow = commands.parse_follow_up(text)
        if follow is not None:
            return "follow_up", follow
        if contact.get("pending") == "wbs":
            return "wbs_step", None
        if m.choice in commands.WBS_CHOICES:
            return m.choice.replace(":", "_"), None
        state = contact.get("intake")
        if state:  # the conversation goes on with the complaint, unless the citizen takes the offer of WBS
            offered = state.get("step") == intake.OFFER and m.understood and self.wbs is not None
            return ("offer", state) if offered else ("", None)
        asked = commands.citizen_request(text, m.choice, menus.rows_kept(contact))
        return ("asked", asked) if asked else ("", None)

    def _citizen(self, contact: dict[str, Any], fallback: Decide, target: Any) -> Decision | None:
        kind, arg = self._classify(contact)
        if kind == "follow_up":
            return self._follow_up(arg)
        if kind == "wbs_step":
            return self._wbs_step(contact, fallback, target)
        if kind == "wbs_start":
            return self._wbs_start()
        if kind == "wbs_check":
            return Decision([self._say(wbs.CHECK_PROMPT)])
        if kind == "offer":
            progress = intake.advance(arg, self.message, self.config)
            return self._move(progress.state) if progress.outcome == intake.MOVE else None
        return self._asked(*arg) if kind == "asked" else None

    # complaints, asked by number
    def _mine(self) -> Any:
        """The citizen's own complaint with the number asked about (read in the transaction)."""
        return next(iter(self.fresh.get("complaints") or []), None)

    def _asked(self, kind: str, reference: str, score: int) -> Decision:
        name = complaint_routing.unit_namer(self.config)
        if kind == "list":
            mine = self.complaints.of_contact(self.office, self.cid)[:5]
            if not mine:
                return Decision([self._say("Bapak/Ibu belum punya pengaduan. Pilih *Pengaduan* di menu untuk "
                                           "menyampaikannya.")])
            lines = [f"• *{d['reference']}* ({complaints.day_text(d['received_at'])}): "
                     f"{complaints.STATUS_NAMES[d['status']]}" for d in mine]
            return Decision([self._say("Pengaduan Bapak/Ibu:\n" + "\n".join(lines),
                                       "Ketik STATUS dan nomornya untuk rinciannya, misalnya "
                                       f"STATUS {mine[0]['reference']}.")])
        snap = self._mine()
        if snap is None:
            return Decision([self._say(f"Pengaduan {reference} tidak ditemukan untuk nomor ini. Periksa nomornya, "
                                       "atau ketik STATUS untuk melihat daftar pengaduan Bapak/Ibu.")])
        doc = snap.to_dict()
        if kind == "status":
            return Decision([self._say(complaints.status_text(doc, name))])
        if kind == "ask_rating":
            if doc["status"] != complaints.CLOSED or doc.get("rating"):
                state = "sudah dinilai" if doc.get("rating") else "belum selesai"
                return Decision([self._say(f"Pengaduan {reference} {state}; terima kasih.")])
            return Decision(self._contents([complaint_routing.rating_list(reference)]),
                            contact_changes={"menu": complaint_routing.rating_menu(reference)})
        try:
            changes = complaints.rate(doc, score, self.now)
        except complaints.ComplaintError as exc:
            return Decision([self._say(f"Pengaduan {reference}: {exc}.")], contact_changes={"menu": None})
        stage = [lambda tx: self.complaints.stage_change(tx, snap, changes),
                 lambda tx: self.complaints.stage_rating(tx, doc, score, self.now)]
        return Decision([self._say(f"Terima kasih, penilaian Bapak/Ibu untuk pengaduan {reference} tercatat: "
                                   f"{complaints.RATING_LABELS[score - 1]}.")],
                        contact_changes={"menu": None}, stage=stage)

    # WBS
    def _unavailable(self) -> Decision:
        return Decision([self._say(wbs.UNAVAILABLE)], contact_changes={"pending": None})

    def _follow_up(self, follow: commands.FollowUp) -> Decision:
        if self.wbs is None:
            return self._unavailable()
        if not follow.pin:
            return Decision([self._say(wbs.CHECK_PROMPT)], redact_inbound=True)
        snap = self.fresh.get("report")
        report = snap.to_dict() if snap is not None and snap.get("office") == self.office else None
        if report is None or wbs.locked(report, self.now):
            return Decision([self._say(wbs.REFUSED_TEXT, sensitive=True)], redact_inbound=True)
        ok = wbs.pin_matches(self.key, report["pin"], follow.pin)
        result = wbs.attempt(report, ok, self.now)
        return Decision([self._say(wbs.reporter_view(report) if ok else wbs.REFUSED_TEXT, sensitive=True)],
                        stage=[lambda tx: self.wbs.stage_attempt(tx, snap, result.changes)], redact_inbound=True)

    def _wbs_start(self) -> Decision:
        if self.wbs is None:
            return self._unavailable()
        state = intake.start(intake.WBS, self.now)
        replies = intake.first_prompt(state, self.config)
        return Decision(self._contents(replies), contact_changes={"pending": "wbs", "intake": None},
                        stage=[self._keep_draft(state)])

    def _keep_draft(self, state: dict[str, Any]) -> Callable[[Any], None]:
        # Message ids would lead back to the inbound records, and from them to the contact: never kept.
        kept = {k: v for k, v in state.items() if k != "wamids"}
        return lambda tx: self.wbs.stage_draft(tx, self.office, self.cid, kept, self.now)

    def _drop_draft(self, tx: Any) -> None:
        self.wbs.stage_discard_draft(tx, self.office, self.cid)

    def _wbs_step(self, contact: dict[str, Any], fallback: Decide, target: Any) -> Decision:
        m = self.message
        if self.wbs is None:
            return self._unavailable()
        if m.choice == "m:menu" or (m.understood and not m.choice and matching.exactly(m.text, menus.MENU)):
            decision = fallback({**contact, "pending": None}, target)  # MENU ends it
            decision.contact_changes.setdefault("pending", None)
            decision.stage.append(self._drop_draft)
            return decision
        state = self.fresh.get("draft")
        if state is None:
            return Decision([self._say(EXPIRED)], contact_changes={"pending": None}, redact_inbound=True)
        progress = intake.advance(state, m, self.config)
        replies = self._contents(progress.replies)
        if progress.outcome == intake.SEND:
            return self._submit(progress.state)
        if progress.outcome == intake.CANCEL:
            return Decision(replies, contact_changes={"pending": None}, stage=[self._drop_draft], redact_inbound=True)
        return Decision(replies, stage=[self._keep_draft(progress.state)], redact_inbound=True)

    def _submit(self, state: dict[str, Any]) -> Decision:
        code, pin = wbs.new_code(), wbs.new_pin()
        report = wbs.new_report(office=self.office, code=code, content=state["answers"], media=state["media"],
                                pin_hash=wbs.hash_pin(self.key, pin), now=self.now,
                                source=state.get("source", "chat"))
        # The inspectorate hears that something arrived; the code and content stay in their screens.
        alerts = [complaint_routing.staff_alert(member, "ada laporan WBS baru; bacalah di layanan Inspektorat",
                                                self.config, self.app.settings.template_language,
                                                self.app.store.contact_id(self.office, member.number), {}, self.now)
                  for member in complaint_routing.inspectorate(self.config)]
        return Decision([self._say(wbs.receipt(code, pin), sensitive=True)] + alerts,
                        contact_changes={"pending": None},
                        stage=[lambda tx: self.wbs.stage_report(tx, report, self.cid, self.now), self._drop_draft],
                        redact_inbound=True)

    def _move(self, complaint: dict[str, Any]) -> Decision:
        """The citizen chose WBS for a complaint that reads like a violation: the answers move to a draft
        apart from the contact, and the words of the earlier intake messages are forgotten."""
        answers = complaint["answers"]
        state = intake.start(intake.WBS, self.now, media=complaint["media"],
                             answers={k: answers.get(k, "") for k in ("who", "what", "when", "where", "how")})
        state.update(step=intake.CONFIRM, source="complaint")
        earlier = [w for w in complaint.get("wamids") or [] if w != self.message.wamid]
        stage = [self._keep_draft(state)] + [
            (lambda tx, wamid=wamid: self.app.store.stage_redact_inbound(tx, self.office, wamid, self.now))
            for wamid in earlier]
        replies = [messages.text(self.config.text("wbs"))] + intake.first_prompt(state, self.config)
        return Decision(self._contents(replies), contact_changes={"intake": None, "pending": "wbs"}, stage=stage,
                        redact_inbound=True)
