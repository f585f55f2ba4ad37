"""The service index as computed before the reports were read together (issue 13, kept frozen):
the reference that tests/metrics/test_reports_equal.py compares motcua.metrics.scores with.
One report at a time, every fact query from the first day, every unit scored on its own.

Original description:
Scores, bands and ranks of the service index, for any period, read from the daily facts.

One grouped query reads every unit's facts for the period; each unit's figures are then its
subtree's (rolled up by `Unit.path`). Every unit is scored at once because a rank needs its
peers': among its siblings, and among units of the same kind in the same province.

As of a past date: only facts of days up to that date, and the period cut there, so the figures
are those a page showed on that day (for the daily facts; dossiers still open are judged as
described in facts.open_overdue_dossiers).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.db.models import Count, Sum

from motcua.dossiers.models import Dossier
from motcua.metrics import catalog_facts, sources
from motcua.metrics.definition import definition_for
from motcua.metrics.facts import OPEN_OVERDUE, still_open_overdue
from motcua.metrics.formulas import FORMULAS, points
from motcua.metrics.models import DailyFact, IndexDefinition, MonthlyFact
from motcua.org.models import Unit, UnitKind
from motcua.params import FIRST_YEAR

HUNDRED = Decimal(100)
FINE, CENT = Decimal("1e-20"), Decimal("0.01")
ZERO = Decimal(0)
FIRST_DAY = date(FIRST_YEAR, 1, 1)


def r2(value: Decimal | None) -> Decimal | None:
    """Rounded to 2 decimals, half up (what pages and exports show, and ranks compare).

    Scores are sums of quotients carried to 28 significant digits: first rounding to 20
    places makes 62.83499…9 (a true 62.835) round up as it should."""
    if value is None:
        return None
    return value.quantize(FINE).quantize(CENT, rounding=ROUND_HALF_UP)


class Facts(Counter):
    """Fact sums of one unit's subtree; a fact nobody counted is 0."""


@dataclass
class IndicatorResult:
    code: str
    name: str
    max_points: int
    threshold_pct: int
    state: str  # scored | no_data | no_dossiers | shown
    numerator: int | None = None
    denominator: int | None = None
    rate: Decimal | None = None
    points: Decimal | None = None
    missing_sources: list[str] = field(default_factory=list)

    @property
    def applicable(self) -> int:
        return self.max_points if self.state == "scored" else 0


@dataclass
class GroupResult:
    code: str
    name: str
    max_points: int
    indicators: list[IndicatorResult]

    @cached_property
    def applicable_max(self) -> int:
        return sum(i.applicable for i in self.indicators)

    @cached_property
    def points(self) -> Decimal:
        return sum((i.points for i in self.indicators if i.state == "scored"), ZERO)


@dataclass
class Rank:
    rank: int
    of: int


@dataclass
class UnitResult:
    unit: Unit
    groups: list[GroupResult]
    band: str = ""
    rank_siblings: Rank | None = None
    rank_kind: Rank | None = None

    @cached_property
    def applicable_max(self) -> int:
        return sum(g.applicable_max for g in self.groups)

    @cached_property
    def points(self) -> Decimal:
        return sum((g.points for g in self.groups), ZERO)

    @cached_property
    def score(self) -> Decimal | None:
        """The points out of the applicable maximum, scaled to 100 (None: nothing applies)."""
        if not self.applicable_max:
            return None
        return self.points * HUNDRED / self.applicable_max

    def indicator(self, code: str) -> IndicatorResult:
        return next(i for g in self.groups for i in g.indicators if i.code == code)


@dataclass
class IndexReport:
    start: date
    end: date
    as_of: date
    definition: IndexDefinition | None
    results: dict[int, UnitResult]

    def for_unit(self, unit: Unit) -> UnitResult:
        # No definition in force for the period (before version 1, or none loaded): an empty
        # result, which the pages show as "no score", never an error.
        return self.results.get(unit.pk) or UnitResult(unit, [])


def _month_after(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def fact_sums(start: date, end: date, codes=None) -> dict[tuple[int, str], int]:
    """(unit_id, code) → the facts summed over [start, end]: whole months from the monthly
    sums, the days of a partial month at either end from the daily facts."""
    sums: dict[tuple[int, str], int] = defaultdict(int)
    first_full = start if start.day == 1 else _month_after(start)
    after_last_full = _month_after(end).replace(day=1)
    if after_last_full - timedelta(days=1) != end:
        after_last_full = end.replace(day=1)
    parts = []
    if first_full < after_last_full:
        parts.append((MonthlyFact, "month", first_full, after_last_full - timedelta(days=1)))
        if start < first_full:
            parts.append((DailyFact, "day", start, first_full - timedelta(days=1)))
        if after_last_full <= end:
            parts.append((DailyFact, "day", after_last_full, end))
    else:
        parts.append((DailyFact, "day", start, end))
    for model, column, lo, hi in parts:
        qs = model.objects.filter(**{f"{column}__gte": lo, f"{column}__lte": hi})
        if codes is not None:
            qs = qs.filter(code__in=codes)
        for row in qs.values("unit_id", "code").order_by().annotate(total=Sum("value")):
            sums[row["unit_id"], row["code"]] += row["total"]
    return sums


def _per_unit_facts(start: date, end: date) -> dict[int, Facts]:
    per_unit: dict[int, Facts] = defaultdict(Facts)
    for (unit_id, code), total in fact_sums(start, end).items():
        per_unit[unit_id][code] += total
    for unit_id, n in open_overdue_counts(end).items():
        per_unit[unit_id][OPEN_OVERDUE] += n
    return per_unit


def open_overdue_counts(end: date) -> Counter:
    """Per handling unit, the dossiers open and past their legal due at the end of `end`
    (facts.open_overdue_dossiers, counted without scanning the dossiers): those finished since,
    from the running difference of the overdue_from and overdue_until facts up to `end`; those
    still open now, from the open dossiers."""
    counts: Counter = Counter()
    # The facts start with the first dossier: summing from the earliest date the app accepts
    # reads every month up to `end`.
    sums = fact_sums(FIRST_DAY, end, codes=["overdue_from", "overdue_until"])
    for (unit_id, code), total in sums.items():
        counts[unit_id] += total if code == "overdue_from" else -total
    still_open = (
        still_open_overdue(Dossier.objects.all(), end)
        .values("handling_unit_id")
        .order_by()
        .annotate(n=Count("pk"))
    )
    for row in still_open:
        counts[row["handling_unit_id"]] += row["n"]
    return counts


def _path_ids(unit: Unit) -> list[int]:
    return [int(part) for part in unit.path.strip("/").split("/") if part]


def _roll_up(per_unit: dict[int, Facts], units: list[Unit]) -> dict[int, Facts]:
    """Each unit's facts plus those of every unit below it."""
    by_id = {u.pk: u for u in units}
    totals: dict[int, Facts] = {u.pk: Facts() for u in units}
    for unit_id, facts in per_unit.items():
        unit = by_id.get(unit_id)
        if unit is None:
            continue
        for ancestor in _path_ids(unit):
            if ancestor in totals:
                totals[ancestor].update(facts)
    return totals


def score_indicator(indicator, facts: Facts) -> IndicatorResult:
    formula = FORMULAS.get(indicator.formula)
    result = IndicatorResult(
        indicator.code, indicator.name, indicator.max_points, indicator.threshold_pct, "no_data"
    )
    if formula is None or not indicator.enabled:
        return result
    result.missing_sources = [s for s in formula.sources if not sources.available(s)]
    if result.missing_sources:
        return result
    numerator, denominator = formula.function(facts)
    result.numerator, result.denominator = numerator, denominator
    if not denominator:
        result.state = "no_dossiers"
        return result
    result.rate = Decimal(numerator) / Decimal(denominator)
    if not indicator.max_points:
        result.state = "shown"
        return result
    result.state = "scored"
    result.points = points(numerator, denominator, indicator.max_points, indicator.threshold_pct)
    return result


def _band(bands, score: Decimal | None) -> str:
    if score is None:
        return ""
    shown = r2(score)
    for band in bands:  # highest floor first
        if shown >= band.min_score:
            return band.name
    return ""


def _competition_ranks(members: list[UnitResult], attribute: str) -> None:
    """1 + the number of peers with a higher score as shown: ties share a rank ("1, 1, 3")."""
    ordered = sorted(((r2(m.score), m) for m in members), key=lambda pair: pair[0], reverse=True)
    rank, previous = 0, None
    for position, (score, member) in enumerate(ordered, start=1):
        if score != previous:
            rank, previous = position, score
        setattr(member, attribute, Rank(rank, len(members)))


def _province_of(unit: Unit, kinds: dict[int, str]) -> int:
    ids = _path_ids(unit)
    for pk in ids:
        if kinds.get(pk) == UnitKind.PROVINCIAL_POLICE:
            return pk
    return ids[0]


def index_report(start: date, end: date, *, as_of: date | None = None) -> IndexReport:
    """Every unit's index for [start, end], as it stood at the end of `as_of` (default: end)."""
    as_of = min(as_of or end, end)
    definition = definition_for(end)
    units = list(Unit.objects.all())
    results: dict[int, UnitResult] = {}
    if definition is None:
        return IndexReport(start, end, as_of, None, results)
    groups = [
        (group, indicators, sum(i.max_points for i in indicators))
        for group in definition.groups.prefetch_related("indicators")
        for indicators in [list(group.indicators.all())]
    ]
    bands = list(definition.bands.all())
    # Indicators without data read no facts: one result serves every unit (never mutated).
    fixed = {}
    for _group, indicators, _max in groups:
        for ind in indicators:
            probe = score_indicator(ind, Facts())
            if probe.state == "no_data":
                fixed[ind.pk] = probe
    totals = _roll_up(_per_unit_facts(start, as_of) if as_of >= start else {}, units)
    if as_of >= start:
        # The catalogue indicators (added since the freeze) are read the same way in both.
        catalog_facts.add_figures(totals, units, start, as_of)
    for unit in units:
        facts = totals[unit.pk]
        group_results = [
            GroupResult(
                group.code,
                group.name,
                group_max,
                [fixed.get(ind.pk) or score_indicator(ind, facts) for ind in indicators],
            )
            for group, indicators, group_max in groups
        ]
        result = UnitResult(unit, group_results)
        result.band = _band(bands, result.score)
        results[unit.pk] = result
    active = {
        u.pk
        for u in units
        if (u.valid_from is None or u.valid_from <= end)
        and (u.valid_to is None or u.valid_to >= end)
    }
    ranked = [r for r in results.values() if r.unit.pk in active and r.score is not None]
    kinds = {u.pk: u.kind for u in units}
    siblings: dict = defaultdict(list)
    same_kind: dict = defaultdict(list)
    for r in ranked:
        siblings[r.unit.parent_id].append(r)
        same_kind[(_province_of(r.unit, kinds), r.unit.kind)].append(r)
    for members in siblings.values():
        _competition_ranks(members, "rank_siblings")
    for members in same_kind.values():
        _competition_ranks(members, "rank_kind")
    return IndexReport(start, end, as_of, definition, results)
