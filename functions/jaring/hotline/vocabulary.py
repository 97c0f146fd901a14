"""Which words are Indonesian words, their root, and the nearest keyword to a misspelt one. Pure.

Two maintained libraries do the work, both loaded on first use (not at import: the webhook's cold start
does not pay for them until a message needs them):
- PySastrawi: its list of ~30,000 Indonesian root words (kata dasar) says whether a word is a known word,
  and its stemmer (Nazief–Adriani with confix stripping) finds the root: "pengaduan", "mengadu" → "adu".
- rapidfuzz: the optimal-string-alignment distance (a swap of two neighbouring letters is one typo) in
  compiled code, to find the nearest keyword to a word the bot does not know.
"""
from __future__ import annotations

import functools
from typing import Iterable

from jaring.messaging.matching import distance  # noqa: F401  (one distance for all matching)


class _Roots(frozenset):
    """The root-word list in the shape Sastrawi's stemmer asks of a dictionary."""

    def contains(self, word: str) -> bool:
        return word in self


@functools.cache
def roots() -> _Roots:
    from importlib import resources

    text = (resources.files("Sastrawi.Stemmer") / "data" / "kata-dasar.txt").read_text(encoding="utf-8")
    return _Roots(text.split())


@functools.cache
def _stemmer():
    from Sastrawi.Stemmer.Stemmer import Stemmer

    return Stemmer(roots())


@functools.lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """The root of an Indonesian word ("pelayanan" → "layan"), or the word itself when none is found."""
    if not word.isalpha() or len(word) <= 3 or word in roots():
        return word
    return _stemmer().stem(word) or word


def known(word: str, own: Iterable[str] = ()) -> bool:
    """A word of the language (a root, or a word with a root) or one of the bot's own words."""
    return word in own or word in roots() or stem(word) != word or not word.isalpha()


def allowed_typos(keyword: str) -> int:
    """How many typos a keyword can bear: none up to 4 letters ("calo" is not "halo"), one up to 7, then two."""
    return 0 if len(keyword) <= 4 else 1 if len(keyword) <= 7 else 2


def nearest(word: str, keywords: tuple[str, ...]) -> str | None:
    """The one keyword this unknown word is a misspelling of (within the typos that keyword bears), else None.
    Two keywords equally near: None, since guessing between them would be a misreading."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    found = process.extract(word, keywords, scorer=OSA.distance, score_cutoff=2, limit=None)
    fits = sorted((score, keyword) for keyword, score, _ in found if score <= allowed_typos(keyword))
    if not fits or (len(fits) > 1 and fits[0][0] == fits[1][0]):
        return None
    return fits[0][1]
