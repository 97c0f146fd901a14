"""How the bot reads one message from a citizen, in the context of what it last asked. Pure.

`read(text, context, config)` → Reading(intent, value). The conversation routes by this reading, and
`python -m jaring understand` prints it, so what the command says is what the bot does.

Contexts (what is pending when the message arrives):
  new          the first message from this number       none      nothing pending
  survey:U1…U9 that survey question is pending          intake    a complaint is being told
  confirm      a yes/no question is pending
  (the conversation also uses survey:sex|education|occupation|age_band|suggestion for the survey's profile
  and suggestion, and passes the rows of the list shown last, so a typed "2" picks the second row)

Rules, in order:
1. The citizen's rights win everywhere: BERHENTI/STOP (stop), MULAI (start), HAPUS DATA (erase; a bare
   "hapus" reads as erase with value "ask": it needs a confirmation).
2. The pending question owns the next message: at a survey question a digit, a number word, an answer label
   or its everyday equivalent is the answer (value 1–4, or the profile value, or the suggestion's text);
   in a complaint everything but BATAL/MENU belongs to it (intake); at a yes/no question yes/no words.
   BATAL (cancel) and MENU (menu) end the flow the citizen is in.
3. Otherwise the message is read for what it asks, in this order: privacy, violation report (wbs),
   complaint, ticket status, survey, catalogue, officer, hours, address, a catalogue service (value: its
   id), one of the office's quick replies (faq, value: its id), greeting, thanks, yes/no; else unknown.

Words are matched whole, after one spelling for informal chat words (jaring.hotline.lexicon.SPELLINGS).
A word that is itself a known word ("halo", "kalo", "tes": PySastrawi's root list or the bot's own
keywords) is never taken for another; a word the bot does not know may be a misspelling of the nearest
keyword long enough to bear it ("ssuai" → sesuai, "syart" → syarat; jaring.hotline.vocabulary).
"""
from __future__ import annotations

import functools

import re
from dataclasses import dataclass
from typing import Any, Iterable

from jaring.cases import violations
from jaring.hotline import lexicon as lx
from jaring.hotline import vocabulary
from jaring.messaging.matching import normalise
from jaring.offices.model import OfficeConfig
from jaring.survey import questionnaire as survey
from jaring.survey.responses import LABELS, UNSUR

CONTEXTS = ("new", "none", "intake", "confirm") + tuple(f"survey:{u}" for u in UNSUR)
INTENTS = ("greeting", "thanks", "menu", "hours", "address", "catalogue", "service", "ticket_status", "complaint",
           "wbs", "officer", "survey", "answer", "yes", "no", "cancel", "stop", "start", "erase", "privacy",
           "intake", "faq", "choice", "unknown")
MENU_ROWS = {"m:katalog": "catalogue", "m:tiket": "ticket_status", "m:pengaduan": "complaint", "m:wbs": "wbs",
             "m:survei": "survey", "m:petugas": "officer", "m:menu": "menu"}
_EMOJI_ONLY = re.compile(r"^[\W_]+$")


@dataclass(frozen=True)
class Reading:
    intent: str
    value: Any = ""

    def as_dict(self, context: str, text: str) -> dict[str, Any]:
        return {"context": context, "text": text, "intent": self.intent, "value": self.value}


class UnknownContext(ValueError):
    pass


def check_context(context: str) -> str:
    kind, _, step = context.partition(":")
    if kind in ("new", "none", "intake", "confirm") and not step:
        return context
    if kind == "survey" and step in survey.STEPS:
        return context
    raise UnknownContext(f"unknown context {context!r}: one of new, none, survey:U1…survey:U9, intake, confirm")


# -- words -------------------------------------------------------------------------------------------

_OWN: dict[tuple[str, str], tuple[frozenset[str], tuple[str, ...]]] = {}


def _phrases(config: OfficeConfig | None) -> Iterable[str]:
    for group in (lx.GREETING, lx.THANKS, lx.YES, lx.NO, lx.MENU, lx.CANCEL, lx.STOP, lx.STOP_PHRASES, lx.START,
                  lx.ERASE, lx.ERASE_ASK, lx.PRIVACY, lx.SURVEY, lx.CATALOGUE, lx.TICKETS, lx.OFFICER_PEOPLE,
                  lx.OFFICER_TALK, lx.COMPLAINT_STEMS, lx.COMPLAINT_PHRASES, lx.WBS, lx.HOURS_WORDS,
                  lx.HOURS_WITH, lx.JAM_WITH, lx.ADDRESS, lx.ADDRESS_WHERE, lx.FREE, lx.CHEAP, lx.DEAR,
                  lx.MIDDLE, lx.VERY, lx.SOMEWHAT, lx.NO_SUGGESTION, lx.SKIP, violations.PHRASES,
                  lx.SPELLINGS.values()):
        yield from group
    for good, bad in lx.SCALES.values():
        yield from good
        yield from bad
    for _, phrases in lx.U8:
        yield from phrases
    for labels in LABELS.values():
        yield from labels
    for choices in lx.PROFILE_WORDS.values():
        for words in choices.values():
            yield from words
    if config is not None:
        for unit in config.units:
            yield unit.title
            for service in unit.services:
                yield service.title
                yield service.name
        for quick in config.quick_replies:
            yield from quick.keywords


def _own(config: OfficeConfig | None) -> tuple[frozenset[str], tuple[str, ...]]:
    """The bot's own words (for this office), and those long enough to be the target of a misspelling."""
    key = (config.office, config.version) if config is not None else ("", "")
    if key not in _OWN:
        words = frozenset(w for p in _phrases(config) for w in normalise(p).split())
        _OWN[key] = (words, tuple(sorted(w for w in words if w.isalpha() and vocabulary.allowed_typos(w))))
    return _OWN[key]


class Words:
    """A message as words: one spelling for informal words, misspelt unknown words corrected, and roots."""

    def __init__(self, text: str, config: OfficeConfig | None):
        own, targets = _own(config)
        raw = normalise(text).split()
        tokens: list[str] = []
        i = 0
        while i < len(raw):
            pair = tuple(raw[i:i + 2])
            if len(pair) == 2 and pair in lx.JOINED:
                tokens += lx.JOINED[pair].split()
                i += 2
                continue
            if (raw[i],) in lx.JOINED:
                tokens += lx.JOINED[(raw[i],)].split()
            else:
                tokens += self._spelt(raw[i], own, targets).split()
            i += 1
        self.tokens = tokens
        self.stems = [vocabulary.stem(t) for t in tokens]
        self.text = " ".join(tokens)
        self.bare = " ".join(t for t in tokens if t not in _ADDRESS)
        self.core = [t for t in tokens if t not in lx.FILLERS]

    @staticmethod
    def _spelt(word: str, own: frozenset[str], targets: tuple[str, ...]) -> str:
        word = lx.SPELLINGS.get(word, word)
        if vocabulary.known(word, own):
            return word
        near = vocabulary.nearest(word, targets)
        if near:
            return near
        single = re.sub(r"(.)\1+", r"\1", word)  # "haloo", "sampaii"
        if vocabulary.known(single, own):
            return lx.SPELLINGS.get(single, single)
        glued = [(word[:i], word[i:]) for i in range(2, len(word) - 1) if word[:i] in own and word[i:] in own]
        return " ".join(glued[0]) if len(glued) == 1 else word  # "jambuka" is "jam buka"

    def has(self, phrase: str) -> bool:
        """The phrase's words, in order and next to each other (or their roots)."""
        words, roots = _phrase(phrase)
        if not words:
            return False
        n = len(words)
        for i in range(len(self.tokens) - n + 1):
            if self.tokens[i:i + n] == words or self.stems[i:i + n] == roots:
                return True
        return False

    def any(self, phrases: Iterable[str]) -> bool:
        return any(self.has(p) for p in phrases)

    def whole(self, phrases: Iterable[str]) -> bool:
        """The message is one of these phrases (address words and particles aside)."""
        options = _options(tuple(phrases))
        return self.text in options or self.bare in options

    def yes(self, also: frozenset[str] = frozenset()) -> bool:
        """A yes; `also`: words that may come with it without changing it (the question's own words)."""
        bare = [t for t in self.tokens if t not in _ADDRESS]
        return self.whole(lx.YES) or bool(set(bare) - also) and all(t in lx.YES_WORDS or t in also for t in bare)

    def no(self, also: frozenset[str] = frozenset()) -> bool:
        bare = [t for t in self.tokens if t not in _ADDRESS]
        return self.whole(lx.NO) or (bool(set(bare) & lx.NEGATIVE) and all(t in lx.NO_WORDS or t in also for t in bare))

    def stem_in(self, stems: Iterable[str]) -> bool:
        wanted = set(stems)
        return any(s in wanted or t in wanted for t, s in zip(self.tokens, self.stems))


_ADDRESS = frozenset({"min", "kak", "pak", "bapak", "bu", "ibu", "mas", "mbak", "gan", "sis", "bro", "dik",
                      "bang", "om", "kok", "sih", "dong", "deh", "nih", "loh", "lho", "toh", "tuh", "nah",
                      "mohon", "tolong", "maaf", "admin", "kakak", "yah", "wah", "ah", "eh", "hmm"})


# -- the reading -------------------------------------------------------------------------------------

# One message is read by several parts of its turn (the rights check, the tickets' and complaints' checks, the
# hotline), and a reading costs milliseconds of CPU (every service name of the catalogue is compared): the
# webhook's instance reads each (text, context, office file, rows) once. Readings are frozen, so sharing is safe.
_READ: dict[tuple[Any, ...], Reading] = {}
_READ_LIMIT = 512


def read(text: str, context: str = "none", config: OfficeConfig | None = None,
         rows: Iterable[tuple[str, str]] = ()) -> Reading:
    """How the bot reads `text` when `context` is pending. `rows`: (id, title) of the list shown last."""
    rows = tuple(rows)
    key = (text, context, id(config), config.office if config else "", config.version if config else "", rows)
    found = _READ.get(key)
    if found is None:
        found = _read(text, context, config, rows)
        if len(_READ) >= _READ_LIMIT:
            _READ.clear()
        _READ[key] = found
    return found


def _read(text: str, context: str, config: OfficeConfig | None, rows: tuple[tuple[str, str], ...]) -> Reading:
    kind, _, step = check_context(context).partition(":")
    raw = (text or "").strip()
    words = Words(raw, config)
    right = _right(words)
    if right is not None:
        return right
    if kind == "intake":
        if words.whole(lx.CANCEL):
            return Reading("cancel")
        return Reading("menu") if words.whole(lx.MENU) else Reading("intake")
    if kind == "survey":
        if words.whole(lx.CANCEL):
            return Reading("cancel")
        if words.whole(lx.MENU):
            return Reading("menu")
        value = _survey_answer(step, words, raw)
        if value is not None:
            return Reading("answer", value)
    if kind == "confirm":
        if words.yes(lx.ERASE_ANSWER_WORDS):
            return Reading("yes")
        if words.no(lx.ERASE_ANSWER_WORDS):
            return Reading("no")
    chosen = _row(words, list(rows))
    if chosen is not None:
        return chosen
    return _asks(words, raw, config)


def read_offer(text: str, config: OfficeConfig | None = None) -> Reading | None:
    """A reply to a survey invitation before the survey started: "ya"/"mau" starts it (survey), a clear answer
    to its first question ("4", "Sangat sesuai") is that answer; None when the message is neither."""
    words = Words((text or "").strip(), config)
    if _right(words) is not None:
        return None
    if words.yes():
        return Reading("survey")
    if words.whole(lx.NO | {"kurang", "sangat"}):
        return None
    value = score(survey.STEPS[0], words)
    return Reading("answer", value) if value is not None else None


def _right(w: Words) -> Reading | None:
    typo = len(w.tokens) == 1 and vocabulary.distance(w.tokens[0], "berhenti", 2) <= 2  # "berhnti", "berhentii"
    about_messages = set(w.tokens) & {"pesan", "chat", "wa", "whatsapp", "nomor", "sms", "pengingat", "notifikasi"}
    asked_to_stop = w.any(lx.STOP_PHRASES) and about_messages and len(w.core) <= 6 and not w.any(("survei",))
    if typo or w.whole(lx.STOP) or asked_to_stop or _refuses_surveys(w):  # "jangan kirim pesan lagi"; not a story
        return Reading("stop")  # that says "jangan kirim"
    if w.whole(lx.START):
        return Reading("start")
    imperative = any(a in ("hapus", "hapuskan") and b == "data" for a, b in zip(w.tokens, w.tokens[1:]))
    if w.whole(lx.ERASE) or (imperative and len(w.core) <= 5 and not set(w.tokens) & lx.QUESTION):
        return Reading("erase")
    if w.whole(lx.ERASE_ASK):
        return Reading("erase", "ask")
    return None


def _refuses_surveys(w: Words) -> bool:
    """"jangan kirim survei lagi", "saya tidak mau disurvei": the citizen withdraws consent to the survey (BERHENTI),
    never asks for it. A short message, no question, a "no" before "survei" with only words of refusal between."""
    if "survei" not in w.stems or len(w.core) > 6 or set(w.tokens) & lx.QUESTION:
        return False
    before = w.stems[:w.stems.index("survei")]
    negations = [i for i, t in enumerate(w.tokens[:len(before)]) if t in lx.NEGATIVE]
    return bool(negations) and all(s in lx.SURVEY_REFUSAL for s in before[negations[-1] + 1:])


def _row(w: Words, rows: list[tuple[str, str]]) -> Reading | None:
    """A typed row number, or a row's title, of the list shown last."""
    if not rows:
        return None
    picked = None
    if len(w.tokens) == 1 and w.tokens[0].isdigit() and 1 <= int(w.tokens[0]) <= len(rows):
        picked = rows[int(w.tokens[0]) - 1][0]
    else:
        picked = next((rid for rid, title in rows if normalise(title) in (w.text, normalise(w.text))), None)
    if picked is None:
        return None
    return Reading(MENU_ROWS[picked]) if picked in MENU_ROWS else Reading("choice", picked)


def _asks(w: Words, raw: str, config: OfficeConfig | None) -> Reading:
    if not w.tokens:
        return Reading("thanks") if raw and any(c in lx.THANKS_EMOJI for c in raw) else Reading("unknown")
    if w.whole(lx.MENU):
        return Reading("menu")
    if w.whole(lx.CANCEL):
        return Reading("cancel")
    if w.whole(lx.OWN_DATA):
        return Reading("privacy", "access")
    if w.any(lx.PRIVACY) or (w.has("data") and w.stem_in(("simpan", "apa", "guna", "pakai", "hapus"))):
        return Reading("privacy")
    thanked = w.has("terima kasih") or bool(set(w.tokens) & lx.THANKS)
    if violations.signals([w.text]) or w.any(lx.WBS):
        return Reading("wbs")
    strong = w.stem_in(lx.COMPLAINT_STEMS - {"lapor"})
    if strong or (not thanked and (w.stem_in(("lapor",)) or w.any(lx.COMPLAINT_PHRASES))):
        return Reading("complaint")
    if w.any(lx.TICKETS):
        return Reading("ticket_status")
    if w.any(lx.SURVEY - {"kepuasan"}):
        return Reading("survey")
    if w.any(lx.CATALOGUE) and not _service(w, config):
        return Reading("catalogue")
    if _officer(w):
        return Reading("officer")
    if _hours(w):
        return Reading("hours")
    if w.any(lx.ADDRESS) or ("dimana" in w.tokens and set(w.tokens) & lx.ADDRESS_WHERE):
        return Reading("address")
    service = _service(w, config)
    if service:
        return Reading("service", service)
    quick = _quick_reply(w, config)
    if quick is not None:
        return quick
    if w.core and all(t in lx.GREETING for t in w.core) or (not w.core and set(w.tokens) & lx.GREETING):
        return Reading("greeting")
    if thanked:
        return Reading("thanks")
    if w.yes():
        return Reading("yes")
    if w.no():
        return Reading("no")
    return Reading("unknown")


def _officer(w: Words) -> bool:
    people = set(w.tokens) & lx.OFFICER_PEOPLE or w.has("customer service")
    if not people:
        return False
    meaningful = [t for t in w.tokens if t not in lx.FILLERS or t in lx.OFFICER_PEOPLE]
    return w.stem_in(lx.OFFICER_TALK) or all(t in lx.OFFICER_PEOPLE for t in meaningful)


def _hours(w: Words) -> bool:
    tokens = set(w.tokens) | set(w.stems)
    if "jam" in tokens and tokens & lx.JAM_WITH:
        return True
    return bool(tokens & lx.HOURS_WORDS and (tokens & lx.HOURS_WITH or tokens & lx.QUESTION or "libur" in tokens))


def _service(w: Words, config: OfficeConfig | None) -> str:
    """The catalogue service the message names best (its id), or "" when none stands out."""
    if config is None:
        return ""
    said = {x for t, s in zip(w.tokens, w.stems) if t not in _THANKS_WORDS for x in (t, s)}
    best: tuple[float, float, str] | None = None
    for unit in config.units:
        unit_words = _roots(unit.title)
        for service in unit.services:
            title = _roots(service.title) | _roots(service.name)
            distinct = {x for x in title & said if x not in lx.GENERIC and vocabulary.stem(x) not in lx.GENERIC}
            if not distinct:
                continue
            score = len(title & said) + 0.5 * len((unit_words - title) & said)
            cover = len(_roots(service.title) & said) / max(1, len(_roots(service.title)))
            key = (score, cover, service.id)
            if best is None or key[:2] > best[:2]:
                best = key
    for quick in config.quick_replies if config is not None else ():
        if quick.service and any(w.has(k) for k in quick.keywords):
            phrase = max((k for k in quick.keywords if w.has(k)), key=len)
            score = 1.0 + len(normalise(phrase).split())
            if best is None or score > best[0]:
                best = (score, 1.0, quick.service[1])
    return best[2] if best else ""


_THANKS_WORDS = frozenset({"terima", "kasih"})


@functools.lru_cache(maxsize=4096)  # the lexicon's phrases, looked for in every message read
def _phrase(phrase: str) -> tuple[list[str], list[str]]:
    words = normalise(phrase).split()
    return words, [vocabulary.stem(w) for w in words]


@functools.lru_cache(maxsize=1024)
def _options(phrases: tuple[str, ...]) -> frozenset[str]:
    return frozenset(normalise(p) for p in phrases)


@functools.lru_cache(maxsize=4096)  # the catalogue's titles and names, compared with every message read
def _roots(text: str) -> frozenset[str]:
    words = normalise(text).split()
    return frozenset({vocabulary.stem(x) for x in words} | set(words))


def _quick_reply(w: Words, config: OfficeConfig | None) -> Reading | None:
    if config is None:
        return None
    found = [(len(normalise(k)), q) for q in config.quick_replies for k in q.keywords if w.has(k)]
    if not found:
        return None
    quick = max(found, key=lambda f: f[0])[1]
    return Reading("service", quick.service[1]) if quick.service else Reading("faq", quick.id)


# -- answers to the survey's questions ---------------------------------------------------------------

def _survey_answer(step: str, w: Words, raw: str) -> Any:
    if step in UNSUR:
        return score(step, w)
    if step in survey.PROFILE_OF:
        return _profile(step, w)
    if step == survey.SUGGESTION:
        if w.whole(lx.NO_SUGGESTION) or (w.has("terima kasih") and len(w.core) <= 2):
            return ""
        return raw or None
    return None


def score(unsur: str, w: Words) -> int | None:
    """The answer 1–4 this message gives to an unsur's question, or None when it gives none."""
    for token in w.tokens:
        if token in lx.NUMBERS:
            return lx.NUMBERS[token]
        if token.isdigit():
            return None  # "5", "10": not a value of the scale; the question is asked again
    for value, label in enumerate(LABELS[unsur], start=1):
        if normalise(label) in (w.text, w.bare):
            return value
    if unsur == "U4":
        return _cost(w)
    if unsur == "U8":
        return _complaint_handling(w)
    good, bad = lx.SCALES[unsur]
    very, somewhat = w.any(lx.VERY), w.any(lx.SOMEWHAT)
    if w.any(good) and not w.any(bad):
        if somewhat:
            return 2
        if _negated(w, good):
            return 1
        return 4 if very else 3
    if w.any(bad):
        if _negated(w, bad):
            return 3
        return 2 if somewhat or w.has("cukup") else 1
    core = [t for t in w.tokens if t not in _ADDRESS]
    if core in (["tidak"], ["buruk"]):
        return 1
    if core == ["kurang"]:
        return 2
    if core == ["sangat"]:
        return 4
    if unsur == "U9" and w.whole(lx.MIDDLE):
        return 2
    return None


def _negated(w: Words, phrases: Iterable[str]) -> bool:
    first = min((i for i, t in enumerate(w.tokens) for p in phrases if normalise(p).split()[0] in (t, w.stems[i])),
                default=None)
    return first is not None and any(t in lx.NOT for t in w.tokens[:first])


def _cost(w: Words) -> int | None:
    if w.any(lx.FREE):
        return 4
    if w.any(lx.DEAR):
        if _negated(w, lx.DEAR):
            return 3
        return 1 if w.any(lx.VERY) else 2
    if w.any(lx.CHEAP):
        return 2 if _negated(w, lx.CHEAP) else 3
    return None


def _complaint_handling(w: Words) -> int | None:
    by = dict(lx.U8)
    if w.any(by[2]):
        return 2
    if w.any(by[1]):
        return 1
    if w.has("kurang"):
        return 3
    if w.any(by[4]):
        return 4
    return 3 if w.any(by[3]) else None


def _profile(step: str, w: Words) -> str | None:
    _, choices = survey.PROFILE_OF[step]
    if w.whole(lx.SKIP):
        return survey.SKIP
    if len(w.tokens) == 1 and w.tokens[0].isdigit():
        number = int(w.tokens[0])
        if 1 <= number <= len(choices):
            return choices[number - 1][0]
        if number == len(choices) + 1:
            return survey.SKIP
        if step == "age_band" and 10 <= number <= 120:
            return _age_band(number)
        return None
    for value, label in choices:
        if normalise(label) in (w.text, w.bare):
            return value
    words = lx.PROFILE_WORDS.get(step, {})
    for value, options in words.items():
        if w.whole(options) or any(w.has(o) for o in options if len(o) > 2):
            return value
    return None


def _age_band(age: int) -> str:
    for low, band in ((60, "60+"), (50, "50-59"), (40, "40-49"), (30, "30-39"), (20, "20-29")):
        if age >= low:
            return band
    return "<20"
