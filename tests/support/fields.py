"""What a run left in Firestore, read back field by field (for checks over every collection)."""
from __future__ import annotations

import datetime as dt
from typing import Any


def timestamp_fields(db: Any) -> set[tuple[str, str]]:
    """(collection, field) of every top-level time stamp stored in any document of any collection."""
    found = set()
    for collection in db.collections():
        for snap in collection.stream():
            found |= {(collection.id, name) for name, value in (snap.to_dict() or {}).items()
                      if isinstance(value, dt.datetime)}
    return found


def _value_size(value: Any) -> int:
    """Firestore's storage size of a value (cloud.google.com/firestore/docs/storage-size)."""
    if value is None or isinstance(value, bool):
        return 1
    if isinstance(value, (int, float, dt.datetime)):
        return 8
    if isinstance(value, str):
        return len(value.encode("utf-8")) + 1
    if isinstance(value, bytes):
        return len(value)
    if isinstance(value, dict):
        return sum(len(k.encode("utf-8")) + 1 + _value_size(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return sum(_value_size(v) for v in value)
    return 16  # references, geo points


def document_size(collection: str, doc_id: str, data: dict[str, Any]) -> int:
    """Name (collection + id + 16) + fields + 32 bytes, as Firestore counts a document's size."""
    return len(collection) + 1 + len(doc_id) + 1 + 16 + _value_size(data) + 32


def storage(db: Any) -> dict[str, dict[str, int]]:
    """Per collection: documents and their bytes as Firestore counts them (index entries not included)."""
    out: dict[str, dict[str, int]] = {}
    for collection in db.collections():
        docs = [(snap.id, snap.to_dict() or {}) for snap in collection.stream()]
        out[collection.id] = {"documents": len(docs),
                              "bytes": sum(document_size(collection.id, i, d) for i, d in docs)}
    return out
