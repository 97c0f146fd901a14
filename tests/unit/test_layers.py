"""The package's layers, kept by reading every module's imports (AST): no lists of file names to keep up.

functions/jaring, lowest layer first:
  the basics (top-level modules that are not routers) → whatsapp → messaging → offices → survey →
  tickets | cases → reports → hotline → the routers (inbox, sweep, admin) → main.py and cli/
A module imports only from its own package and the layers below; tickets and cases never import each other;
nothing imports a router but main.py and cli/. Modules named after nouns are pure. Only `*store*.py` modules
touch Firestore, each owns its collection names and everyone else imports them from it. Only chat, service
and http modules (and the routers, main.py and cli/) take the app. See docs/ARCHITECTURE.md.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"
LAYERS = ("basics", "whatsapp", "messaging", "offices", "survey", "tickets|cases", "reports", "hotline", "routers",
          "main|cli")
ROUTERS = ("inbox", "sweep", "admin")
APP_TAKERS = ("chat", "service", "http")
# Adapters that are not stores: each wraps one outside service and holds no domain rule.
ADAPTERS = {"jaring.whatsapp.graph": "the Graph API over requests",
            "jaring.scheduler": "Cloud Scheduler (the `nudges` command)",
            "jaring.identity": "Google ID tokens for staff sign-in",
            "jaring.messaging.delivery": "the messaging feature's service: sends outbox records with the app's "
                                         "Graph client, clock and store"}
COMPOSITION_ROOT = "jaring.app"
IMPURE = ("google", "requests", "flask", "functions_framework")


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. "jaring.tickets.chat"
    target: str  # the imported module, e.g. "jaring.messaging.store"
    names: tuple[str, ...]  # the names taken from it ("" for `import x` / a submodule)
    line: int


def name_of(path: Path) -> str:
    parts = path.relative_to(FUNCTIONS).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, ast.Module]:
    found = {name_of(p): ast.parse(p.read_text(encoding="utf-8")) for p in (FUNCTIONS / "jaring").rglob("*.py")}
    found["main"] = ast.parse((FUNCTIONS / "main.py").read_text(encoding="utf-8"))
    return found


def is_module(name: str) -> bool:
    return name in modules()


@cache
def imports() -> tuple[Import, ...]:
    """Every import of every module, wherever it sits (top level or inside a function)."""
    found = []
    for module, tree in modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [Import(module, a.name, ("",), node.lineno) for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for a in node.names:  # `from jaring.x import y`: y is a submodule or a name in x
                    sub = f"{node.module}.{a.name}"
                    found.append(Import(module, sub, ("",), node.lineno) if is_module(sub)
                                 else Import(module, node.module, (a.name,), node.lineno))
    return tuple(found)


def unit(module: str) -> str:
    """The part of a layer a module belongs to: "basics", "routers", "main", "cli" or its package's name."""
    parts = module.split(".")
    if module == "main":
        return "main"
    if parts[1:2] == ["cli"] or module == "jaring.__main__":
        return "cli"
    if len(parts) == 2 and not (FUNCTIONS / "jaring" / parts[1]).is_dir():
        return "routers" if parts[1] in ROUTERS else "basics"
    return parts[1] if len(parts) > 1 else "basics"


def layer(module: str) -> int:
    u = unit(module)
    return next(i for i, names in enumerate(LAYERS) if u in names.split("|"))


def internal() -> list[Import]:
    return [i for i in imports() if i.target.split(".")[0] == "jaring" and i.target != "jaring"]


def base(module: str) -> str:
    return module.rsplit(".", 1)[-1]


def is_store(module: str) -> bool:
    return "store" in base(module)


def is_noun(module: str) -> bool:
    """Pure by name: not a store, chat, service, http module, router, adapter, composition root, cli or main."""
    return not (is_store(module) or base(module) in APP_TAKERS or unit(module) in ("routers", "main", "cli")
                or module in ADAPTERS or module == COMPOSITION_ROOT or module == "jaring")


def spelt(i: Import) -> str:
    return i.target + (f".{i.names[0]}" if i.names[0] else "")


def where(i: Import) -> str:
    return f"{i.module} (line {i.line}) imports {spelt(i)}"


# -- the rules -------------------------------------------------------------------------------------------

def test_imports_only_go_down_the_layers():
    wrong = [where(i) for i in internal()
             if unit(i.target) != unit(i.module) and layer(i.target) >= layer(i.module)
             and not (i.module == COMPOSITION_ROOT and (is_store(i.target) or i.target in ADAPTERS))]
    assert wrong == [], "an import goes up or sideways (the layers: " + " → ".join(LAYERS) + ")"


def test_tickets_and_cases_never_import_each_other():
    wrong = [where(i) for i in internal() if {unit(i.module), unit(i.target)} == {"tickets", "cases"}]
    assert wrong == []


def test_nothing_imports_a_router_but_main_and_the_cli():
    wrong = [where(i) for i in internal() if unit(i.target) == "routers" and unit(i.module) not in ("main", "cli")]
    assert wrong == []


def test_modules_named_after_nouns_are_pure():
    """No Firestore, HTTP or cloud library, no app, and nothing from a store but its collection names."""
    wrong = []
    for i in imports():
        if not is_noun(i.module):
            continue
        top = i.target.split(".")[0]
        takes_app = i.target == COMPOSITION_ROOT or (i.target == "jaring" and "app" in i.names)
        uses_store = is_store(i.target) and not all(n.isupper() for n in i.names)
        if top in IMPURE or takes_app or uses_store:
            wrong.append(where(i))
    assert wrong == []


def test_only_stores_touch_firestore():
    wrong = [where(i) for i in imports() if spelt(i).startswith("google.cloud.firestore")
             and not is_store(i.module) and i.module != COMPOSITION_ROOT]
    for module, tree in modules().items():
        if is_store(module):
            continue
        wrong += [f"{module} (line {n.lineno}) calls .{n.func.attr}()" for n in ast.walk(tree)
                  if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                  and n.func.attr in ("collection", "collections", "collection_group", "transaction", "batch")]
    assert wrong == []


def constants(tree: ast.Module) -> dict[str, str]:
    return {t.id: n.value.value for n in tree.body if isinstance(n, ast.Assign) and isinstance(n.value, ast.Constant)
            and isinstance(n.value.value, str) for t in n.targets if isinstance(t, ast.Name)}


def collection_names() -> set[str]:
    """What the stores pass to .collection() (or their own _ref/_get/_query helpers), through the constants
    they define or import."""
    found = set()
    for module, tree in modules().items():
        if not is_store(module):
            continue
        known = dict(constants(tree))
        for i in imports():
            if i.module == module and i.target in modules():
                known.update({n: v for n, v in constants(modules()[i.target]).items() if n in i.names})
        for n in ast.walk(tree):
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.args and n.func.attr in (
                    "collection", "_ref", "_get", "_query"):
                arg = n.args[0]
                if isinstance(arg, ast.Name) and arg.id in known:
                    found.add(known[arg.id])
                elif isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.add(arg.value)
    return found


def spelt_out() -> dict[str, list[str]]:
    """Each collection name: the modules that spell it out (a constant or a literal in .collection())."""
    names = collection_names()
    spelt: dict[str, list[str]] = {}
    for module, tree in modules().items():
        if module == "jaring.indexes":  # declares the indexes and TTL fields per collection (tests/infra)
            continue
        for n in ast.walk(tree):
            if isinstance(n, ast.Assign) and isinstance(n.value, ast.Constant) and n.value.value in names:
                spelt.setdefault(n.value.value, []).append(module)
            if (isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "collection"
                    and n.args and isinstance(n.args[0], ast.Constant)):
                spelt.setdefault(str(n.args[0].value), []).append(module + " (a literal in .collection())")
    return spelt


def test_each_collection_name_is_spelt_out_by_one_store_and_imported_by_the_rest():
    assert {"contacts", "outbox", "tickets", "complaints", "wbs_reports", "responses", "office_configs",
            "staff"} <= collection_names()
    wrong = {name: owners for name, owners in spelt_out().items() if len(owners) != 1 or not is_store(owners[0])}
    assert wrong == {}


def test_the_offices_store_owns_the_office_configurations_and_who_may_sign_in():
    owners = spelt_out()
    assert (owners["office_configs"], owners["staff"]) == (["jaring.offices.store"], ["jaring.offices.store"])


def test_only_chat_service_and_http_modules_take_the_app():
    wrong = [where(i) for i in internal() if (i.target == COMPOSITION_ROOT or (i.target == "jaring" and "app" in i.names))
             and base(i.module) not in APP_TAKERS and unit(i.module) not in ("routers", "main", "cli")
             and i.module not in ADAPTERS and i.module != COMPOSITION_ROOT]
    assert wrong == []


def test_only_the_composition_root_builds_stores_and_clients():
    """Features ask the app for their store (Jaring.ticket_store, .complaint_store, …), so every one of them
    sends with the office's own number (Jaring.number_for) and shares one Firestore client."""
    wrong = []
    for module, tree in modules().items():
        if module == COMPOSITION_ROOT:
            continue
        for n in ast.walk(tree):
            if isinstance(n, ast.Call):
                name = n.func.attr if isinstance(n.func, ast.Attribute) else getattr(n.func, "id", "")
                if name.endswith("Store") or name in ("Client", "GraphClient"):
                    wrong.append(f"{module} (line {n.lineno}) builds {name}")
    assert wrong == []
