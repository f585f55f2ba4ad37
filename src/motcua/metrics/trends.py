"""The last 12 months of the service index: one report per whole month, their facts read together
(scores.index_reports), for the unit page's chart and the overview's sparklines."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from motcua.metrics.periods import parse_period
from motcua.metrics.scores import IndexReport, index_reports, r2

MONTHS = 12


@dataclass
class MonthPoint:
    month: date  # first day
    score: Decimal | None  # rounded to 2 places as pages show it; None: nothing applies

    @property
    def label(self) -> str:
        return f"{self.month:%m/%Y}"

    @property
    def shown(self) -> str:
        return "" if self.score is None else f"{self.score:.2f}".replace(".", ",")


def month_starts(last: date, months: int = MONTHS) -> list[date]:
    """The first days of the `months` months ending with the month of `last`, oldest first."""
    index = last.year * 12 + last.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


def monthly_reports(
    last: date, *, as_of: date | None = None, months: int = MONTHS, only=None
) -> list[tuple[date, IndexReport]]:
    """`only`: the units the trend is drawn for (see index_reports: their scores, no ranks)."""
    firsts, spans = [], []
    for first in month_starts(last, months):
        span = parse_period(f"{first:%Y-%m}")
        if span is None:  # before the first year the app accepts
            continue
        firsts.append(first)
        spans.append(span)
    return list(zip(firsts, index_reports(spans, as_of=as_of, only=only), strict=True))


def series(reports, unit) -> list[MonthPoint]:
    """The unit's total score month by month."""
    points = []
    for first, report in reports:
        result = report.results.get(unit.pk)
        points.append(MonthPoint(first, r2(result.score) if result else None))
    return points


def group_series(reports, unit) -> list[tuple[str, list[Decimal | None]]]:
    """Each group's points month by month (None where the month has no definition)."""
    names: dict[str, str] = {}
    values: dict[str, dict[date, Decimal | None]] = {}
    for first, report in reports:
        result = report.results.get(unit.pk)
        for g in result.groups if result else []:
            names.setdefault(g.code, g.name)
            values.setdefault(g.code, {})[first] = r2(g.points) if g.applicable_max else None
    return [
        (names[code], [values[code].get(first) for first, _report in reports]) for code in names
    ]


def chart_data(points: list[MonthPoint], groups) -> dict:
    """What the Chart.js init script reads (numbers as floats, gaps as null)."""
    return {
        "labels": [p.label for p in points],
        "datasets": [
            {
                "label": _("Tổng điểm (thang 100)"),
                "data": [float(p.score) if p.score is not None else None for p in points],
            },
            *(
                {"label": name, "data": [float(v) if v is not None else None for v in data]}
                for name, data in groups
            ),
        ],
    }


def sparkline(points: list[MonthPoint], *, width: int = 96, height: int = 24) -> str:
    """A small inline SVG of the scores (0–100, higher is better); months without a score
    break the line. The label reads the figures for screen readers."""
    known = [(i, p) for i, p in enumerate(points) if p.score is not None]
    if not known:
        return ""
    step = (width - 4) / max(len(points) - 1, 1)
    segments: list[list[str]] = []
    previous = None
    for i, p in known:
        x = 2 + i * step
        y = 2 + (height - 4) * (1 - float(p.score) / 100)
        if previous is None or i != previous + 1:
            segments.append([])
        segments[-1].append(f"{x:.1f},{y:.1f}")
        previous = i
    label = _("Điểm 12 tháng gần nhất: %(figures)s") % {
        "figures": "; ".join(f"{p.label}: {p.shown}" for _i, p in known)
    }
    shapes = format_html_join(
        "",
        '<polyline points="{}" fill="none" stroke="currentColor" stroke-width="1.5"/>',
        ((" ".join(s),) for s in segments if len(s) > 1),
    )
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="1.5" fill="currentColor"/>',
        ((s[0].split(",")[0], s[0].split(",")[1]) for s in segments if len(s) == 1),
    )
    return format_html(
        '<svg class="sparkline" role="img" aria-label="{}" width="{}" height="{}" '
        'viewBox="0 0 {} {}"><title>{}</title>{}{}</svg>',
        label,
        width,
        height,
        width,
        height,
        label,
        shapes,
        dots,
    )
