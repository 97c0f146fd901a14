"""What one Firestore call costs the local emulator's CPU (and the client's), by kind of call.

On this two-core machine the emulator shares the CPU with the function under test, so its cost per call
bounds the webhook's throughput (docs/BENCHMARKS.md, issue 19).

Usage: .venv/bin/python -m bench.emulator_costs [--calls N]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid
from contextlib import ExitStack

from bench.webhook_bench import ROOT, cpu_seconds
from tests.support import emulator

sys.path.insert(0, str(ROOT / "functions"))  # jaring.messaging.store's transaction

SMALL = {"s": "hello", "n": 1, "t": "x" * 100}
NESTED = {"a": {"b": [{"id": f"x{i}", "title": "Layanan nikah " * 2} for i in range(10)], "c": {"d": "e" * 200}},
          "n": 1}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=300)
    args = parser.parse_args()
    with ExitStack() as stack:
        host = stack.enter_context(emulator.firestore_emulator())
        os.environ["FIRESTORE_EMULATOR_HOST"] = host
        from google.cloud import firestore

        db = firestore.Client(project="emulator-costs")
        from jaring.messaging.store import Store

        store = Store(db)
        run = uuid.uuid4().hex[:6]
        doc = lambda kind, i: db.collection("costs").document(f"{run}{kind}{i}")  # noqa: E731

        def transaction(i: int) -> None:
            @firestore.transactional
            def body(tx: firestore.Transaction) -> None:
                list(tx.get_all([doc("a", i), doc("y", i)]))
                tx.create(doc("t", i), SMALL)
                tx.set(doc("a", i), {"m": 3}, merge=True)
            body(db.transaction())

        def inline(i: int) -> None:  # Jaring's transaction: its first read begins it (messaging.store)
            from jaring.messaging.store import InlineTransaction, inline_transactional

            @inline_transactional
            def body(tx: InlineTransaction) -> None:
                list(tx.get_all([doc("i", i), doc("z", i)]))
                tx.create(doc("u", i), SMALL)
                tx.set(doc("i", i), {"m": 3}, merge=True)
            body(InlineTransaction(db))

        def optimistic(i: int) -> None:  # read, then one batch whose preconditions are what was read
            from google.cloud.firestore_v1 import _helpers

            snaps = list(db.get_all([doc("o", i), doc("w", i)]))
            writes = db.batch()
            writes.create(doc("w", i), SMALL)
            writes.set(doc("o", i), {"m": 3}, merge=True)
            _helpers.ExistsOption(False).modify_write(writes._write_pbs[-1])
            assert not any(s.exists for s in snaps)
            writes.commit()

        def batch(i: int) -> None:
            writes = db.batch()
            writes.create(doc("c", i), SMALL)
            writes.set(doc("a", i), {"m": 4}, merge=True)
            writes.commit()

        calls = {
            "create a small document": lambda i: doc("a", i).create(SMALL),
            "create a document of ~30 nested values": lambda i: doc("b", i).create(NESTED),
            "create the same as one JSON string": lambda i: doc("j", i).create({"a": json.dumps(NESTED), "n": 1}),
            "update one field": lambda i: doc("a", i).update({"n": 2}),
            "read two documents in one batch": lambda i: list(db.get_all([doc("a", i), doc("x", i)])),
            "read one document in a batch": lambda i: list(db.get_all([doc("a", i)])),
            "read one document by the unary GetDocument (messaging.store)": lambda i: store._read_one(doc("a", i)),
            "transaction: read two, create one, merge one": transaction,
            "the same writes as a plain batch": batch,
            "the same, the transaction begun by its read (InlineTransaction)": inline,
            "the same without a transaction: read, then a batch on preconditions": optimistic,
        }
        results = {}
        for label, call in calls.items():
            for i in range(20):  # warm-up (the emulator's JIT), on other ids
                call(10**6 + i)
            emulator_cpu, client_cpu, wall = cpu_seconds(host.pgid), time.process_time(), time.perf_counter()
            for i in range(args.calls):
                call(i)
            results[label] = {"emulator_cpu_ms": (cpu_seconds(host.pgid) - emulator_cpu) * 1000 / args.calls,
                              "client_cpu_ms": (time.process_time() - client_cpu) * 1000 / args.calls,
                              "wall_ms": (time.perf_counter() - wall) * 1000 / args.calls}
            r = results[label]
            print(f"| {label} | {r['emulator_cpu_ms']:.1f} | {r['client_cpu_ms']:.1f} | {r['wall_ms']:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
