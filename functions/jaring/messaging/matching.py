"""Matching what people type against keywords, tolerant of case, spacing, punctuation and small typos.

Pure and small on purpose: an optimal-string-alignment edit distance (a swap of two neighbouring
letters counts as one typo; rapidfuzz) over normalised words.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable

_NOT_WORD = re.compile(r"[^a-z0-9]+")
_REPEATS = re.compile(r"(.)\1{2,}")  # "haloooo" -> "haloo"
_ENCLITIC = re.compile(r"(?<=\w{4})(nya|kah|lah|pun)$")  # "syaratnya" asks about "syarat"


def normalise(text: str) -> str:
    """Lower case, accents and punctuation gone, runs of spaces collapsed."""
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return _REPEATS.sub(r"\1\1", _NOT_WORD.sub(" ", folded)).strip()


def distance(a: str, b: str, limit: int) -> int:
    """Edit distance with transpositions (rapidfuzz's optimal string alignment), or limit + 1 beyond limit."""
    from rapidfuzz.distance import OSA  # on first use: the webhook's import path does not pay for it

    return OSA.distance(a, b, score_cutoff=limit)


def allowed_typos(word: str) -> int:
    """Short words must match exactly ('ya' is not 'ta'); longer ones may carry one or two typos."""
    return 0 if len(word) <= 3 else 1 if len(word) <= 7 else 2


def same(text: str, keyword: str) -> bool:
    """The whole message is this keyword (spaces ignored, typos allowed by length)."""
    a, b = normalise(text).replace(" ", ""), normalise(keyword).replace(" ", "")
    return bool(a) and distance(a, b, allowed_typos(b)) <= allowed_typos(b)


def exactly(text: str, keywords: Iterable[str]) -> bool:
    """The whole message is one of these keywords, ignoring case, spacing and punctuation only."""
    compact = normalise(text).replace(" ", "")
    return any(compact == normalise(k).replace(" ", "") for k in keywords)


def contains(text: str, phrase: str) -> int | None:
    """How closely the message contains the phrase somewhere (typos made), or None when it does not.

    The phrase is compared with runs of the message's words of about its length, spaces removed,
    so "jambuka", "jam  buka" and "jm buka" all contain "jam buka".
    """
    words = [_ENCLITIC.sub("", word) for word in normalise(text).split()]
    target = normalise(phrase).replace(" ", "")
    if not words or not target:
        return None
    size, limit, best = len(normalise(phrase).split()), allowed_typos(target), None
    for width in {max(1, size - 1), size, size + 1}:
        for start in range(0, max(1, len(words) - width + 1)):
            found = distance("".join(words[start:start + width]), target, limit)
            if found <= limit and (best is None or found < best):
                best = found
    return best


def best_match(text: str, choices: Iterable[tuple[str, Iterable[str]]]) -> str | None:
    """The key whose phrases the message contains best; ties go to the longer phrase."""
    ranked = []
    for key, phrases in choices:
        for phrase in phrases:
            found = contains(text, phrase)
            if found is not None:
                ranked.append((found, -len(phrase), key))
    return min(ranked)[2] if ranked else None
