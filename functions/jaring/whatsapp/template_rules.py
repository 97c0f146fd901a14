"""Meta's review rules for a message template, applied before it is submitted (pure).

Meta rejects a template whose body starts or ends with a placeholder (a placeholder followed only by
punctuation counts as the end), whose placeholders are not numbered {{1}}..{{n}} once each, that has
placeholders side by side, or "too many variable parameters relative to the message length"; and it
enforces the field limits below. Sources: Meta's "common rejection reasons" as quoted by its BSPs
(AWS End User Messaging, Aircall, Maqsam, Syniverse); the word ratio is the one they observed:
at least 2n+1 words of fixed text for n placeholders.
"""
from __future__ import annotations

import re
from typing import Any

PLACEHOLDER = re.compile(r"\{\{([^{}]*)\}\}")
NAME = re.compile(r"^[a-z0-9_]{1,512}$")
BODY = 1024
HEADER_TEXT = 60
FOOTER = 60
BUTTON_TEXT = 25
BUTTONS = 10
URL_BUTTONS = 2
PHONE_BUTTONS = 1
URL = 2000
CATEGORIES = ("UTILITY", "MARKETING", "AUTHENTICATION")


def _words(text: str) -> int:
    return sum(1 for word in PLACEHOLDER.sub(" ", text).split() if re.search(r"\w", word))


def body_problems(text: str, examples: list[str] | None = None) -> list[str]:
    """What Meta would refuse in a template body; [] when it would pass these rules."""
    problems = []
    if len(text) > BODY:
        problems.append(f"body is {len(text)} characters; Meta allows {BODY}")
    if "\t" in text or "     " in text:
        problems.append("body has a tab or more than four spaces in a row")
    if "\n\n\n\n" in text:
        problems.append("body has more than three line breaks in a row")
    found = PLACEHOLDER.findall(text)
    bad = [f"{{{{{name}}}}}" for name in found if not name.isdigit()]
    if bad:
        problems.append(f"placeholders must be numbers like {{{{1}}}}: {', '.join(bad)}")
        return problems
    numbers = [int(name) for name in found]
    if len(set(numbers)) != len(numbers):
        repeated = sorted({n for n in numbers if numbers.count(n) > 1})
        problems.append("placeholder used more than once: " + ", ".join(f"{{{{{n}}}}}" for n in repeated))
    if set(numbers) != set(range(1, len(set(numbers)) + 1)):
        problems.append(f"placeholders must be {{{{1}}}}..{{{{n}}}} without gaps: found {sorted(set(numbers))}")
    if not numbers:
        return problems
    pieces = PLACEHOLDER.split(text)[::2]  # fixed text before, between and after the placeholders
    if not re.search(r"\w", pieces[0]):
        problems.append("body starts with a placeholder")
    if not re.search(r"\w", pieces[-1]):
        problems.append("body ends with a placeholder (only punctuation after it)")
    if any(not re.search(r"\w", between) for between in pieces[1:-1]):
        problems.append("two placeholders side by side (no words between them)")
    if _words(text) < 2 * len(numbers) + 1:
        problems.append(f"too many placeholders for its length: {len(numbers)} placeholders need at least "
                        f"{2 * len(numbers) + 1} words of fixed text, it has {_words(text)}")
    if examples is not None and len(examples) != len(set(numbers)):
        problems.append(f"{len(set(numbers))} placeholders but {len(examples)} example values")
    return problems


def _button_problems(buttons: list[dict[str, Any]]) -> list[str]:
    problems = []
    if len(buttons) > BUTTONS:
        problems.append(f"{len(buttons)} buttons; Meta allows {BUTTONS}")
    kinds = [button.get("type") for button in buttons]
    if kinds.count("URL") > URL_BUTTONS:
        problems.append(f"{kinds.count('URL')} link buttons; Meta allows {URL_BUTTONS}")
    if kinds.count("PHONE_NUMBER") > PHONE_BUTTONS:
        problems.append(f"{kinds.count('PHONE_NUMBER')} call buttons; Meta allows {PHONE_BUTTONS}")
    for button in buttons:
        label = button.get("text", "")
        if not label or len(label) > BUTTON_TEXT:
            problems.append(f"button {label!r} must be 1 to {BUTTON_TEXT} characters")
        if PLACEHOLDER.search(label):
            problems.append(f"button {label!r} has a placeholder; only a link's end may")
        if button.get("type") == "URL":
            url = button.get("url", "")
            if len(url) > URL or not url.startswith("https://"):
                problems.append(f"button {label!r}: the link must be https:// and at most {URL} characters")
            if PLACEHOLDER.search(url) and not re.search(r"\{\{1\}\}$", url):
                problems.append(f"button {label!r}: only the link's end may be a placeholder, {{{{1}}}}")
            if PLACEHOLDER.search(url) and not button.get("example"):
                problems.append(f"button {label!r}: a link with a placeholder needs an example")
    return problems


def problems(registration: dict[str, Any]) -> list[str]:
    """Everything Meta would refuse in one POST /message_templates body."""
    found = []
    if not NAME.match(registration.get("name", "")):
        found.append("name must be 1 to 512 lower-case letters, digits or _")
    if registration.get("category") not in CATEGORIES:
        found.append(f"category must be one of {', '.join(CATEGORIES)}")
    components = {component["type"]: component for component in registration.get("components", [])}
    body = components.get("BODY")
    if body is None:
        found.append("a template needs a body")
    else:
        examples = body.get("example", {}).get("body_text", [None])[0]
        found += body_problems(body.get("text", ""), examples if examples is not None else [])
    header = components.get("HEADER")
    if header and header.get("format", "TEXT") == "TEXT" and len(header.get("text", "")) > HEADER_TEXT:
        found.append(f"header is longer than {HEADER_TEXT} characters")
    footer = components.get("FOOTER")
    if footer and (len(footer.get("text", "")) > FOOTER or PLACEHOLDER.search(footer.get("text", ""))):
        found.append(f"footer must be at most {FOOTER} characters without placeholders")
    found += _button_problems(components.get("BUTTONS", {}).get("buttons", []))
    return found
