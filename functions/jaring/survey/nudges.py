"""When and how to nudge a citizen who has not answered the survey yet (pure: no I/O, `now` passed in).

Defaults (an office may change them in its configuration file, `[survey.nudges]`, see Policy.from_config;
its days off, public holidays and closures, are the ones its `[hours]` and `[[closures]]` give the hotline):
- first nudge 24 h after the invitation was sent, then 3 days after the previous one, at most 2 nudges;
- only 08:00–20:00 WIB, on the days the office works (its `[hours]`), never on the office's days off (Indonesian public holidays
  and cuti bersama from `holidays`, and its closures), never on Friday 11:00–13:00 WIB (Friday prayers:
  the khutbah and prayer fall around 11:45–12:45 across Indonesia; the window leaves room either side), nor
  in the office's own breaks (`[[hours.breaks]]`) or closures of part of a day (jaring.offices.hours);
- the survey window is 14 days from the invitation; then the invitation is closed as expired;
- free-form (a CTA button with the form link, and the in-chat option) only while WhatsApp's 24-hour
  window is open, minus a 10-minute safety margin; otherwise the approved utility template
  (wa_templates.NUDGE, with the same form and in-chat buttons as the invitation's).
A nudge whose moment is not allowed moves to the next allowed moment; it is never dropped.
"""
from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Union

from jaring.clock import WIB
from jaring.offices import hours as office_hours
from jaring.offices.policies import Policy, PolicyError
from jaring.survey import invitations, questionnaire as survey
from jaring.survey.invitations import EXPIRED, FAILED, FREE_FORM, OPTED_OUT, PENDING, SENT, TEMPLATE, OfficeMessaging
from jaring.whatsapp import messages
from jaring.whatsapp import templates as wa_templates
from jaring.whatsapp.graph import OUTSIDE_WINDOW, UNREACHABLE
from jaring.whatsapp.messages import Content

NUDGEABLE = (PENDING, SENT)  # invitation states the sweep looks at
PAIR_GAP = dt.timedelta(seconds=6)  # Meta's pair rate limit: 1 message per 6 s to one citizen (131056)
MAX_SEND_RATE = 80.0  # messages per second a Cloud API number takes by default (130429 above)
STOP_KEYWORD = "BERHENTI"

# Why a nudge does not go now (the sweep's summary counts these).
OUTSIDE_POLITE_HOURS = "outside_polite_hours"
REST_DAY = "rest_day"
PUBLIC_HOLIDAY = "public_holiday"
OFFICE_CLOSURE = "office_closure"
OFFICE_BREAK = "office_break"
FRIDAY_PRAYER = "friday_prayer"


def blocked(moment: dt.datetime, policy: Policy) -> str | None:
    """Why a nudge may not go at this moment, or None when it may."""
    local = moment.astimezone(WIB)
    day, clock = local.date(), local.time()
    if office_hours.day_off(policy.days_off, day):
        closed = any(c.whole(day) for c in policy.days_off.closures)
        return OFFICE_CLOSURE if closed else PUBLIC_HOLIDAY
    if local.weekday() not in policy.weekdays:
        return REST_DAY
    if not policy.polite_from <= clock < policy.polite_until:
        return OUTSIDE_POLITE_HOURS
    if local.weekday() == 4 and policy.prayer_from <= clock < policy.prayer_until:
        return FRIDAY_PRAYER
    gap = office_hours.gap_at(policy.days_off, local)  # the office's own breaks and part-day closures
    if gap is not None:
        return OFFICE_BREAK if gap.kind == office_hours.BREAK else OFFICE_CLOSURE
    return None


def next_allowed(moment: dt.datetime, policy: Policy) -> dt.datetime:
    """The earliest moment at or after `moment` when a nudge may go (UTC)."""
    local = moment.astimezone(WIB)
    horizon = local + dt.timedelta(days=366)
    while local <= horizon:
        reason = blocked(local, policy)
        if reason is None:
            return local.astimezone(dt.timezone.utc)
        gap = office_hours.gap_at(policy.days_off, local) if reason in (OFFICE_BREAK, OFFICE_CLOSURE) else None
        if gap is not None:
            local = gap.end
        elif reason == FRIDAY_PRAYER:
            local = local.replace(hour=policy.prayer_until.hour, minute=policy.prayer_until.minute,
                                  second=0, microsecond=0)
        elif reason == OUTSIDE_POLITE_HOURS and local.time() < policy.polite_from:
            local = dt.datetime.combine(local.date(), policy.polite_from, WIB)
        else:
            local = dt.datetime.combine(local.date() + dt.timedelta(days=1), policy.polite_from, WIB)
    raise PolicyError("no moment within a year is allowed for nudges; check the closures and weekdays")


def first_nudge_at(invited_at: dt.datetime, policy: Policy = Policy()) -> dt.datetime:
    """What an invitation's next_nudge_at starts as (the sweep moves it into allowed time)."""
    return invited_at + policy.first_after


# -- decisions ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Send:
    number: int  # 1 for the first nudge
    path: str  # free_form | template
    content: Content
    next_nudge_at: dt.datetime  # when the invitation is looked at again
    contact_changes: dict[str, Any] = field(default_factory=dict)  # the in-chat survey it offers


@dataclass(frozen=True)
class Reschedule:
    at: dt.datetime
    reason: str


@dataclass(frozen=True)
class Close:
    state: str  # expired | opted_out | failed
    reason: str


@dataclass(frozen=True)
class Leave:
    """Nothing to write: someone else already handled it, or it is not a nudge's business."""

    reason: str


Action = Union[Send, Reschedule, Close, Leave]


def decide(invitation: dict[str, Any], contact: dict[str, Any] | None, now: dt.datetime, policy: Policy,
           messaging: OfficeMessaging) -> Action:
    """What to do with an invitation the sweep found due, re-read just before its claim."""
    state = invitation.get("state")
    if state not in NUDGEABLE:
        return Leave(state or "no_state")
    due = invitation.get("next_nudge_at")
    if due is None or due > now:
        return Leave("handled_elsewhere")
    if contact is None or not contact.get("wa_id"):
        return Close(FAILED, "no_contact")
    if invitations.opted_out(contact):
        return Close(OPTED_OUT, "opted_out")
    if contact.get("unreachable_at"):
        return Close(FAILED, "unreachable")
    expires = invitation["invited_at"] + policy.survey_window
    if now >= expires:
        return Close(EXPIRED, "expired")

    def later(moment: dt.datetime) -> dt.datetime:  # never past the expiry, when the invitation closes
        return min(next_allowed(moment, policy), expires)

    sent = int(invitation.get("nudges") or 0)
    if sent >= policy.max_nudges:
        return Reschedule(expires, "max_nudges")
    base = invitation.get("last_sent_at") or invitation["invited_at"]
    intended = base + (policy.first_after if sent == 0 else policy.then_after)
    if intended > now:
        return Reschedule(later(intended), "not_due")
    reason = blocked(now, policy)
    if reason:
        return Reschedule(later(now), reason)
    last_nudge = contact.get("last_nudge_at")
    if last_nudge is not None and now < last_nudge + PAIR_GAP:
        return Reschedule(last_nudge + PAIR_GAP, "pair_limit")
    number, form_url = sent + 1, invitation.get("form_url") or ""
    following = later(now + policy.then_after) if number < policy.max_nudges else expires
    offer = survey_offer(contact, invitation, number, now)
    about = [invitation.get("service") or "kami", messaging.unit_name(invitation.get("unit") or ""),
             invitation.get("ticket_id") or ""]
    flow = (invitation["flow_id"], invitation.get("flow_token") or "") if invitation.get("flow_id") else None
    if invitations.window_open(contact, now + policy.window_margin):
        return Send(number, FREE_FORM, free_form(about, form_url, number == policy.max_nudges, now, flow), following,
                    offer)
    if flow is not None:
        return Send(number, TEMPLATE, wa_templates.content(
            wa_templates.NUDGE_FLOW, messaging.template(wa_templates.NUDGE_FLOW), messaging.template_language, about,
            flow_token=flow[1]), following, offer)
    if not form_url.startswith(wa_templates.FORMS_URL_BASE):
        return Close(FAILED, "no_form_url")
    return Send(number, TEMPLATE, wa_templates.content(wa_templates.NUDGE, messaging.template(wa_templates.NUDGE),
                                                       messaging.template_language, about, form_url=form_url),
                following, offer)


def survey_offer(contact: dict[str, Any], invitation: dict[str, Any], number: int,
                 now: dt.datetime) -> dict[str, Any]:
    """Contact changes so that the nudge's in-chat option (SURVEI) opens this ticket's survey, and the
    answer records how many nudges it took; a survey of another ticket already under way is left to finish."""
    current = contact.get("survey") or {}
    ticket_id = invitation.get("ticket_id") or ""
    if current.get("ticket_id") == ticket_id:
        return {} if current.get("step") == survey.DONE else {"survey.nudges": number}
    if current.get("step") not in (None, survey.OFFERED, survey.DONE):
        return {}
    ticket = {"unit": invitation.get("unit") or "", "service": invitation.get("service") or ""}
    return {"survey": {**survey.offered(ticket_id, ticket, now), "nudges": number}}


MAX_RETRIES = 3  # sends of one nudge refused for a passing reason (429, 5xx) before it counts as failed


@dataclass(frozen=True)
class Failure:
    """What a failed nudge send means for its invitation."""

    reason: str  # window_closed | unreachable | retry_later | uncertain | rejected
    redo_at: dt.datetime | None = None  # the nudge is taken back and decided again from then
    close: str | None = None  # the invitation's new state


def after_failure(code: int | None, http_status: int | None, retryable: bool, retries: int,
                  now: dt.datetime, policy: Policy) -> Failure:
    """Each claim gets one send attempt; the sweep then decides again rather than resending blindly, so
    an opt-out, a closed window or quiet hours are honoured by the next attempt too."""
    if code == OUTSIDE_WINDOW:  # the invitation goes on by template
        return Failure("window_closed", redo_at=now)
    if code == UNREACHABLE:
        return Failure("unreachable", close=FAILED)
    if http_status is None:  # a timeout may have delivered it; a second nudge must never follow
        return Failure("uncertain")
    if retryable and retries < MAX_RETRIES:
        return Failure("retry_later", redo_at=next_allowed(now + dt.timedelta(minutes=4 ** retries), policy))
    return Failure("rejected")


def _greeting(now: dt.datetime) -> str:
    hour = now.astimezone(WIB).hour
    return "Selamat pagi" if hour < 11 else "Selamat siang" if hour < 15 else "Selamat sore" if hour < 18 \
        else "Selamat malam"


def free_form(about: list[str], form_url: str, last: bool, now: dt.datetime,
              flow: tuple[str, str] | None = None) -> Content:
    """The nudge inside the 24-hour window: the form's button (or the WhatsApp Flow's, flow = (flow id, token))
    and the in-chat way; about = service, unit, code."""
    service, unit, code = about
    how = (f"Tekan tombol *Isi survei* di bawah. Bila tombolnya tidak muncul, balas *{wa_templates.SURVEY_KEYWORD}*."
           if flow else
           f"Tekan tombol *Isi survei* di bawah, atau balas *{wa_templates.SURVEY_KEYWORD}* untuk menjawab "
           "langsung di WhatsApp ini." if form_url else
           f"Balas *{wa_templates.SURVEY_KEYWORD}* untuk menjawab langsung di WhatsApp ini.")
    body = "\n\n".join([
        f"{_greeting(now)}, Bapak/Ibu. Kami masih menunggu penilaian Bapak/Ibu tentang layanan *{service}* "
        f"di {unit} (kode {code}).",
        "Surveinya 9 pertanyaan tentang layanan, lalu data responden yang boleh dilewati dan saran (sekitar 3 "
        "menit); jawaban tidak dikaitkan dengan nama. " + how,
        "Ini pengingat terakhir dari kami." if last else f"Balas *{STOP_KEYWORD}* bila tidak ingin diingatkan lagi."])
    if flow:
        return invitations.flow_message(body, *flow)
    return messages.cta_url(body, "Isi survei", form_url) if form_url else messages.text(body)


# -- pacing -------------------------------------------------------------------------------------
class Pacer:
    """Spaces sends to at most `rate` per second for one WhatsApp number (Meta allows 80/s by default).

    Pure: the monotonic clock and sleep are injected. Slots are evenly spaced, so no burst exceeds
    the rate; a slow send uses up its slot rather than saving it for later.
    """

    def __init__(self, rate: float, monotonic: Callable[[], float], sleep: Callable[[float], None]):
        if not 0 < rate <= MAX_SEND_RATE:
            raise ValueError(f"send rate must be above 0 and at most {MAX_SEND_RATE:g} per second, got {rate!r}")
        self.interval = 1.0 / rate
        self._monotonic, self._sleep = monotonic, sleep
        self._next: float | None = None
        self._lock = threading.Lock()  # the sweep's workers share one pacer

    def wait(self) -> float:
        """Block until the next send may go; returns the seconds waited."""
        with self._lock:
            now = self._monotonic()
            slot = now if self._next is None or self._next < now else self._next
            self._next = slot + self.interval
        if slot > now:
            self._sleep(slot - now)
        return slot - now
