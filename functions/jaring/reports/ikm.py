"""Indeks Kepuasan Masyarakat per PermenPANRB 14/2017, in exact arithmetic (pure).

NRR per unsur = Σ answers ÷ the questionnaires that answered that unsur (a sheet may leave one blank);
each unsur weighs exactly 1/9 (not 0.111 or 0.11, which understate the index); IKM = Σ weighted NRR × 25.
A respondent is a questionnaire with at least one unsur answered. Everything stays a Fraction; the index is
rounded half-up to 2 decimals only for display and for grading by the table's lower bounds.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Iterable, Mapping

from jaring.survey.responses import UNSUR, UNSUR_NAMES

WEIGHT = Fraction(1, len(UNSUR))
SCALE = 25
# (lower bound of the converted index, mutu, kinerja), best first.
GRADES = (
    (Decimal("88.31"), "A", "Sangat Baik"),
    (Decimal("76.61"), "B", "Baik"),
    (Decimal("65.00"), "C", "Kurang Baik"),
    (Decimal("0"), "D", "Tidak Baik"),
)


A_BOUND = GRADES[0][0]
PRIORITIES = 3  # the follow-up plan (RTL) names at most this many unsur


class NoResponses(ValueError):
    """An index of nobody's answers does not exist (nor one where an unsur was answered by nobody)."""


def rounded(value: Fraction, places: int = 2) -> Decimal:
    """Half-up rounding of the exact value (76.605 → 76.61), never through a float."""
    steps = math.floor(value * 10 ** places + Fraction(1, 2))
    return Decimal(steps).scaleb(-places).quantize(Decimal(1).scaleb(-places))


def grade(ikm: Fraction) -> tuple[str, str]:
    """(mutu, kinerja) of a converted index 25..100."""
    shown = rounded(ikm)
    for bound, mutu, kinerja in GRADES:
        if shown >= bound:
            return mutu, kinerja
    return GRADES[-1][1:]


@dataclass(frozen=True)
class Tally:
    """What the index needs from a set of answer sets: how many respondents, and per unsur the sum of the
    answers and how many answered it."""

    respondents: int = 0
    sums: tuple[int, ...] = (0,) * len(UNSUR)
    counts: tuple[int, ...] | None = None  # answered per unsur; None: every respondent answered every unsur

    def answered(self) -> tuple[int, ...]:
        return self.counts if self.counts is not None else (self.respondents,) * len(UNSUR)

    def __add__(self, other: "Tally") -> "Tally":
        counts = (None if self.counts is None and other.counts is None
                  else tuple(a + b for a, b in zip(self.answered(), other.answered())))
        return Tally(self.respondents + other.respondents, tuple(a + b for a, b in zip(self.sums, other.sums)),
                     counts)

    @classmethod
    def of(cls, answer_sets: Iterable[Mapping[str, int | None]]) -> "Tally":
        """Answer sets may leave unsur out (or None); a set with no unsur answered is no respondent."""
        total = cls()
        for answers in answer_sets:
            given = [answers.get(u) for u in UNSUR]
            if any(v is not None for v in given):
                total += cls(1, tuple(v or 0 for v in given), tuple(int(v is not None) for v in given))
        return total

    @classmethod
    def from_sums(cls, respondents: int, sums: Mapping[str, int], blanks: Mapping[str, int] | None = None
                  ) -> "Tally":
        """From a stored aggregate: respondents, Σ per unsur and how many left each unsur blank (aggregates
        keep blanks, not answers, so those written before blanks were allowed need no migration)."""
        blanks = blanks or {}
        return cls(respondents, tuple(int(sums.get(u, 0)) for u in UNSUR),
                   tuple(respondents - int(blanks.get(u, 0)) for u in UNSUR) if blanks else None)

    @property
    def unanswered(self) -> list[str]:
        """Unsur nobody answered: without them the regulation's index cannot be computed."""
        return [u for u, n in zip(UNSUR, self.answered()) if n <= 0]


@dataclass(frozen=True)
class Unsur:
    key: str
    name: str
    nrr: Fraction  # 1..4
    nik: Fraction  # NRR × 25
    answered: int = 0  # questionnaires that answered this unsur

    @property
    def nik_shown(self) -> Decimal:
        return rounded(self.nik)


@dataclass(frozen=True)
class Index:
    respondents: int
    unsur: tuple[Unsur, ...]  # U1..U9
    ikm: Fraction  # converted, 25..100, exact

    @property
    def nrr(self) -> tuple[Fraction, ...]:
        return tuple(u.nrr for u in self.unsur)

    @property
    def ikm_unit(self) -> Fraction:
        """The index on the 1..4 scale (Σ NRR × 1/9)."""
        return self.ikm / SCALE

    @property
    def shown(self) -> Decimal:
        return rounded(self.ikm)

    @property
    def mutu(self) -> str:
        return grade(self.ikm)[0]

    @property
    def kinerja(self) -> str:
        return grade(self.ikm)[1]

    def weakest_first(self) -> list[Unsur]:
        """Unsur by NRR×25, lowest first (ties in regulation order)."""
        return sorted(self.unsur, key=lambda u: (u.nik, UNSUR.index(u.key)))

    def priorities(self) -> list[Unsur]:
        """The RTL's priorities: the weakest unsur below the A bound (NRR × 25 shown < 88,31), three, and more
        only when others are shown with the same value as the third (leaving out one of two equal scores would
        be the report's choice, not the citizens'); none when every unsur is already Sangat Baik."""
        short = [u for u in self.weakest_first() if u.nik_shown < A_BOUND]
        if len(short) <= PRIORITIES:
            return short
        return [u for u in short if u.nik_shown <= short[PRIORITIES - 1].nik_shown]


def compute(tally: Tally) -> Index:
    if tally.respondents <= 0:
        raise NoResponses("no responses")
    if tally.unanswered:
        raise NoResponses(f"nobody answered {', '.join(tally.unanswered)}")
    unsur = tuple(Unsur(key, UNSUR_NAMES[key], Fraction(total, n), Fraction(total, n) * SCALE, n)
                  for key, total, n in zip(UNSUR, tally.sums, tally.answered()))
    return Index(tally.respondents, unsur, sum((u.nrr * WEIGHT for u in unsur), Fraction(0)) * SCALE)


def krejcie_morgan(population: int, chi_square: float = 3.841, proportion: float = 0.5,
                   margin: float = 0.05) -> int:
    """Required sample for a population of served citizens, as the 1970 table (nearest whole number)."""
    if population <= 0:
        return 0
    p = proportion * (1 - proportion)
    s = chi_square * population * p / (margin ** 2 * (population - 1) + chi_square * p)
    return min(population, math.floor(s + 0.5))


OTHER = "Lainnya"


def suppress(counts: Mapping[str, int], minimum: int = 5) -> list[tuple[str, int]]:
    """One profile question's counts safe to publish: every category shown has ≥ minimum people.

    Small categories are merged into the one OTHER row ("Lainnya"), together with the answer "Lainnya"
    itself when there is one, so a table never shows two "Lainnya" rows. Because the total is known, a merged
    row of one small category (or of fewer than `minimum` people) would give itself away, so the next smallest
    categories join it until it holds at least two categories and `minimum` people (the answer "Lainnya" alone
    with `minimum` people is safe: it is a category of its own); when even that is impossible, only the total
    is left.
    """
    rows = sorted(((k, n) for k, n in counts.items() if n > 0), key=lambda kv: (-kv[1], kv[0]))
    shown = [kv for kv in rows if kv[1] >= minimum and kv[0] != OTHER]
    hidden = [kv for kv in rows if kv[1] < minimum or kv[0] == OTHER]

    def safe(group: list[tuple[str, int]]) -> bool:
        if not group:
            return True
        return sum(n for _, n in group) >= minimum and (len(group) >= 2 or group[0][0] == OTHER)

    while not safe(hidden) and shown:
        hidden.append(shown.pop())
    if not safe(hidden):
        return []
    return shown + ([(OTHER, sum(n for _, n in hidden))] if hidden else [])
