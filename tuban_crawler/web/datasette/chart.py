"""A bar chart of articles per month, drawn server-side as inline SVG.

No JavaScript and nothing fetched from elsewhere: the chart shows offline, with scripts
switched off, and in a screenshot. Each bar is a link to that month's articles and
carries a ``<title>`` (the browser's tooltip) with its count.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping
from html import escape
from typing import Any

logger = logging.getLogger(__name__)

WIDTH, HEIGHT = 960, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 12, 30


def month_range(first: str, last: str) -> list[str]:
    """Return every month from FIRST to LAST (both ``YYYY-MM``), in order.

    >>> month_range("2017-11", "2018-02")
    ['2017-11', '2017-12', '2018-01', '2018-02']
    """
    year, month = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    months = []
    while (year, month) <= end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def nice_step(value: float) -> int:
    """Return the smallest of 1, 2, 5 × 10^k that is at least VALUE (a gridline step).

    >>> [nice_step(v) for v in (0, 1.25, 3, 7, 12, 57.5)]
    [1, 2, 5, 10, 20, 100]
    """
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def y_ticks(highest: int) -> list[int]:
    """Return the gridline values of a y axis that reaches HIGHEST: whole numbers, at most 5 steps.

    >>> y_ticks(5), y_ticks(230), y_ticks(0)
    ([0, 2, 4, 6], [0, 100, 200, 300], [0, 1])
    """
    step = nice_step(max(highest, 1) / 4)
    return [step * i for i in range(-(-max(highest, 1) // step) + 1)]


def monthly_counts(rows: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Return {YYYY-MM: count} from ROWS with ``month`` and ``articles`` keys, skipping malformed months."""
    counts: dict[str, int] = {}
    for row in rows:
        month, count = str(row["month"] or ""), row["articles"]
        if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
            counts[month] = counts.get(month, 0) + int(count or 0)
    return counts


def monthly_bar_chart(
    counts: Mapping[str, int], month_href: Callable[[str], str] | None = None
) -> str:
    """Return an SVG bar chart of COUNTS ({YYYY-MM: articles}); '' when there is nothing to draw.

    Parameters:
        counts: articles per month; months missing between the first and the last are drawn as 0.
        month_href: the link of a month's bar (e.g. the articles table filtered on that month).
    """
    if not counts:
        return ""
    months = month_range(min(counts), max(counts))
    ticks = y_ticks(max(counts.values()))
    top = ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    bar_w = plot_w / len(months)
    gap = 1 if bar_w > 4 else 0
    total = sum(counts.values())
    parts = [
        f'<svg class="tuban-chart-svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="tuban-chart-title"'
        ' xmlns="http://www.w3.org/2000/svg">',
        f'<title id="tuban-chart-title">Articles per month, {escape(months[0])} to {escape(months[-1])}: '
        f"{total:,} articles</title>",
    ]
    for value in ticks:
        y = TOP + plot_h - plot_h * value / top
        label = f"{value:,}"
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        parts.append(
            f'<text class="axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{label}</text>'
        )
    # Label every month on a short span, else every January (and the first month).
    label_every_month = len(months) <= 18
    for i, month in enumerate(months):
        count = counts.get(month, 0)
        x = LEFT + i * bar_w
        h = plot_h * count / top
        noun = "article" if count == 1 else "articles"
        bar = (
            f'<rect x="{x + gap / 2:.2f}" y="{TOP + plot_h - h:.2f}" width="{max(bar_w - gap, 0.5):.2f}"'
            f' height="{h:.2f}"><title>{escape(month)}: {count:,} {noun}</title></rect>'
        )
        if month_href and count:
            bar = f'<a href="{escape(month_href(month))}">{bar}</a>'
        parts.append(bar)
        first_far_from_january = i == 0 and int(month[5:]) <= 8
        if label_every_month or month.endswith("-01") or first_far_from_january:
            text = month if label_every_month else month[:4]
            parts.append(
                f'<text class="axis" x="{x + 2:.1f}" y="{HEIGHT - 10}">{escape(text)}</text>'
            )
    parts.append(
        f'<line class="baseline" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}"/>'
    )
    parts.append("</svg>")
    return "".join(parts)
