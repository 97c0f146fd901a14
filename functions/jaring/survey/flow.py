"""The SKM survey as a WhatsApp Flow: its Flow JSON, the rules it keeps, and its completion. Pure.

The Flow is built from the same source as the chat survey and the Google Form (jaring.survey.questionnaire's
questions and profile, jaring.survey.responses' answer labels), so the three channels never drift. It is
static (no data endpoint): screen PENILAIAN holds the nine unsur as radio groups, screen PROFIL the
optional profile questions and the suggestion, and its "Kirim" completes the Flow. WhatsApp then posts the
completion to the webhook as an `nfm_reply` message whose `response_json` holds `flow_token` (the ticket's
survey token) and the payload keys below. As on the form and on paper, an unsur may be left unanswered (the
IKM divides each unsur's sum by those who answered it); a question left empty arrives empty or not at all
and is left out. A completion with no unsur answered is no respondent and is refused.

Limits are Meta's Flow JSON component limits; where public sources disagree (Footer label 30 or 35,
Dropdown label 20 or 30) the stricter one is kept. `problems()` checks the rules this module relies on.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from jaring.survey import questionnaire as survey
from jaring.survey.responses import LABELS, MAX_TEXT, UNSUR, is_blank
from jaring.whatsapp import templates as wa_templates

VERSION = "7.3"  # Flow JSON version (Meta recommends 7.3; supported for publishing: 5.1, 6.0–6.3, 7.0–7.3)
SUPPORTED_VERSIONS = ("5.1", "6.0", "6.1", "6.2", "6.3", "7.0", "7.1", "7.2", "7.3")
MESSAGE_VERSION = "3"  # flow_message_version of the interactive message
NAME = wa_templates.FLOW_NAME  # the Flow's name in the WhatsApp Business Account (unique per account)
CATEGORIES = ["SURVEY"]
RATINGS, PROFILE = wa_templates.FLOW_SCREEN, "PROFIL"  # screen ids; RATINGS is where the messages open it
SUGGESTION_KEY = "saran"
PROFILE_KEYS = {"sex": "jenis_kelamin", "age_band": "usia", "education": "pendidikan", "occupation": "pekerjaan"}
PROFILE_ORDER = ("sex", "age_band", "education", "occupation")
SUGGESTION_LENGTH = 600  # the TextArea's max-length (Meta's default)
CTA = "Isi survei"

# Meta's limits for what this Flow uses (characters unless said otherwise).
MAX_COMPONENTS = 50  # per screen
TEXT_LIMITS = {"TextHeading": 80, "TextSubheading": 80, "TextBody": 4096, "TextCaption": 409}
LABEL_LIMITS = {"RadioButtonsGroup": 30, "Dropdown": 20, "TextArea": 20, "TextInput": 20, "Footer": 30}
DESCRIPTION_LIMIT = 300  # RadioButtonsGroup description
HELPER_LIMIT = 80  # TextArea helper-text
OPTION_TITLE = 30
OPTION_COUNTS = {"RadioButtonsGroup": (1, 20), "Dropdown": (1, 200)}
INPUTS = ("RadioButtonsGroup", "Dropdown", "TextArea", "TextInput")
COMPONENTS = (*TEXT_LIMITS, *INPUTS, "Footer")
SCREEN_ID = re.compile(r"[A-Z][A-Z_]*")
REFERENCE = re.compile(r"\$\{(form|data)\.([A-Za-z0-9_]+)\}")
FLOW_TOKEN = 200  # characters a flow_token may have
OPTION_ID = re.compile(r"[A-Za-z0-9_]+")


def option_id(value: str) -> str:
    """A profile choice's stored value as a plain data-source id ("<20" → "20", "60+" → "60",
    "TNI/POLRI" → "TNI_POLRI"): letters, digits and "_" only, whatever Meta makes of other characters."""
    return re.sub(r"[^A-Za-z0-9]+", "_", value).strip("_")


def _options(pairs) -> list[dict[str, str]]:
    return [{"id": value, "title": title} for value, title in pairs]


def _ratings_screen() -> dict[str, Any]:
    total = len(survey.QUESTIONS)
    children: list[dict[str, Any]] = [{"type": "TextBody", "text": (
        f"Penilaian Bapak/Ibu tentang layanan yang baru diterima: {total} pertanyaan, pilih satu jawaban untuk "
        "masing-masing. Jawaban tidak dikaitkan dengan nama.")}]
    for number, (unsur, question) in enumerate(survey.QUESTIONS, start=1):
        children.append({"type": "RadioButtonsGroup", "name": unsur, "label": f"Pertanyaan {number} dari {total}",
                         "description": question, "required": False,
                         "data-source": _options((str(v), label) for v, label in enumerate(LABELS[unsur], start=1))})
    children.append({"type": "Footer", "label": "Lanjut", "on-click-action": {
        "name": "navigate", "next": {"type": "screen", "name": PROFILE},
        "payload": {u: f"${{form.{u}}}" for u in UNSUR}}})
    return {"id": RATINGS, "title": "Survei Kepuasan", "layout": {"type": "SingleColumnLayout", "children": children}}


def _profile_screen() -> dict[str, Any]:
    children: list[dict[str, Any]] = [{"type": "TextBody", "text": (
        "Terakhir, tentang Bapak/Ibu (boleh dilewati) dan saran untuk kami. Tekan Kirim untuk mengirim jawaban.")}]
    for field_name in PROFILE_ORDER:
        question, choices = survey.PROFILE_OF[field_name]
        children.append({"type": "Dropdown", "name": PROFILE_KEYS[field_name], "label": question, "required": False,
                         "data-source": _options((option_id(v), label) for v, label in choices)})
    children.append({"type": "TextArea", "name": SUGGESTION_KEY, "label": "Saran atau masukan", "required": False,
                     "max-length": SUGGESTION_LENGTH, "helper-text": survey.SUGGESTION_QUESTION + " (boleh kosong)"})
    payload = {u: f"${{data.{u}}}" for u in UNSUR}
    payload.update({key: f"${{form.{key}}}" for key in (*(PROFILE_KEYS[f] for f in PROFILE_ORDER), SUGGESTION_KEY)})
    children.append({"type": "Footer", "label": "Kirim", "on-click-action": {"name": "complete", "payload": payload}})
    return {"id": PROFILE, "title": "Data Responden", "terminal": True, "success": True,
            "data": {u: {"type": "string", "__example__": "4"} for u in UNSUR},
            "layout": {"type": "SingleColumnLayout", "children": children}}


def flow_json() -> dict[str, Any]:
    """The SKM Flow (static: no data endpoint, so no data_api_version)."""
    return {"version": VERSION, "routing_model": {RATINGS: [PROFILE], PROFILE: []},
            "screens": [_ratings_screen(), _profile_screen()]}


# -- the rules the code relies on ---------------------------------------------------------------------
def _too_long(where: str, what: str, value: Any, limit: int) -> list[str]:
    if not isinstance(value, str) or not value.strip():
        return [f"{where}: {what} must be non-empty text"]
    return [f"{where}: {what} is {len(value)} characters; the limit is {limit}"] if len(value) > limit else []


def _component_problems(where: str, c: Mapping[str, Any]) -> list[str]:
    kind = c.get("type")
    if kind not in COMPONENTS:
        return [f"{where}: component type {kind!r} is not one this Flow may use"]
    if kind in TEXT_LIMITS:
        return _too_long(where, "text", c.get("text"), TEXT_LIMITS[kind])
    found = _too_long(where, "label", c.get("label"), LABEL_LIMITS[kind])
    if kind == "RadioButtonsGroup" and "description" in c:
        found += _too_long(where, "description", c["description"], DESCRIPTION_LIMIT)
    if kind == "TextArea" and "helper-text" in c:
        found += _too_long(where, "helper-text", c["helper-text"], HELPER_LIMIT)
    if kind in OPTION_COUNTS:
        options = c.get("data-source")
        low, high = OPTION_COUNTS[kind]
        if not isinstance(options, list) or not low <= len(options) <= high:
            return found + [f"{where}: {kind} needs {low} to {high} options"]
        ids = [o.get("id") for o in options]
        if len(set(ids)) != len(ids) or not all(isinstance(i, str) and OPTION_ID.fullmatch(i) for i in ids):
            found.append(f"{where}: option ids must be unique, of letters, digits and '_'")
        for o in options:
            found += _too_long(where, f"option {o.get('id')!r} title", o.get("title"), OPTION_TITLE)
    return found


def _action_problems(where: str, action: Any, screen: Mapping[str, Any], names: set[str],
                     screen_ids: set[str]) -> list[str]:
    if not isinstance(action, Mapping) or action.get("name") not in ("navigate", "complete"):
        return [f"{where}: the Footer's action must be navigate or complete (a static Flow has no data_exchange)"]
    found = []
    if action["name"] == "navigate":
        target = (action.get("next") or {}).get("name")
        if target not in screen_ids or target not in screen.get("_routes", ()):
            found.append(f"{where}: navigates to {target!r}, which the routing model does not allow")
    elif not screen.get("terminal"):
        found.append(f"{where}: only a terminal screen may complete the Flow")
    declared = set(screen.get("data") or {})
    for key, value in (action.get("payload") or {}).items():
        ref = REFERENCE.fullmatch(str(value))
        if ref is None:
            found.append(f"{where}: payload {key} must be a ${{form.…}} or ${{data.…}} reference")
        elif ref.group(1) == "form" and ref.group(2) not in names:
            found.append(f"{where}: payload {key} refers to {ref.group(2)!r}, no input of this screen")
        elif ref.group(1) == "data" and ref.group(2) not in declared:
            found.append(f"{where}: payload {key} refers to data {ref.group(2)!r}, which the screen does not declare")
    return found


def problems(flow: Mapping[str, Any]) -> list[str]:
    """Every way `flow` breaks a rule this code relies on (empty: none): a supported version and no data
    endpoint; screens and routes that match; known component types within Meta's limits; one Footer per
    screen; input names unique across the Flow; the nine unsur as radio groups with the regulation's
    question and four answers; a completion payload carrying every unsur, the profile and the suggestion."""
    found = []
    if flow.get("version") not in SUPPORTED_VERSIONS:
        found.append(f"version {flow.get('version')!r} is not a supported Flow JSON version")
    if "data_api_version" in flow or "data_channel_uri" in flow:
        found.append("a static Flow has no data_api_version or data endpoint")
    screens = flow.get("screens") if isinstance(flow.get("screens"), list) else []
    routing = flow.get("routing_model") if isinstance(flow.get("routing_model"), Mapping) else {}
    screen_ids = [s.get("id") for s in screens]
    if not screens or len(set(screen_ids)) != len(screen_ids):
        found.append("screens must be present with unique ids")
    for sid in screen_ids:
        if not isinstance(sid, str) or not SCREEN_ID.fullmatch(sid) or sid == "SUCCESS":
            found.append(f"screen id {sid!r} must be upper-case letters and '_' (not SUCCESS)")
    if set(routing) != set(screen_ids) or any(t not in screen_ids for ts in routing.values() for t in ts):
        found.append("routing_model must name every screen and route only to screens")
    seen_names: list[str] = []
    completion: dict[str, Any] = {}
    radios: dict[str, Mapping[str, Any]] = {}
    for screen in screens:
        sid = screen.get("id")
        children = ((screen.get("layout") or {}).get("children")) or []
        if len(children) > MAX_COMPONENTS:
            found.append(f"{sid}: {len(children)} components; a screen may have {MAX_COMPONENTS}")
        names = {c.get("name") for c in children if c.get("type") in INPUTS}
        seen_names += [c.get("name") for c in children if c.get("type") in INPUTS]
        footers = [c for c in children if c.get("type") == "Footer"]
        if len(footers) != 1:
            found.append(f"{sid}: a screen needs exactly one Footer")
        for i, c in enumerate(children):
            found += _component_problems(f"{sid}[{i}] {c.get('name') or c.get('type')}", c)
            if c.get("type") == "RadioButtonsGroup":
                radios[c.get("name")] = c
        for footer in footers:
            action = footer.get("on-click-action")
            found += _action_problems(f"{sid} Footer", action, {**screen, "_routes": routing.get(sid, ())},
                                      names, set(screen_ids))
            if isinstance(action, Mapping) and action.get("name") == "complete":
                completion = dict(action.get("payload") or {})
    if len(set(seen_names)) != len(seen_names):
        found.append(f"input names must be unique across the Flow: {sorted(seen_names)}")
    questions = dict(survey.QUESTIONS)
    for unsur in UNSUR:
        radio = radios.get(unsur)
        if radio is None:
            found.append(f"{unsur} is not asked (no radio group named {unsur})")
            continue
        options = [(o.get("id"), o.get("title")) for o in radio.get("data-source") or []]
        if options != [(str(v), label) for v, label in enumerate(LABELS[unsur], start=1)]:
            found.append(f"{unsur}: the answers must be the regulation's four labels with values 1..4")
        if radio.get("description") != questions[unsur]:
            found.append(f"{unsur}: must ask the regulation's question")
    wanted = {*UNSUR, *PROFILE_KEYS.values(), SUGGESTION_KEY}
    if set(completion) != wanted:
        found.append(f"the completion payload must carry exactly {sorted(wanted)}")
    return found


# -- the completion ------------------------------------------------------------------------------------
class InvalidCompletion(ValueError):
    """A completion that cannot be an answer set (forged, incomplete or out of range): nothing is stored."""


@dataclass(frozen=True)
class Completion:
    token: str
    answers: dict[str, int]
    profile: dict[str, str]
    suggestion: str


def _given(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def completion(response: Any) -> Completion:
    """The answer set in a completion's response_json, or InvalidCompletion naming what is wrong."""
    if not isinstance(response, Mapping):
        raise InvalidCompletion("response_json is not an object")
    token = response.get("flow_token")
    if not isinstance(token, str) or not token.strip() or len(token) > FLOW_TOKEN:
        raise InvalidCompletion("flow_token is missing or malformed")
    answers = {}
    for unsur in UNSUR:
        raw = response.get(unsur)
        if is_blank(raw):
            continue  # not answered: left out, as a blank on the form or on paper
        if str(raw).strip() not in ("1", "2", "3", "4") or isinstance(raw, bool):
            raise InvalidCompletion(f"{unsur}: {str(raw)[:20]!r} is not a value 1..4")
        answers[unsur] = int(str(raw).strip())
    if not answers:
        raise InvalidCompletion("no unsur is answered")
    profile = {}
    for field_name, key in PROFILE_KEYS.items():
        value = _given(response.get(key))
        if not value:
            continue
        stored = {option_id(v): v for v, _ in survey.PROFILE_OF[field_name][1]}
        if value not in stored:
            raise InvalidCompletion(f"{key}: {value[:20]!r} is not one of its choices")
        profile[field_name] = stored[value]
    suggestion = response.get(SUGGESTION_KEY)
    if suggestion is not None and not isinstance(suggestion, str):
        raise InvalidCompletion(f"{SUGGESTION_KEY} must be text")
    return Completion(token.strip(), answers, profile, _given(suggestion)[:MAX_TEXT])


def sample_completion(token: str, answers: Mapping[str, int], profile: Mapping[str, str] | None = None,
                      suggestion: str = "") -> dict[str, Any]:
    """The response_json WhatsApp sends when a citizen submits the Flow with these answers (tests, simulation)."""
    response: dict[str, Any] = {"flow_token": token, **{u: str(v) for u, v in answers.items()}}
    response.update({PROFILE_KEYS[k]: option_id(v) for k, v in (profile or {}).items()})
    if suggestion:
        response[SUGGESTION_KEY] = suggestion
    return response
