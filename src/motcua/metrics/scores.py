"""Scores, bands and ranks of the service index, for any period, read from the daily facts.

One grouped query reads every unit's facts for the period (with a year's or a quarter's
whole months, the same scan sums the overdue facts since the first day); each unit's figures
are then its subtree's (rolled up by `Unit.path`). Every unit is scored at once because a rank
needs its peers': among its siblings, and among units of the same kind in the same province.
Several reports (a trend's twelve months) read their facts together, and a trend drawn for a
few units reads only their subtrees (index_reports). The work per unit is kept small because
a province has hundreds: an indicator's result is shared by every unit with the same numerator
and denominator, and sums and the rounded score are computed once per result.

As of a past date: only facts of days up to that date, and the period cut there, so the figures
are those a page showed on that day (for the daily facts; dossiers still open are judged as
described in facts.open_overdue_dossiers).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, Q

from motcua.dossiers.models import Dossier
from motcua.metrics import catalog_facts, sources
from motcua.metrics.facts import OPEN_OVERDUE, day_start, still_open_overdue
from motcua.metrics.formulas import FORMULAS, points
from motcua.metrics.models import DailyFact, IndexDefinition, MonthlyFact
from motcua.org.models import Unit, UnitKind
from motcua.params import FIRST_YEAR

HUNDRED = Decimal(100)
FINE, CENT = Decimal("1e-20"), Decimal("0.01")
ZERO = Decimal(0)
FIRST_DAY = date(FIRST_YEAR, 1, 1)
# Beyond this many units, a report for some units reads every unit's facts rather than list
# them (SQLite's bound parameters are limited; most of a province's tree is most of its facts).
MAX_LISTED_UNITS = 400


def r2(value: Decimal | None) -> Decimal | None:
    """Rounded to 2 decimals, half up (what pages and exports show, and ranks compare).

    Scores are sums of quotients carried to 28 significant digits: first rounding to 20
    places makes 62.83499…9 (a true 62.835) round up as it should."""
    if value is None:
        return None
    return value.quantize(FINE).quantize(CENT, rounding=ROUND_HALF_UP)


class Facts(defaultdict):
    """Fact sums of one unit's subtree; a fact nobody counted is 0."""

    def __init__(self, *args):
        super().__init__(int, *args)


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
    # Summed once when built (results are never changed afterwards).
    applicable_max: int = field(init=False)
    points: Decimal = field(init=False)

    def __post_init__(self):
        applicable, total = 0, ZERO
        for i in self.indicators:
            if i.state == "scored":
                applicable += i.max_points
                total += i.points
        self.applicable_max, self.points = applicable, total


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
    # Summed once when built. score: the points out of the applicable maximum, scaled to 100
    # (None: nothing applies); shown_score: rounded as pages show it and ranks compare it.
    applicable_max: int = field(init=False)
    points: Decimal = field(init=False)
    score: Decimal | None = field(init=False)
    shown_score: Decimal | None = field(init=False)

    def __post_init__(self):
        self.applicable_max = sum(g.applicable_max for g in self.groups)
        self.points = sum((g.points for g in self.groups), ZERO)
        self.score = self.points * HUNDRED / self.applicable_max if self.applicable_max else None
        self.shown_score = r2(self.score)

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


def _parts(start: date, end: date) -> list[tuple[type, str, date, date]]:
    """[start, end] as (model, date column, first, last): whole months from the monthly sums,
    the days of a partial month at either end from the daily facts."""
    first_full = start if start.day == 1 else _month_after(start)
    after_last_full = _month_after(end).replace(day=1)
    if after_last_full - timedelta(days=1) != end:
        after_last_full = end.replace(day=1)
    if first_full >= after_last_full:
        return [(DailyFact, "day", start, end)]
    parts = [(MonthlyFact, "month", first_full, after_last_full - timedelta(days=1))]
    if start < first_full:
        parts.append((DailyFact, "day", start, first_full - timedelta(days=1)))
    if after_last_full <= end:
        parts.append((DailyFact, "day", after_last_full, end))
    return parts


def _read(model, column: str, lo: date, hi: date, codes, unit_ids, *, by_date=False):
    """(date?, unit_id, code, value) of the facts between lo and hi: summed per unit and code
    (and date, with `by_date`). Plain SQL: the rows are many, each read once."""
    q, adapt = connection.ops.quote_name, connection.ops.adapt_datefield_value
    when = q(column)
    where = [f"{when} >= %s", f"{when} <= %s"]
    params: list = [adapt(lo), adapt(hi)]
    for name, values in (("code", codes), ("unit_id", unit_ids)):
        if values is not None:
            where.append(f"{q(name)} IN ({', '.join(['%s'] * len(values))})" if values else "1=0")
            params += list(values)
    keys = ", ".join([*([when] if by_date else []), q("unit_id"), q("code")])
    sql = (
        f"SELECT {keys}, CAST(SUM({q('value')}) AS BIGINT) "  # noqa: S608 - our own names
        f"FROM {q(model._meta.db_table)} WHERE {' AND '.join(where)} GROUP BY {keys}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if by_date and rows and isinstance(rows[0][0], str):  # SQLite without a declared type
        rows = [(date.fromisoformat(d), *rest) for d, *rest in rows]
    return rows


def fact_sums(start: date, end: date, codes=None, unit_ids=None) -> dict[tuple[int, str], int]:
    """(unit_id, code) → the facts summed over [start, end] (of the units `unit_ids` only,
    when given): whole months from the monthly sums, the days of a partial month at either end
    from the daily facts."""
    return fact_sums_many([(start, end)], codes, unit_ids)[0]


def fact_sums_many(periods, codes=None, unit_ids=None) -> list[dict[tuple[int, str], int]]:
    """fact_sums of each period, read together: the whole months of several periods (a trend's
    twelve) come from one query of the monthly sums, grouped by month; each range of days
    from one grouped query, read once however many periods share it."""
    sums: list[dict[tuple[int, str], int]] = [defaultdict(int) for _ in periods]
    month_spans: dict[tuple[date, date], list[int]] = defaultdict(list)
    day_spans: dict[tuple[date, date], list[int]] = defaultdict(list)
    for n, (start, end) in enumerate(periods):
        for model, _column, lo, hi in _parts(start, end):
            (month_spans if model is MonthlyFact else day_spans)[lo, hi].append(n)
    if len(month_spans) == 1:
        # One run of months (a single report): summed by the database.
        [((lo, hi), readers)] = month_spans.items()
        for unit_id, code, total in _read(MonthlyFact, "month", lo, hi, codes, unit_ids):
            for n in readers:
                sums[n][unit_id, code] += total
    elif month_spans:
        lo = min(lo for lo, _hi in month_spans)
        hi = max(hi for _lo, hi in month_spans)
        readers_of: dict[date, list[int]] = defaultdict(list)
        for (first, last), readers in month_spans.items():
            month = first
            while month <= last:
                readers_of[month] += readers
                month = _month_after(month)
        rows = _read(MonthlyFact, "month", lo, hi, codes, unit_ids, by_date=True)
        for month, unit_id, code, value in rows:
            for n in readers_of.get(month, ()):
                sums[n][unit_id, code] += value
    for (lo, hi), readers in day_spans.items():
        for unit_id, code, total in _read(DailyFact, "day", lo, hi, codes, unit_ids):
            for n in readers:
                sums[n][unit_id, code] += total
    return sums


def open_overdue_counts(end: date, unit_ids=None) -> Counter:
    """Per handling unit, the dossiers open and past their legal due at the end of `end`
    (facts.open_overdue_dossiers, counted without scanning the dossiers): those finished since,
    from the running difference of the overdue_from and overdue_until facts up to `end`; those
    still open now, from the open dossiers."""
    return open_overdue_many([end], unit_ids)[0]


def open_overdue_many(ends: list[date], unit_ids=None) -> list[Counter]:
    """open_overdue_counts at the end of each day of `ends`, read together: the running
    difference of the overdue facts from one query of the months before the first end and one
    of the months up to the last (accumulated here), plus the days of each end's own month;
    the dossiers still open from one query with a filtered count per end."""
    counts = [Counter() for _ in ends]
    if not ends:
        return counts
    codes = ["overdue_from", "overdue_until"]
    sign = {"overdue_from": 1, "overdue_until": -1}
    # Whole months before each end's month are summed; the end's month up to its day too,
    # from the monthly sum when the end is the month's last day, else from its days.
    whole = {
        end: end.replace(day=1) if _month_after(end) - timedelta(days=1) == end else None
        for end in ends
    }
    last_month = {end: whole[end] or end.replace(day=1) - timedelta(days=1) for end in ends}
    first = min(end.replace(day=1) for end in ends)
    if len(set(ends)) == 1:  # one end: every month up to it summed by the database
        first = _month_after(last_month[ends[0]])
    # The facts start with the first dossier: the months before `first`, from the earliest
    # date the app accepts, summed by the database.
    before: Counter = Counter()
    for unit_id, code, total in _read(
        MonthlyFact, "month", FIRST_DAY, first - timedelta(days=1), codes, unit_ids
    ):
        before[unit_id] += sign[code] * total
    by_month: dict[date, Counter] = defaultdict(Counter)
    top = max(last_month.values())
    if top >= first:
        for month, unit_id, code, total in _read(
            MonthlyFact, "month", first, top, codes, unit_ids, by_date=True
        ):
            by_month[month][unit_id] += sign[code] * total
    for n, end in enumerate(ends):
        counts[n].update(before)
        for month, per_unit in by_month.items():
            if month <= last_month[end]:
                counts[n].update(per_unit)
        if whole[end] is None:
            for unit_id, code, total in _read(
                DailyFact, "day", end.replace(day=1), end, codes, unit_ids
            ):
                counts[n][unit_id] += sign[code] * total
    _add_still_open(counts, ends, unit_ids)
    return counts


def _add_still_open(counts: list[Counter], ends: list[date], unit_ids) -> None:
    """Adds to counts[n], per handling unit, the dossiers still open now that were open and
    overdue at the end of ends[n]: one query, a filtered count per distinct end."""
    distinct = sorted(set(ends))
    cutoffs = {end: day_start(end + timedelta(days=1)) for end in distinct}
    still_open = still_open_overdue(Dossier.objects.all(), distinct[-1])
    if unit_ids is not None:
        still_open = still_open.filter(handling_unit_id__in=unit_ids)
    rows = (
        still_open.values("handling_unit_id")
        .order_by()
        .annotate(
            **{
                f"n{i}": Count("pk", filter=Q(received_at__lt=cut, due_at__lt=cut))
                for i, cut in enumerate(cutoffs.values())
            }
        )
    )
    column = {end: f"n{i}" for i, end in enumerate(cutoffs)}
    for row in rows:
        for n, end in enumerate(ends):
            if row[column[end]]:
                counts[n][row["handling_unit_id"]] += row[column[end]]


OVERDUE_SIGN = {"overdue_from": 1, "overdue_until": -1}


def _one_period(start: date, cut: date, unit_ids):
    """fact_sums(start, cut) and open_overdue_counts(cut) of a single report with whole months
    (a year, a quarter...), from one scan of the monthly sums: their months and, of the overdue
    facts, every month before too; the days after the last whole month, read once for both."""
    parts = _parts(start, cut)
    if parts[0][0] is not MonthlyFact:
        return None
    q, adapt = connection.ops.quote_name, connection.ops.adapt_datefield_value
    _model, _column, lo, hi = parts[0]
    codes = list(OVERDUE_SIGN)
    marks = ", ".join(["%s"] * len(codes))
    month, value = q("month"), q("value")
    where = f"{month} <= %s AND ({month} >= %s OR code IN ({marks}))"
    params: list = [adapt(lo), *codes, adapt(hi), adapt(lo), *codes]
    if unit_ids is not None:
        where += (
            f" AND unit_id IN ({', '.join(['%s'] * len(unit_ids))})" if unit_ids else " AND 1=0"
        )
        params += list(unit_ids)
    sql = (
        f"SELECT unit_id, code, "  # noqa: S608 - our own names
        f"CAST(SUM(CASE WHEN {month} >= %s THEN {value} ELSE 0 END) AS BIGINT), "
        f"CAST(SUM(CASE WHEN code IN ({marks}) THEN {value} ELSE 0 END) AS BIGINT) "
        f"FROM {q(MonthlyFact._meta.db_table)} WHERE {where} GROUP BY unit_id, code"
    )
    sums: dict[tuple[int, str], int] = defaultdict(int)
    overdue: Counter = Counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for unit_id, code, in_period, running in cursor.fetchall():
            if in_period:
                sums[unit_id, code] += in_period
            if running:
                overdue[unit_id] += OVERDUE_SIGN[code] * running
    for _model, _column, day_lo, day_hi in parts[1:]:
        # Days before the first whole month, and days of the month `cut` ends in (the only
        # days after `hi`, whose overdue facts count too).
        for unit_id, code, total in _read(DailyFact, "day", day_lo, day_hi, None, unit_ids):
            sums[unit_id, code] += total
            if day_lo > hi and code in OVERDUE_SIGN:
                overdue[unit_id] += OVERDUE_SIGN[code] * total
    counts = [overdue]
    _add_still_open(counts, [cut], unit_ids)
    return sums, overdue


def _path_ids(unit: Unit) -> list[int]:
    return [int(part) for part in unit.path.strip("/").split("/") if part]


def _roll_up(sums, overdue: Counter, ancestors: dict[int, list[int]], wanted) -> dict[int, Facts]:
    """Each wanted unit's facts plus those of every unit below it."""
    totals: dict[int, Facts] = {pk: Facts() for pk in wanted}
    # Per unit, the totals it adds to (itself and its wanted ancestors), found once.
    into = {
        unit_id: [totals[a] for a in path if a in totals] for unit_id, path in ancestors.items()
    }
    for (unit_id, code), total in sums.items():
        for facts in into.get(unit_id, ()):
            facts[code] = facts.get(code, 0) + total
    for unit_id, n in overdue.items():
        for facts in into.get(unit_id, ()):
            facts[OPEN_OVERDUE] = facts.get(OPEN_OVERDUE, 0) + n
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
    return _scored(indicator, *formula.function(facts))


def _scored(indicator, numerator: int, denominator: int) -> IndicatorResult:
    result = IndicatorResult(
        indicator.code, indicator.name, indicator.max_points, indicator.threshold_pct, "scored"
    )
    result.numerator, result.denominator = numerator, denominator
    if not denominator:
        result.state = "no_dossiers"
        return result
    result.rate = Decimal(numerator) / Decimal(denominator)
    if not indicator.max_points:
        result.state = "shown"
        return result
    result.points = points(numerator, denominator, indicator.max_points, indicator.threshold_pct)
    return result


def _band(bands, shown: Decimal | None) -> str:
    if shown is None:
        return ""
    for band in bands:  # highest floor first
        if shown >= band.min_score:
            return band.name
    return ""


def _competition_ranks(members: list[UnitResult], attribute: str) -> None:
    """1 + the number of peers with a higher score as shown: ties share a rank ("1, 1, 3")."""
    ordered = sorted(((m.shown_score, m) for m in members), key=lambda p: p[0], reverse=True)
    rank, previous = 0, None
    for position, (score, member) in enumerate(ordered, start=1):
        if score != previous:
            rank, previous = position, score
        setattr(member, attribute, Rank(rank, len(members)))


def _province_of(path: list[int], kinds: dict[int, str]) -> int:
    for pk in path:
        if kinds.get(pk) == UnitKind.PROVINCIAL_POLICE:
            return pk
    return path[0]


class _Scorer:
    """One definition's groups and indicators, ready to score many units: indicators without
    data are scored once, and a scored indicator's result is shared by every unit (and month)
    with the same numerator and denominator (results are never mutated)."""

    def __init__(self, definition: IndexDefinition):
        self.definition = definition
        self.groups = []
        for group in definition.groups.prefetch_related("indicators"):
            indicators = list(group.indicators.all())
            entries = []
            for ind in indicators:
                probe = score_indicator(ind, Facts())
                if probe.state == "no_data":
                    entries.append((ind.pk, ind, None, probe))
                else:
                    entries.append((ind.pk, ind, FORMULAS[ind.formula].function, None))
            self.groups.append((group.pk, group, entries, sum(i.max_points for i in indicators)))
        self.bands = list(definition.bands.all())
        self.memo: dict[tuple[int, int, int], IndicatorResult] = {}
        self.group_memo: dict[tuple, GroupResult] = {}

    def score(self, unit: Unit, facts: Facts) -> UnitResult:
        memo = self.memo
        group_results = []
        for group_pk, group, entries, group_max in self.groups:
            results = []
            for pk, ind, function, fixed in entries:
                if fixed is None:
                    numerator, denominator = function(facts)
                    key = (pk, numerator, denominator)
                    fixed = memo.get(key)
                    if fixed is None:
                        fixed = memo[key] = _scored(ind, numerator, denominator)
                results.append(fixed)
            key = (group_pk, *map(id, results))
            group_result = self.group_memo.get(key)
            if group_result is None:
                group_result = self.group_memo[key] = GroupResult(
                    group.code, group.name, group_max, results
                )
            group_results.append(group_result)
        result = UnitResult(unit, group_results)
        result.band = _band(self.bands, result.shown_score)
        return result


class _Definitions:
    """The definition in force on each day asked, each version loaded once."""

    def __init__(self, last: date):
        self.all = list(
            IndexDefinition.objects.filter(effective_from__lte=last).order_by(
                "-effective_from", "-version"
            )
        )
        self.scorers: dict[int, _Scorer] = {}

    def scorer_for(self, day: date) -> _Scorer | None:
        definition = next((d for d in self.all if d.effective_from <= day), None)
        if definition is None:
            return None
        if definition.pk not in self.scorers:
            self.scorers[definition.pk] = _Scorer(definition)
        return self.scorers[definition.pk]


def index_report(start: date, end: date, *, as_of: date | None = None) -> IndexReport:
    """Every unit's index for [start, end], as it stood at the end of `as_of` (default: end)."""
    return index_reports([(start, end)], as_of=as_of)[0]


def index_reports(spans, *, as_of: date | None = None, only=None) -> list[IndexReport]:
    """index_report of each (start, end) of `spans`, the facts of all read together.

    `only`: the units whose figures are wanted (their subtrees' facts are read, the rest not);
    the reports then hold those units' results without ranks (a rank needs every peer)."""
    definitions = _Definitions(max(end for _start, end in spans)) if spans else None
    units = list(Unit.objects.all())
    ancestors = {u.pk: _path_ids(u) for u in units}
    wanted = units
    unit_ids = None
    if only is not None:
        wanted_ids = {u.pk for u in only}
        wanted = [u for u in units if u.pk in wanted_ids]
        unit_ids = [u.pk for u in units if wanted_ids.intersection(ancestors[u.pk])]
        if len(unit_ids) > MAX_LISTED_UNITS or len(unit_ids) == len(units):
            unit_ids = None  # most of the tree: reading every unit's facts costs less
    plans = []
    for start, end in spans:
        cut = min(as_of or end, end)
        plans.append((start, end, cut, definitions.scorer_for(end)))
    read = [(start, cut) for start, _end, cut, scorer in plans if scorer and cut >= start]
    one = _one_period(*read[0], unit_ids) if len(read) == 1 else None
    if one is not None:
        sums, overdue = iter([one[0]]), iter([one[1]])
    else:
        sums = iter(fact_sums_many(read, unit_ids=unit_ids))
        overdue = iter(open_overdue_many([cut for _start, cut in read], unit_ids))
    wanted_pks = [u.pk for u in wanted]
    reports = []
    for start, end, cut, scorer in plans:
        results: dict[int, UnitResult] = {}
        if scorer is None:
            reports.append(IndexReport(start, end, cut, None, results))
            continue
        totals = {}
        if cut >= start:
            totals = _roll_up(next(sums), next(overdue), ancestors, wanted_pks)
            # Counts of distinct procedures per subtree: never summed up the tree like the facts.
            catalog_facts.add_figures(totals, units, start, cut)
        for unit in wanted:
            results[unit.pk] = scorer.score(unit, totals.get(unit.pk) or Facts())
        if only is None:
            _rank(units, results, end, ancestors)
        reports.append(IndexReport(start, end, cut, scorer.definition, results))
    return reports


def _rank(units: list[Unit], results: dict[int, UnitResult], end: date, ancestors) -> None:
    kinds = {u.pk: u.kind for u in units}
    siblings: dict = defaultdict(list)
    same_kind: dict = defaultdict(list)
    for u in units:
        if (u.valid_from is not None and u.valid_from > end) or (
            u.valid_to is not None and u.valid_to < end
        ):
            continue
        r = results[u.pk]
        if r.score is None:
            continue
        siblings[u.parent_id].append(r)
        same_kind[(_province_of(ancestors[u.pk], kinds), u.kind)].append(r)
    for members in siblings.values():
        _competition_ranks(members, "rank_siblings")
    for members in same_kind.values():
        _competition_ranks(members, "rank_kind")


# ---------------------------------------------------------------- as data (CLI --json, API)


def _num(value: Decimal | None):
    shown = r2(value)
    return float(shown) if shown is not None else None


def result_as_dict(report: IndexReport, result: UnitResult) -> dict:
    def rank(r: Rank | None):
        return {"rank": r.rank, "of": r.of} if r else None

    return {
        "unit": {"code": result.unit.code, "name": result.unit.name, "kind": result.unit.kind},
        "period": {
            "from": report.start.isoformat(),
            "to": report.end.isoformat(),
            "as_of": report.as_of.isoformat(),
        },
        "definition_version": report.definition.version if report.definition else None,
        "score": _num(result.score),
        "points": _num(result.points),
        "applicable_max": result.applicable_max,
        "max": sum(g.max_points for g in result.groups),
        "band": result.band,
        "rank_siblings": rank(result.rank_siblings),
        "rank_kind": rank(result.rank_kind),
        "groups": [
            {
                "code": g.code,
                "name": g.name,
                "max": g.max_points,
                "applicable_max": g.applicable_max,
                "points": _num(g.points),
                "indicators": [
                    {
                        "code": i.code,
                        "name": i.name,
                        "max": i.max_points,
                        "threshold_pct": i.threshold_pct,
                        "state": i.state,
                        "numerator": i.numerator,
                        "denominator": i.denominator,
                        "rate_pct": _num(i.rate * 100) if i.rate is not None else None,
                        "points": _num(i.points),
                        "missing_sources": i.missing_sources,
                    }
                    for i in g.indicators
                ],
            }
            for g in result.groups
        ],
    }
