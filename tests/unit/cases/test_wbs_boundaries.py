"""Where WBS data can be reached from in the code: its collections only through jaring/cases/wbs_store.py,
and the inspectorate's reads only from admin_api's /wbs routes (which check the role first and audit every read).
A new reader elsewhere (a report, a count for a dashboard) fails here before it can leak anything."""
import re
from pathlib import Path

JARING = Path(__file__).resolve().parents[3] / "functions" / "jaring"
COLLECTIONS = ("wbs_reports", "wbs_links", "wbs_drafts", "wbs_audit")
INSPECTORATE_READS = ("list_reports", "read_report", "update_report", "audit_trail")


def sources():
    return {p.relative_to(JARING).as_posix(): p.read_text(encoding="utf-8") for p in JARING.rglob("*.py")}


def test_only_the_wbs_adapter_names_the_wbs_collections():
    naming = {name for name, text in sources().items() if any(f'"{c}"' in text for c in COLLECTIONS)}
    assert naming == {"cases/wbs_store.py", "indexes.py"}  # indexes.py: the audit index and the drafts' TTL


def test_only_admin_apis_wbs_routes_read_reports_for_people():
    calling = {name for name, text in sources().items()
               if re.search(rf"\.({'|'.join(INSPECTORATE_READS)})\(", text) and name != "cases/wbs_store.py"}
    assert calling == {"cases/http.py", "cases/service.py"}
    routes = sources()["cases/http.py"]
    wbs_routes = routes[routes.index("def _wbs("):]
    assert wbs_routes.index('identity.role != "inspectorate"') < wbs_routes.index("store.")
