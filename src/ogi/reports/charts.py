"""Charts as inline SVG, drawn here in Python: no chart library, no script, prints as it shows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

COLOURS = {
    "error": "#c62828", "warning": "#e0a100", "info": "#0b61c4",
    "pass": "#1a7f37", "warn": "#e0a100", "fail": "#c62828", "unreadable": "#6a3fb5", "incomplete": "#7a1010",
    "on_time": "#1a7f37", "late": "#c62828", "unknown": "#9aa4ae",
}


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    colour: str  # a key of COLOURS or a CSS colour


def _fill(colour: str) -> str:
    return COLOURS.get(colour, colour)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(bars: Sequence[Bar], title: str, *, label_width: int = 190, width: int = 520,
              row_height: int = 24, label_chars: int = 14) -> Markup:
    """A horizontal bar chart with each bar's label on the left and its value at its end."""
    top, bottom = 6, 6
    height = top + bottom + max(len(bars), 1) * row_height
    plot = width - label_width - 44
    biggest = max((b.value for b in bars), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    if not bars:
        parts.append(f'<text x="{width / 2:.0f}" y="{height / 2 + 5:.0f}" text-anchor="middle" '
                     'font-size="13" fill="#57606a">—</text>')
    for i, bar in enumerate(bars):
        y = top + i * row_height
        length = round(plot * bar.value / biggest) if bar.value else 0
        middle = y + row_height / 2
        parts.append(
            f'<g><title>{escape(bar.label)}: {bar.value}</title>'
            f'<text x="{label_width - 8}" y="{middle + 4.5:.1f}" text-anchor="end" font-size="13" '
            f'fill="#1f2328">{escape(_clip(bar.label, label_chars))}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{max(length, 1 if bar.value else 0)}" '
            f'height="{row_height - 8}" rx="2" fill="{escape(_fill(bar.colour))}"/>'
            f'<text x="{label_width + length + 6}" y="{middle + 4.5:.1f}" font-size="13" '
            f'fill="#1f2328">{bar.value}</text></g>'
        )
    parts.append(f'<line x1="{label_width}" y1="{top}" x2="{label_width}" y2="{height - bottom}" '
                 'stroke="#d0d7de"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
