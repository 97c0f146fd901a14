"""Reads the Firestore queries out of functions/jaring, to check each has its composite index.

A query is read when it is a chain from `….collection(NAME)` through `.where(…)` / `.order_by(…)` with
constant field names, possibly built up in a variable in one function (`q = q.where(…)`, also under
`if`: each way through the ifs is a variant that needs its own index). A query built in a loop, or on
field names passed in as arguments, is reported as unreadable with the function it is in, so no query
slips past unseen: indexes.QUERY_BUILDERS must name such functions.
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
        for function, qualname, top in _chains(tree):
            try:
                queries.extend(reader.read(top, function))
            except Unreadable as exc:
                unreadable.append(Site(f"{module}.{qualname}", f"{path.relative_to(root)}:{top.lineno}", str(exc)))
    return queries, unreadable


@dataclass(frozen=True)
class Site:
    function: str  # jaring.module.Class.method
    at: str
    why: str

    def __str__(self) -> str:
        return f"{self.at} in {self.function}: {self.why}"


def _chains(tree: ast.AST) -> Iterator[tuple[ast.AST, str, ast.Call]]:
    """(enclosing function, its qualified name, outermost call) of each chain that filters or orders."""
    inner = {id(n.func.value) for n in ast.walk(tree)
             if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in CHAIN}
    scopes = _scopes(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and id(node) not in inner and _methods(node) & {"where", "order_by"}:
            inside = [(f, name) for f, name in scopes if f.lineno <= node.lineno <= (f.end_lineno or f.lineno)]
            function, qualname = min(inside, key=lambda s: (s[0].end_lineno or 0) - s[0].lineno,
                                     default=(tree, "<module>"))
            yield function, qualname, node


def _scopes(tree: ast.AST, prefix: str = "") -> list[tuple[ast.AST, str]]:
    found = []
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            name = prefix + node.name
            if not isinstance(node, ast.ClassDef):
                found.append((node, name))
            found += _scopes(node, name + ".")
        else:
            found += _scopes(node, prefix)
    return found


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

    def read(self, top: ast.Call, function: ast.AST) -> list[Query]:
        parents = {id(child): node for node in ast.walk(function) for child in ast.iter_child_nodes(node)}
        return [Query(f"{self.relpath}:{top.lineno}", collection, frozenset(eq), frozenset(ranges), tuple(orders))
                for collection, eq, ranges, orders in self._states(top, function, parents)]

    def _states(self, node: ast.AST, function: ast.AST, parents: dict[int, ast.AST]) -> list[tuple]:
        """Every (collection, equalities, ranges, orders) the chain ending at node can be."""
        steps = []
        while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CHAIN:
            steps.append(node)
            node = node.func.value
        try:
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "collection":
                states = [(self.value(node.args[0]), set(), set(), [])]
            elif isinstance(node, ast.Name):
                states = self._variable(node, function, parents)
            else:
                raise Unreadable("a query that does not start from .collection(NAME)")
        except Unreadable:
            # Whatever the collection: filters that are all equalities never need a composite index.
            unknown = [self._apply(step, "?", set(), set(), []) for step in reversed(steps)]
            if any(ranges or orders for _, _, ranges, orders in unknown):
                raise
            return [("?", {f for _, eq, _, _ in unknown for f in eq}, set(), [])]
        for step in reversed(steps):
            states = [self._apply(step, *state) for state in states]
        return states

    def _apply(self, step: ast.Call, collection, equalities, ranges, orders) -> tuple:
        equalities, ranges, orders = set(equalities), set(ranges), list(orders)
        if step.func.attr == "where":
            for field, op in self._filters(step):
                if op not in EQUALITY | RANGE:
                    raise Unreadable(f"unknown operator {op!r}")
                (equalities if op in EQUALITY else ranges).add(field)
        elif step.func.attr == "order_by":
            orders.append((self.value(step.args[0]), self._direction(step)))
        return collection, equalities, ranges, orders

    def _variable(self, use: ast.Name, function: ast.AST, parents: dict[int, ast.AST]) -> list[tuple]:
        """The states a query variable can hold where it is used: its last assignment before the use,
        and, when that assignment sits under an `if` the use is not in, also what it held before."""
        earlier = [n for n in ast.walk(function) if isinstance(n, ast.Assign) and n.lineno < use.lineno
                   and any(isinstance(t, ast.Name) and t.id == use.id for t in n.targets)]
        if not earlier:
            raise Unreadable(f"query variable {use.id!r} is not assigned a query in this function")
        last = max(earlier, key=lambda n: n.lineno)
        guard = parents.get(id(last))
        while guard is not None and guard is not function and not isinstance(guard, (ast.If, ast.For, ast.While)):
            guard = parents.get(id(guard))
        if isinstance(guard, (ast.For, ast.While)):
            raise Unreadable(f"query variable {use.id!r} is built in a loop")
        states = self._states(last.value, function, parents)
        if isinstance(guard, ast.If) and not guard.lineno <= use.lineno <= (guard.end_lineno or guard.lineno):
            states += self._variable(ast.copy_location(ast.Name(use.id), last), function, parents)
        return states

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
