"""Charts drawn on the server as SVG: no JavaScript library, no outside CDN.

Each chart is an <svg role="img"> with a title and one <title> per bar (a
tooltip and a screen-reader label); the page also shows the numbers as a table.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from markupsafe import Markup, escape

BAR = "#0b5cad"
# Widest character of the charts' 12px labels (digits, "$", ","), in pixels, rounded up.
CHARACTER_WIDTH = 7.5
GRID = "#c9d0d8"
Point = tuple[str, float]


def _nice_ceiling(value: float) -> float:
    """A round number at or above `value` for the top of an axis."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10.0 * magnitude


def _open(title: str, width: int, height: int, chart_id: str) -> list[str]:
    # Drawn at its own size, shrunk (never stretched) to fit a narrow screen.
    return [f'<svg class="chart" id="{escape(chart_id)}" role="img" '
            f'aria-labelledby="{escape(chart_id)}-title" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
            f'<title id="{escape(chart_id)}-title">{escape(title)}</title>']


def column_chart(points: Sequence[Point], *, title: str, chart_id: str,
                 fmt: Callable[[float], str] = str, width: int = 480,
                 height: int = 220, label_every: int = 1) -> Markup:
    """Vertical bars over labelled columns (e.g. money collected per day)."""
    peak = _nice_ceiling(max((v for _, v in points), default=0))
    # The axis labels ("$2,000.00") are right-aligned against the plot: leave them room.
    widest = max(len(fmt(peak * fraction)) for fraction in (0, 0.5, 1))
    left, bottom, top = 14 + math.ceil(widest * CHARACTER_WIDTH), 28, 12
    plot_w, plot_h = width - left - 8, height - bottom - top
    parts = _open(title, width, height, chart_id)
    for fraction in (0, 0.5, 1):
        y = top + plot_h * (1 - fraction)
        parts.append(f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">'
                     f'{escape(fmt(peak * fraction))}</text>')
    slot = plot_w / max(len(points), 1)
    for index, (label, value) in enumerate(points):
        bar_h = plot_h * (value / peak) if peak else 0
        x = left + index * slot + slot * 0.15
        y = top + plot_h - bar_h
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" '
                     f'height="{bar_h:.1f}" fill="{BAR}"><title>{escape(label)}: '
                     f'{escape(fmt(value))}</title></rect>')
        if index % label_every == 0:
            parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{height - 8}" '
                         f'text-anchor="middle">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every value in parts was escaped


def bar_chart(points: Sequence[Point], *, title: str, chart_id: str,
              fmt: Callable[[float], str] = str, width: int = 480) -> Markup:
    """Horizontal bars, one per category (e.g. the outcome mix)."""
    row, label_w, value_w = 28, 160, 70
    height = max(row * len(points), row) + 8
    plot_w = width - label_w - value_w
    peak = max((v for _, v in points), default=0) or 1
    parts = _open(title, width, height, chart_id)
    for index, (label, value) in enumerate(points):
        y = 4 + index * row
        bar_w = plot_w * value / peak
        parts.append(f'<text x="{label_w - 8}" y="{y + row * 0.6:.1f}" text-anchor="end">'
                     f'{escape(label)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{bar_w:.1f}" height="{row - 10}" '
                     f'fill="{BAR}"><title>{escape(label)}: {escape(fmt(value))}</title></rect>')
        parts.append(f'<text x="{label_w + bar_w + 6:.1f}" y="{y + row * 0.6:.1f}">'
                     f'{escape(fmt(value))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every value in parts was escaped
