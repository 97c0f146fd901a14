"""A unit's QR self check-in poster (pure layout; SVG as text, PNG through Pillow imported on use).

One layout serves both formats, so the printed PNG and the SVG say the same and nothing is cut: every line
is wrapped to the poster's width with a safe estimate of the glyphs' width, and the PNG renderer shrinks a
line that its font measures wider than that.
"""
from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from typing import Sequence
from xml.sax.saxutils import escape

WIDTH = 480
MARGIN = 32
QUIET = 4  # the white border a QR code needs around it, in modules
GLYPH = 0.56  # a sans-serif glyph is ~0.5 em wide on average; the PNG shrinks a line that is wider

STEPS = ("1. Buka kamera HP, arahkan ke kode ini.",
         "2. Tekan tautan WhatsApp yang muncul.",
         "3. Tekan Kirim. Setelah selesai dilayani, Bapak/Ibu akan menerima survei singkat.")


@dataclass(frozen=True)
class Line:
    text: str
    y: int  # baseline
    size: int
    bold: bool = False


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    lines: tuple[Line, ...]
    qr_x: int
    qr_y: int
    module: int  # pixels per QR module
    matrix: tuple[tuple[bool, ...], ...]  # the code's dark modules, without the quiet zone


def _wrapped(text: str, size: int) -> list[str]:
    return textwrap.wrap(text, max(10, int((WIDTH - 2 * MARGIN) / (size * GLYPH)))) or [""]


def layout(matrix: Sequence[Sequence[int]], unit_name: str, office_name: str, code: str, number_shown: str) -> Layout:
    lines: list[Line] = []
    y = MARGIN

    def add(text: str, size: int, bold: bool = False, gap: int = 6) -> None:
        nonlocal y
        for part in _wrapped(text, size):
            y += size + gap
            lines.append(Line(part, y, size, bold))

    add("Sudah datang?", 30, bold=True)
    add(unit_name, 21, bold=True)
    add(office_name, 15)
    modules = len(matrix) + 2 * QUIET
    module = (WIDTH - 2 * MARGIN - 40) // modules
    qr_x = (WIDTH - module * modules) // 2 + QUIET * module
    qr_y = y + 12 + QUIET * module
    y = qr_y + module * (len(matrix) + QUIET)
    add(f"Kode: {code}", 16, gap=4)
    y += 8
    for step in STEPS:
        add(step, 18, gap=8)
    y += 10
    add(f"WhatsApp resmi: {number_shown}", 14)
    return Layout(WIDTH, y + MARGIN, tuple(lines), qr_x, qr_y, module,
                  tuple(tuple(bool(v) for v in row) for row in matrix))


def svg(poster: Layout) -> str:
    dark = "".join(f"M{poster.qr_x + c * poster.module} {poster.qr_y + r * poster.module}h{poster.module}"
                   f"v{poster.module}h-{poster.module}z"
                   for r, row in enumerate(poster.matrix) for c, on in enumerate(row) if on)
    bold = {True: ' font-weight="bold"', False: ""}
    texts = "".join(f'<text x="{poster.width // 2}" y="{line.y}" font-size="{line.size}" text-anchor="middle"'
                    f'{bold[line.bold]}>{escape(line.text)}</text>' for line in poster.lines)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{poster.width}" height="{poster.height}" '
            f'viewBox="0 0 {poster.width} {poster.height}" font-family="DejaVu Sans, Arial, sans-serif">'
            f'<rect width="{poster.width}" height="{poster.height}" fill="#fff"/>'
            f'<path fill="#000" d="{dark}"/>{texts}</svg>')


def png(poster: Layout, scale: int = 2) -> bytes:
    """The same poster as a PNG, `scale` pixels per SVG unit (2: sharp on A5 paper)."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (poster.width * scale, poster.height * scale), "white")
    draw = ImageDraw.Draw(image)
    m = poster.module * scale
    for r, row in enumerate(poster.matrix):
        for c, on in enumerate(row):
            if on:
                x, y = poster.qr_x * scale + c * m, poster.qr_y * scale + r * m
                draw.rectangle((x, y, x + m - 1, y + m - 1), fill="black")
    room = (poster.width - 2 * MARGIN) * scale
    for line in poster.lines:
        size = line.size * scale
        font = ImageFont.load_default(size=size)
        while draw.textlength(line.text, font=font) > room and size > 8:
            size -= 1
            font = ImageFont.load_default(size=size)
        draw.text((poster.width * scale // 2, line.y * scale), line.text, fill="black", font=font, anchor="ms",
                  stroke_width=1 if line.bold else 0, stroke_fill="black")
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(144, 144))
    return out.getvalue()
