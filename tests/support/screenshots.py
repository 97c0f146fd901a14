"""`python -m tests.support.screenshots`: the pictures in docs/screenshots, made the way a person sees them.

- chat-template.png: the local chat page showing the survey invitation template as WhatsApp shows it (the text
  `templates register` submitted, filled with the sent values, and its buttons), sent through the Graph client;
- qr-poster.png: `python -m jaring qr kua-socah --format png` as printed (a sample number: the seed has none).
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "functions"))

from jaring.whatsapp import templates as wa_templates  # noqa: E402
from jaring.whatsapp.graph import GraphClient  # noqa: E402
from tests.support import meta  # noqa: E402
from tests.support.browser import Watched, chromium  # noqa: E402
from tests.support.graph_standin import StandIn, StandInServer  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
CITIZEN = "6281234560001"


def chat_with_a_template(path: Path) -> None:
    with StandInServer(StandIn(webhook_url="http://127.0.0.1:9/", access_token="shot")) as server:
        for kind, name in wa_templates.DEFAULT_NAMES.items():
            server.standin.templates[name] = wa_templates.registration(kind, name, "id")
        graph = GraphClient(server.base_url, "shot")
        graph.send(meta.OFFICE_NUMBER_ID, CITIZEN, {"type": "text", "text": {
            "body": "Terima kasih, layanan *Legalisir Buku Nikah* sudah selesai. Kode tiket _K7M2QX9AB4_."}})
        graph.send(meta.OFFICE_NUMBER_ID, CITIZEN, wa_templates.content(
            wa_templates.INVITATION, wa_templates.DEFAULT_NAMES[wa_templates.INVITATION], "id",
            ["Legalisir Buku Nikah", "PTSP Kemenag Bangkalan", "K7M2QX9AB4"],
            wa_templates.FORMS_URL_BASE + "1FAIpQLSe-contoh/viewform?usp=pp_url&entry.1017=K7M2QX9AB4"))
        with chromium() as browser:
            watched = Watched.open(browser, locale="id-ID", viewport={"width": 900, "height": 620})
            page = watched.page
            page.goto(f"http://127.0.0.1:{server.port}/")
            page.locator(".msg.out.template").wait_for()
            page.screenshot(path=str(path))
            if watched.problems:
                raise SystemExit(f"the chat page had problems: {watched.problems}")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    chat_with_a_template(OUT / "chat-template.png")
    subprocess.run([sys.executable, "-m", "jaring", "qr", "kua-socah", "--number", "0812-3456-7890", "--format",
                    "png", "--out", str(OUT / "qr-poster.png")], cwd=ROOT / "functions", check=True)
    print(f"written: {OUT / 'chat-template.png'}, {OUT / 'qr-poster.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
