"""`python -m jaring qr UNIT` makes a complete poster: rendered (the SVG by chromium, the PNG as printed), the
code scans to the office's WhatsApp with the unit's check-in text, and no line is cut at an edge."""
from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
import segno
from PIL import Image

from jaring.tickets import commands as chat_commands
from jaring.tickets import poster
from jaring.cli import qr
from tests.support.browser import ROOT

NUMBER = "6281234567890"


def make(tmp_path: Path, fmt: str, *extra: str) -> tuple[subprocess.CompletedProcess, Path]:
    out = tmp_path / f"poster.{fmt}"
    done = subprocess.run([sys.executable, "-m", "jaring", "qr", "kua-socah", "--number", "0812-3456-7890",
                           "--format", fmt, "--out", str(out), *extra], cwd=ROOT / "functions",
                          capture_output=True, text=True, timeout=60)
    return done, out


def expected_layout() -> poster.Layout:
    from jaring.offices.store import SEED_DIR, read_file

    config = read_file(SEED_DIR / "kemenag-bangkalan.toml").config
    name = config.unit("kua-socah").name
    matrix = list(segno.make(qr.link(NUMBER, "kua-socah", name), error="m").matrix_iter(scale=1, border=0))
    return poster.layout(matrix, name, config.name, chat_commands.checkin_code("kua-socah"), qr.shown(NUMBER))


def assert_complete(image: Image.Image, layout: poster.Layout, scale: float) -> None:
    """The code's every module where it belongs (so it scans to the expected link), a white quiet zone around
    it, and a white border all round (nothing cut at an edge)."""
    gray = image.convert("L")
    dark = lambda x, y: gray.getpixel((int(x * scale), int(y * scale))) < 128  # noqa: E731
    m = layout.module
    for r, row in enumerate(layout.matrix):
        for c, on in enumerate(row):
            assert dark(layout.qr_x + (c + .5) * m, layout.qr_y + (r + .5) * m) == on, (r, c)
    size = len(layout.matrix)
    for i in range(-poster.QUIET, size + poster.QUIET):
        for r, c in ((-1, i), (size, i), (i, -1), (i, size)):
            assert not dark(layout.qr_x + (c + .5) * m, layout.qr_y + (r + .5) * m)
    border = int(poster.MARGIN * scale * 0.6)
    w, h = gray.size
    for x in range(w):
        for y in (*range(border), *range(h - border, h)):
            assert gray.getpixel((x, y)) > 200, ("cut at top or bottom", x, y)
    for y in range(h):
        for x in (*range(border), *range(w - border, w)):
            assert gray.getpixel((x, y)) > 200, ("cut at a side", x, y)


def test_the_png_poster_carries_the_whole_code_the_steps_and_the_number(tmp_path):
    done, out = make(tmp_path, "png")
    assert done.returncode == 0, done.stdout + done.stderr
    layout = expected_layout()
    assert [line.text for line in layout.lines][-1] == "WhatsApp resmi: +62 8123-4567-890"
    assert any(line.text.startswith("3. Tekan Kirim.") for line in layout.lines)
    assert_complete(Image.open(out), layout, 2)


def test_the_svg_poster_rendered_by_a_browser_is_complete(tmp_path, watched):
    done, out = make(tmp_path, "svg")
    assert done.returncode == 0, done.stdout + done.stderr
    layout = expected_layout()
    page = watched.page
    page.set_viewport_size({"width": layout.width, "height": layout.height})
    page.goto(out.as_uri())
    boxes = page.evaluate("[...document.querySelectorAll('text')].map(t => { const b = t.getBBox(); "
                          "return [t.textContent, b.x, b.x + b.width]; })")
    assert [text for text, *_ in boxes] == [line.text for line in layout.lines]
    assert all(0 < left and right < layout.width for _, left, right in boxes), boxes
    assert_complete(Image.open(io.BytesIO(page.screenshot())), layout, 1)


@pytest.mark.parametrize("args,said", [
    (["qr", "kua-atlantis", "--number", "081234567890"], "has no unit 'kua-atlantis'"),
    (["qr", "umum", "--number", "12"], "'12' is not a WhatsApp number"),
    (["qr", "umum", "--number", "081234567890", "--out", "/nonexistent/x.svg"], "the folder /nonexistent does not exist"),
    (["qr", "umum"], "has no [office] whatsapp_number"),
    (["qr", "umum", "--config", "/nonexistent/office.toml"], "no office file /nonexistent/office.toml"),
    (["qr", "umum", "--format", "pdf"], "invalid choice: 'pdf'"),
])
def test_a_poster_that_cannot_be_made_is_refused_in_one_line(args, said):
    done = subprocess.run([sys.executable, "-m", "jaring", *args], cwd=ROOT / "functions", capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 2 and said in done.stdout and len(done.stdout.strip().splitlines()) == 1
    assert "Traceback" not in done.stdout + done.stderr and not re.search(r"\*\*", done.stdout)
