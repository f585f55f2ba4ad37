"""Reads of ratings, always scoped to the reader's unit subtree (org.scoping).

A rating counts for the unit that handled the dossier [decision], in the period in which it was
given (created_at, Vietnam time) [decision]. A unit's score is the mean of its ratings' totals
(0–18), banded by ratings.criteria.BANDS.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from motcua.org.scoping import scope
from motcua.ratings import criteria
from motcua.ratings.models import Rating
from motcua.worktime.core import VN_TZ


def ratings_for(user):
    return scope(
        Rating.objects.select_related(
            "dossier__handling_unit", "dossier__procedure_version", "desk"
        ),
        user,
        unit_field="dossier__handling_unit",
    )


def rating_of(user, dossier) -> Rating | None:
    return ratings_for(user).filter(dossier=dossier).first()


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    start = datetime.combine(first, time(0), tzinfo=VN_TZ)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=VN_TZ)
    return start, end


def in_period(user, *, unit, first: date, last: date, only_unit: bool = False):
    """Ratings of the dossiers handled by `unit` (and its subtree unless only_unit), given from
    `first` to `last` inclusive."""
    start, end = _bounds(first, last)
    rows = ratings_for(user).filter(created_at__gte=start, created_at__lt=end)
    if only_unit:
        return rows.filter(dossier__handling_unit=unit)
    return rows.filter(dossier__handling_unit__path__startswith=unit.path)


@dataclass
class Totals:
    unit: object
    count: int = 0
    total: int = 0
    per_index: dict = field(default_factory=lambda: {c.code: 0 for c in criteria.CRITERIA})

    def add(self, rating: Rating) -> None:
        self.count += 1
        self.total += rating.total
        for code in self.per_index:
            self.per_index[code] += rating.scores.get(code, 0)

    @property
    def average(self) -> Decimal | None:
        return criteria.average(self.total, self.count)

    @property
    def band(self) -> tuple[str, str] | None:
        return criteria.band(self.average) if self.count else None

    def index_cells(self) -> list[tuple[object, int]]:
        return [(c, self.per_index[c.code]) for c in criteria.CRITERIA]


def unit_totals(user, *, unit, first: date, last: date) -> tuple[list[Totals], Totals]:
    """(one row per handling unit with ratings, in tree order; the whole subtree's row)."""
    rows: dict[int, Totals] = {}
    whole = Totals(unit=unit)
    for rating in in_period(user, unit=unit, first=first, last=last).order_by("pk"):
        handling = rating.dossier.handling_unit
        rows.setdefault(handling.pk, Totals(unit=handling)).add(rating)
        whole.add(rating)
    return sorted(rows.values(), key=lambda t: t.unit.path), whole


def drill_down(user, *, unit, first, last, only_unit=False, index=None, points=None):
    """The ratings behind one figure of the report, oldest first."""
    rows = in_period(user, unit=unit, first=first, last=last, only_unit=only_unit)
    rows = list(rows.order_by("created_at", "pk"))
    if index is not None and points is not None:
        rows = [r for r in rows if r.scores.get(index) == points]
    return rows


# Periods a leader can choose: month, quarter, year or a range of days.
PERIODS = {
    "thang": _("Tháng"),
    "quy": _("Quý"),
    "nam": _("Năm"),
    "khoang": _("Khoảng thời gian"),
}


def period_bounds(kind: str, *, year: int, month: int, quarter: int) -> tuple[date, date]:
    if kind == "nam":
        return date(year, 1, 1), date(year, 12, 31)
    if kind == "quy":
        first = date(year, 3 * quarter - 2, 1)
        nxt = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
        return first, nxt - timedelta(days=1)
    first = date(year, month, 1)
    nxt = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return first, nxt - timedelta(days=1)
