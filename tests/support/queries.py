"""Reads the Firestore queries out of functions/jaring, to check each has its composite index.

A query is read when it is one chain from `….collection(NAME)` (or from a variable assigned once,
in the same function, to such a chain) through `.where(…)` / `.order_by(…)`. Anything else that
calls `.where` or `.order_by` is reported as unreadable, so no query slips past unseen.
"""
from __future__ import annotations

import ast
import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

EQUALITY = {"==", "in", "array_contains", "array-contains", "array_contains_any", "array-contains-any"}
RANGE = {"<", "<=", ">", ">=", "!=", "not-in", "not_in"}
CHAIN = {"where", "order_by", "limit", "limit_to_last", "offset", "select", "start_at", "start_after",
         "end_at", "end_before", "count", "sum", "avg", "get", "stream"}


class Unreadable(Exception):
    pass


@dataclass(frozen=True)
class Query:
    at: str
    collection: str
    equalities: frozenset[str]
    ranges: frozenset[str]
    orders: tuple[tuple[str, str], ...]

    def tail(self) -> list[tuple[str, str]]:
        """Order fields, then fields with a range filter not already ordered on."""
        ordered = list(self.orders)
        return ordered + [(f, "ASCENDING") for f in sorted(self.ranges - {f for f, _ in ordered})]

    def head(self) -> set[str]:
        return set(self.equalities) - {f for f, _ in self.tail()}

    def needs_index(self) -> bool:
        return bool(self.tail()) and len(self.head()) + len(self.tail()) >= 2

    def served_by(self, collection: str, fields: list[tuple[str, str]]) -> bool:
        """Equality fields first in any order, then exactly the order/range fields."""
        n = len(self.head())
        return (collection == self.collection and len(fields) == n + len(self.tail())
                and {f for f, _ in fields[:n]} == self.head() and list(fields[n:]) == self.tail())

    def describe(self) -> str:
        return f"{self.collection}: {sorted(self.head())} then {self.tail()}  ({self.at})"


def scan(package_dir: Path, root: Path) -> tuple[list[Query], list[str]]:
    """Every query chain under package_dir, and the places it could not read."""
    queries, unreadable = [], []
    for path in sorted(package_dir.rglob("*.py")):
        module = ".".join(path.relative_to(package_dir.parent).with_suffix("").parts)
        tree = ast.parse(path.read_text(), str(path))
        reader = _Reader(module, path.relative_to(root))
        for function, top in _chains(tree):
            try:
                query = reader.read(top, function)
            except Unreadable as exc:
                unreadable.append(f"{path.relative_to(root)}:{top.lineno}: {exc}")
                continue
            if query is not None:
                queries.append(query)
    return queries, unreadable


def _chains(tree: ast.AST) -> Iterator[tuple[ast.AST, ast.Call]]:
    """(enclosing function, outermost call) of each method chain that filters or orders."""
    inner = {id(n.func.value) for n in ast.walk(tree)
             if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in CHAIN}
    functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and id(node) not in inner and _methods(node) & {"where", "order_by"}:
            owner = min((f for f in functions if f.lineno <= node.lineno <= (f.end_lineno or f.lineno)),
                        key=lambda f: (f.end_lineno or f.lineno) - f.lineno, default=tree)
            yield owner, node


def _methods(node: ast.AST) -> set[str]:
    found = set()
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CHAIN:
        found.add(node.func.attr)
        node = node.func.value
    return found


class _Reader:
    def __init__(self, module: str, relpath: Path):
        self.namespace = vars(importlib.import_module(module))
        self.relpath = relpath

    def read(self, top: ast.Call, function: ast.AST) -> Query | None:
        collection, equalities, ranges, orders = self._chain(top, function, set())
        return Query(f"{self.relpath}:{top.lineno}", collection, frozenset(equalities), frozenset(ranges),
                     tuple(orders))

    def _chain(self, node: ast.AST, function: ast.AST, seen: set[str]):
        steps = []
        while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CHAIN:
            steps.append(node)
            node = node.func.value
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "collection":
            collection, equalities, ranges, orders = self.value(node.args[0]), set(), set(), []
        elif isinstance(node, ast.Name) and node.id not in seen:
            collection, equalities, ranges, orders = self._chain(self._single_assignment(node.id, function),
                                                                  function, seen | {node.id})
        else:
            raise Unreadable("a query that does not start from .collection(NAME); write it as one chain")
        for step in reversed(steps):
            if step.func.attr == "where":
                for field, op in self._filters(step):
                    (equalities if op in EQUALITY else ranges).add(field)
                    if op not in EQUALITY | RANGE:
                        raise Unreadable(f"unknown operator {op!r}")
            elif step.func.attr == "order_by":
                orders.append((self.value(step.args[0]), self._direction(step)))
        return collection, equalities, ranges, orders

    def _single_assignment(self, name: str, function: ast.AST) -> ast.AST:
        values = [n.value for n in ast.walk(function) if isinstance(n, ast.Assign)
                  and any(isinstance(t, ast.Name) and t.id == name for t in n.targets)]
        if len(values) != 1:
            raise Unreadable(f"query variable {name!r} is assigned {len(values)} times; each variant of a "
                             "query needs its own index, so write each as one chain")
        return values[0]

    def _filters(self, call: ast.Call) -> list[tuple[str, str]]:
        kwargs = {k.arg: k.value for k in call.keywords}
        if "filter" in kwargs:
            return self._filter_object(kwargs["filter"])
        if len(call.args) >= 2:
            return [(self.value(call.args[0]), self.value(call.args[1]))]
        if "field_path" in kwargs and "op_string" in kwargs:
            return [(self.value(kwargs["field_path"]), self.value(kwargs["op_string"]))]
        raise Unreadable("a .where() this check cannot read")

    def _filter_object(self, node: ast.AST) -> list[tuple[str, str]]:
        name = node.func.attr if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) else (
            node.func.id if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) else None)
        if name == "FieldFilter":
            args = list(node.args) + [k.value for k in node.keywords]
            return [(self.value(args[0]), self.value(args[1]))]
        if name == "And":
            return [pair for part in node.args[0].elts for pair in self._filter_object(part)]
        raise Unreadable(f"filter {name or ast.unparse(node)!r} (Or queries are not read by this check)")

    def _direction(self, call: ast.Call) -> str:
        given = [k.value for k in call.keywords if k.arg == "direction"] + list(call.args[1:2])
        if not given:
            return "ASCENDING"
        text = ast.unparse(given[0])
        return "DESCENDING" if "DESCENDING" in text or self._maybe(given[0]) == "DESCENDING" else "ASCENDING"

    def _maybe(self, node: ast.AST) -> Any:
        try:
            return self.value(node)
        except Unreadable:
            return None

    def value(self, node: ast.AST) -> str:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name) and isinstance(self.namespace.get(node.id), str):
            return self.namespace[node.id]
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            owner = self.namespace.get(node.value.id)
            if isinstance(getattr(owner, node.attr, None), str):
                return getattr(owner, node.attr)
        raise Unreadable(f"{ast.unparse(node)!r} is not a string constant")
