"""Charts as inline SVG strings (pure): no script, no CDN, readable when printed or offline."""
from __future__ import annotations

from html import escape
from typing import Sequence

INK, MUTED, BAR, WEAK = "#1f2933", "#7b8794", "#2f6f9f", "#c0392b"
FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def _text(x: float, y: float, text: str, anchor: str = "start", fill: str = INK, weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}" font-weight="{weight}">'
            f"{escape(text)}</text>")


def _short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[:limit - 1].rstrip(" ,") + "…"


def hbars(rows: Sequence[tuple[str, float, str]], maximum: float, title: str, marks: Sequence[tuple[float, str]] = (),
          width: int = 640, label_width: int = 230, highlight: int = 0, minimum: float = 0) -> str:
    """Horizontal bars: (label, value, value text) per row, on a scale from `minimum` (the IKM's is 25)
    to `maximum`; `marks` draws vertical reference lines (grade bounds); the first `highlight` rows
    (the weakest) are drawn in red."""
    row_h, top = 24, 28
    plot = width - label_width - 60
    height = top + row_h * len(rows) + 22
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
             f'width="100%" {FONT}><title>{escape(title)}</title>', _text(0, 16, title, weight="bold")]
    for i, (label, value, shown) in enumerate(rows):
        y = top + i * row_h
        w = max(0.0, plot * (value - minimum) / (maximum - minimum)) if maximum > minimum else 0.0
        parts.append(_text(label_width - 8, y + 15, _short(label, label_width // 7), anchor="end"))
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" '
                     f'fill="{WEAK if i < highlight else BAR}"/>')
        parts.append(_text(label_width + w + 6, y + 15, shown))
    bottom = top + row_h * len(rows)
    for value, name in marks:
        x = label_width + plot * (value - minimum) / (maximum - minimum)
        parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="{MUTED}" '
                     f'stroke-dasharray="3 3"/>')
        parts.append(_text(x, bottom + 14, name, anchor="middle", fill=MUTED))
    parts.append("</svg>")
    return "".join(parts)


def vbars(columns: Sequence[tuple[str, float, str]], maximum: float, title: str, width: int = 640,
          height: int = 180, minimum: float = 0) -> str:
    """Vertical bars: (label under the bar, value, text above it) from `minimum` to `maximum`,
    e.g. the IKM month by month."""
    top, bottom = 28, height - 24
    slot = width / max(4, len(columns))  # a quarter's three months do not become three walls
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
             f'width="100%" {FONT}><title>{escape(title)}</title>', _text(0, 16, title, weight="bold")]
    for i, (label, value, shown) in enumerate(columns):
        h = (bottom - top - 16) * (value - minimum) / (maximum - minimum) if maximum > minimum else 0
        x = i * slot + slot * 0.2
        parts.append(f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{slot * 0.6:.1f}" height="{h:.1f}" fill="{BAR}"/>')
        parts.append(_text(x + slot * 0.3, bottom - h - 4, shown, anchor="middle"))
        parts.append(_text(x + slot * 0.3, bottom + 16, label, anchor="middle", fill=MUTED))
    parts.append(f'<line x1="0" y1="{bottom}" x2="{width}" y2="{bottom}" stroke="{MUTED}"/></svg>')
    return "".join(parts)
