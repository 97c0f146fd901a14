"""Where WBS data can be reached from in the code, beyond the layering (tests/unit/test_layers.py: the WBS
collections are named only by jaring/cases/wbs_store.py, which only the cases and the composition root import).
Here: the inspectorate's reads happen only in admin_api's /wbs routes (which check the role first and audit every
read) and the casework that runs them. A new reader elsewhere (a report, a count for a dashboard) fails here
before it can leak anything."""
import re
from pathlib import Path

from tests.unit.test_layers import imports

JARING = Path(__file__).resolve().parents[3] / "functions" / "jaring"
INSPECTORATE_READS = ("list_reports", "read_report", "update_report", "audit_trail")


def sources():
    return {p.relative_to(JARING).as_posix(): p.read_text(encoding="utf-8") for p in JARING.rglob("*.py")}


def test_only_the_cases_and_the_composition_root_reach_the_wbs_store():
    reaching = {i.module for i in imports() if i.target == "jaring.cases.wbs_store"}
    assert {m for m in reaching if not m.startswith("jaring.cases.") and m != "jaring.app"} == set()


def test_only_admin_apis_wbs_routes_read_reports_for_people():
    calling = {name for name, text in sources().items()
               if re.search(rf"\.({'|'.join(INSPECTORATE_READS)})\(", text) and name != "cases/wbs_store.py"}
    assert calling == {"cases/http.py", "cases/service.py"}
    routes = sources()["cases/http.py"]
    wbs_routes = routes[routes.index("def _wbs("):]
    assert wbs_routes.index('identity.role != "inspectorate"') < wbs_routes.index("store.")
