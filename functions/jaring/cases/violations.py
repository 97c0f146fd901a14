"""Does a complaint read like a violation report (pungli, bribery, brokers, gratuities)? Pure.

Only ever used to *offer* the citizen the safer WBS channel before a complaint is sent; it labels no
one and is recorded nowhere. Phrases are matched as whole words after normalising (case, accents,
punctuation), with no typo tolerance: "siap" must not read as "suap".
"""
from __future__ import annotations

from typing import Iterable

from jaring.messaging.matching import normalise

PHRASES = (
    # illegal levies and extortion
    "pungli", "pungutan liar", "pungutan", "pemerasan", "memeras", "diperas", "uang pelicin", "pelicin",
    "minta uang", "meminta uang", "dimintai uang", "diminta uang", "diminta bayar", "dimintai bayaran",
    "uang rokok", "uang bensin", "uang terima kasih", "uang administrasi", "uang lelah", "uang jasa",
    "biaya tambahan", "di luar biaya resmi", "tanpa kuitansi", "tanpa kwitansi", "tidak ada kuitansi",
    "tidak ada kwitansi", "bayar di bawah tangan",
    # bribery and gratuities
    "suap", "menyuap", "disuap", "sogok", "menyogok", "nyogok", "disogok", "gratifikasi", "amplop", "imbalan",
    "hadiah untuk petugas", "parsel",
    # brokers and favouritism
    "calo", "percaloan", "makelar", "jalur belakang", "orang dalam", "titipan", "nepotisme", "kolusi",
    # abuse of office
    "korupsi", "penyalahgunaan wewenang", "menyalahgunakan jabatan", "mark up", "markup", "fiktif", "penggelapan",
)


def signals(texts: Iterable[str]) -> list[str]:
    """The phrases found in these texts, in the order of PHRASES (empty: reads like a plain complaint)."""
    haystack = " " + " ".join(normalise(t) for t in texts if t) + " "
    return [p for p in PHRASES if f" {normalise(p)} " in haystack]


def reads_like_violation(texts: Iterable[str]) -> bool:
    return bool(signals(texts))
