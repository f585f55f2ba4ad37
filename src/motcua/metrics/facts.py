"""The daily facts: what is counted, when, and how each count maps back to its dossiers.

Each dossier fact is one `Fact`: the steps that count it (`on`), the dossier timestamp whose
Vietnamese date is its day (the same instant as the step's), a test on the dossier as the step
left it (`holds`, for counting at event time) and the same test as a query (`where`, for
`metrics-rebuild` and for the drill-down to the dossiers). Keeping the three side by side is
what makes rebuild equal the incremental counts and every figure traceable to its dossiers.

A dossier counts for its handling unit [decision]: the unit that answers for its timeliness.
Figures for a unit include its whole subtree (rolled up at query time by `Unit.path`).

Facts of other apps (ratings, feedback...) are written by those apps through `facts_add`, and
their source is then registered in `motcua.metrics.sources` (see there).
"""

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from motcua.dossiers.models import (
    OPEN_STATUSES,
    Channel,
    Dossier,
    DossierFile,
    FileKind,
    Status,
)
from motcua.worktime.core import VN_TZ

FINISH_STEPS = ("approve", "refuse", "stop")


def local_day(instant: datetime) -> date:
    return timezone.localtime(instant, VN_TZ).date()


def day_start(day: date) -> datetime:
    """The first instant of a Vietnamese calendar day."""
    return datetime.combine(day, time.min, tzinfo=VN_TZ)


def finish_class(d: Dossier) -> str:
    """early, ontime or late, as domain spec section 6 judges a finished dossier.

    Late: finished after the legal due (Dossier.finished_on_time, which already leaves out the
    time spent waiting for the applicant and ignores the apology's new date), or more than one
    supplement request after receipt. Early [decision]: finished on a calendar day before the
    day of the due. Otherwise on time."""
    if d.finished_on_time is False or d.supplement_count > 1:
        return "late"
    if d.due_at is not None and local_day(d.finished_at) < local_day(d.due_at):
        return "early"
    return "ontime"


def _late_q() -> Q:
    return Q(finished_on_time=False) | Q(supplement_count__gt=1)


# Annotations some facts' queries need (a fact names the ones it uses).
ANNOTATIONS = {
    "m_finished_day": lambda: TruncDate("finished_at", tzinfo=VN_TZ),
    "m_due_day": lambda: TruncDate("due_at", tzinfo=VN_TZ),
    "m_scanned": lambda: Exists(
        DossierFile.objects.filter(dossier=OuterRef("pk"), kind=FileKind.SCAN)
    ),
}
FINISH_DAYS = ("m_finished_day", "m_due_day")


@dataclass(frozen=True)
class Fact:
    """`field`: the dossier timestamp giving the fact's day; `q`: which dossiers count, over
    the annotations named in `needs`."""

    code: str
    label: str
    on: tuple[str, ...]
    field: str
    holds: Callable[[Dossier], bool]
    q: Q = dc_field(default_factory=Q)
    needs: tuple[str, ...] = ()


def _has_scan(d: Dossier) -> bool:
    return DossierFile.objects.filter(dossier=d, kind=FileKind.SCAN).exists()


_EARLY = ~_late_q() & Q(due_at__isnull=False, m_finished_day__lt=F("m_due_day"))
_ON_TIME = ~_late_q() & (Q(due_at__isnull=True) | Q(m_finished_day__gte=F("m_due_day")))
_RESULT = Q(result_ready_at__isnull=False)

# Results are counted on the day the dossier finished with one: approval sets result_ready_at
# and finished_at to the same instant, and finished_at is indexed.
FACTS: dict[str, Fact] = {
    fact.code: fact
    for fact in [
        Fact("received", "Hồ sơ tiếp nhận", ("receive",), "received_at", lambda d: True),
        Fact(
            "received_online",
            "Hồ sơ nộp trực tuyến",
            ("receive",),
            "received_at",
            lambda d: d.channel == Channel.ONLINE,
            Q(channel=Channel.ONLINE),
        ),
        Fact(
            "finished_early",
            "Hồ sơ giải quyết trước hạn",
            FINISH_STEPS,
            "finished_at",
            lambda d: finish_class(d) == "early",
            _EARLY,
            FINISH_DAYS,
        ),
        Fact(
            "finished_ontime",
            "Hồ sơ giải quyết đúng hạn",
            FINISH_STEPS,
            "finished_at",
            lambda d: finish_class(d) == "ontime",
            _ON_TIME,
            FINISH_DAYS,
        ),
        Fact(
            "finished_late",
            "Hồ sơ giải quyết quá hạn",
            FINISH_STEPS,
            "finished_at",
            lambda d: finish_class(d) == "late",
            _late_q(),
        ),
        Fact(
            "result_issued",
            "Hồ sơ có kết quả",
            ("approve",),
            "finished_at",
            lambda d: True,
            _RESULT,
        ),
        Fact(
            "e_result",
            "Hồ sơ có kết quả điện tử",
            ("approve",),
            "finished_at",
            lambda d: d.e_result,
            _RESULT & Q(e_result=True),
        ),
        Fact(
            "e_result_scanned",
            "Hồ sơ được số hóa và có kết quả điện tử",
            ("approve",),
            "finished_at",
            lambda d: d.e_result and _has_scan(d),
            _RESULT & Q(e_result=True, m_scanned=True),
            ("m_scanned",),
        ),
        Fact(
            "fee_paid",
            "Hồ sơ đã nộp phí, lệ phí",
            ("record_payment",),
            "fee_paid_at",
            lambda d: not d.fee_exempt,
            Q(fee_exempt=False),
        ),
        Fact(
            "fee_paid_online",
            "Hồ sơ nộp phí, lệ phí trực tuyến",
            ("record_payment",),
            "fee_paid_at",
            lambda d: not d.fee_exempt and d.fee_channel == "online",
            Q(fee_exempt=False, fee_channel="online"),
        ),
        # A dossier finished after its legal due was open and overdue at the end of every day
        # from its due's day (included) to its finish's day (excluded): +1 on the first, and
        # "until" on the second. Their running difference is how many finished dossiers were
        # open and overdue at the end of any day, without scanning the dossiers
        # (scores.open_overdue_counts); counted at the finish, on both days.
        Fact(
            "overdue_from",
            "Hồ sơ quá hạn (ngày đến hạn)",
            FINISH_STEPS,
            "due_at",
            lambda d: d.due_at is not None and d.finished_at > d.due_at,
            Q(finished_at__gt=F("due_at")),
        ),
        Fact(
            "overdue_until",
            "Hồ sơ quá hạn (ngày giải quyết xong)",
            FINISH_STEPS,
            "finished_at",
            lambda d: d.due_at is not None and d.finished_at > d.due_at,
            Q(finished_at__gt=F("due_at")),
        ),
    ]
}

# Not a daily fact: dossiers still open at the end of a period and past their legal due
# (domain spec section 6: "dossiers still open are judged at the end of the period"); counted by
# scores.open_overdue_counts from the overdue_from/overdue_until facts and the dossiers open now,
# listed by open_overdue_dossiers.
OPEN_OVERDUE = "open_overdue"


def facts_for_step(action: str, dossier: Dossier) -> list[tuple[date, str]]:
    """The (day, fact code) pairs the step `action` adds one to, judged on the dossier as it
    left it; the day is that of the fact's timestamp (the step's own instant, except a due)."""
    return [
        (local_day(getattr(dossier, fact.field)), code)
        for code, fact in FACTS.items()
        if action in fact.on and fact.holds(dossier)
    ]


def facts_add(rows: list[tuple[int, date, str, int]]) -> None:
    """Add (unit_id, day, code, amount) rows to the daily facts and to their months' sums.

    INSERT ... ON CONFLICT DO UPDATE SET value = value + amount: two steps counting the same
    (unit, day, code) at once both land, on SQLite and PostgreSQL, without a read first."""
    if not rows:
        return
    from motcua.metrics.models import DailyFact, MonthlyFact

    months: dict[tuple, int] = {}
    for unit_id, day, code, amount in rows:
        key = (unit_id, day.replace(day=1), code)
        months[key] = months.get(key, 0) + amount
    _upsert(DailyFact._meta.db_table, "day", rows)
    _upsert(MonthlyFact._meta.db_table, "month", [(*k, v) for k, v in months.items()])


def _upsert(table_name: str, day_column: str, rows) -> None:
    q = connection.ops.quote_name
    table, day = q(table_name), q(day_column)
    params: list = []
    for unit_id, when, code, amount in rows:
        params += [unit_id, connection.ops.adapt_datefield_value(when), code, amount]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_id, {day}, code, {q('value')}) VALUES "  # noqa: S608
            + ", ".join(["(%s, %s, %s, %s)"] * len(rows))
            + f" ON CONFLICT (unit_id, {day}, code) DO UPDATE SET "
            f"{q('value')} = {table}.{q('value')} + excluded.{q('value')}",
            params,
        )


# ---------------------------------------------------------------- dossiers behind a figure


def _in_days(qs: QuerySet, name: str, start: date, end: date) -> QuerySet:
    return qs.filter(
        **{f"{name}__gte": day_start(start), f"{name}__lt": day_start(end + timedelta(days=1))}
    )


def dossiers_counted(qs: QuerySet, code: str, start: date, end: date) -> QuerySet:
    """Of the dossiers `qs` (already scoped to the caller and the unit's subtree), those that
    the fact `code` counts between `start` and `end` (Vietnamese dates, both included)."""
    if code == OPEN_OVERDUE:
        return open_overdue_dossiers(qs, end)
    fact = FACTS[code]
    qs = _in_days(qs, fact.field, start, end)
    if fact.needs:
        qs = qs.annotate(**{name: ANNOTATIONS[name]() for name in fact.needs})
    return qs.filter(fact.q)


def still_open_overdue(qs: QuerySet, end: date) -> QuerySet:
    """The part of open_overdue_dossiers that is still open now (a small, indexed set)."""
    cutoff = day_start(end + timedelta(days=1))
    return qs.filter(status__in=OPEN_STATUSES, received_at__lt=cutoff, due_at__lt=cutoff).exclude(
        status=Status.SUPPLEMENT
    )


def open_overdue_dossiers(qs: QuerySet, end: date) -> QuerySet:
    """Dossiers received by the end of `end`, not finished by then, whose legal due had passed.

    Judged with the due stored now [decision]: a dossier whose clock a later supplement
    restarted is judged by its restarted due, and a dossier waiting for the applicant now
    (its clock paused) is left out; both are exact for a period that ends today."""
    cutoff = day_start(end + timedelta(days=1))
    return (
        qs.filter(received_at__lt=cutoff, due_at__lt=cutoff)
        .filter(Q(finished_at__isnull=True) | Q(finished_at__gte=cutoff))
        .exclude(status=Status.SUPPLEMENT)
    )


# The timestamps that give the facts their days, in a fixed order (their position is the
# number a dossier's row carries once unpivoted, see _rebuild_select).
FIELDS: tuple[str, ...] = tuple(dict.fromkeys(fact.field for fact in FACTS.values()))


def _where_sql(query_set: QuerySet) -> tuple[str, list]:
    """The WHERE of `query_set` as SQL over the unaliased dossiers table ("1 = 1" if none)."""
    from django.core.exceptions import FullResultSet

    query = query_set.query
    try:
        sql, params = query.get_compiler(connection=connection).compile(query.where)
    except FullResultSet:
        return "1 = 1", []
    return sql, list(params)


def _rebuild_select(start: date, end: date) -> tuple[str, list]:
    """One query over the dossiers giving (unit, day, code, value) for every dossier fact
    between `start` and `end`, each value > 0.

    One pass over the table, not one per timestamp: every dossier touching the range is
    unpivoted into one row per timestamp (its number in FIELDS and its value), kept if that
    timestamp lies in the range, and grouped by (handling unit, Vietnamese day) with one
    filtered count per fact, the filter being the fact's own `q` compiled by Django (so rebuild
    and drill-down test the same thing). The OR of the four
    ranges lets PostgreSQL read the range's rows once through a BitmapOr of the timestamp
    indexes. Whether a dossier has a scan is a hash semi-join computed once per query
    (DISTINCT dossier ids), not an EXISTS probed per dossier."""
    from django.db.models import BooleanField
    from django.db.models.expressions import RawSQL

    table = connection.ops.quote_name(Dossier._meta.db_table)
    column = {
        name: f"{table}.{connection.ops.quote_name(name)}"
        for name in (*FIELDS, "id", "handling_unit_id")
    }
    lo, hi = day_start(start), day_start(end + timedelta(days=1))
    # Facts' `q` compiled with m_scanned read from the semi-join below (same meaning as the
    # EXISTS of ANNOTATIONS: the dossier has a file of kind scan).
    annotations = {
        **{name: make() for name, make in ANNOTATIONS.items() if name != "m_scanned"},
        "m_scanned": RawSQL("m_scan.dossier_id IS NOT NULL", (), output_field=BooleanField()),
    }
    counts, params = [], []
    for code, fact in FACTS.items():
        sql, fact_params = _where_sql(Dossier.objects.annotate(**annotations).filter(fact.q))
        counts.append(
            f"COUNT(CASE WHEN k.f = {FIELDS.index(fact.field)} AND ({sql}) THEN 1 END) "
            f"AS {connection.ops.quote_name('n_' + code)}"
        )
        params += fact_params
    if connection.vendor == "postgresql":
        # A LATERAL VALUES naming the row's own timestamps keeps the dossiers on the outer side
        # of the join: one (parallel) scan of them, each row unpivoted as it is read. A plain
        # cross join lets the planner put the four numbers outside and scan the dossiers four
        # times (seen with EXPLAIN ANALYZE on a million dossiers).
        unpivot = "CROSS JOIN LATERAL (VALUES " + ", ".join(
            f"({i}, {column[n]})" for i, n in enumerate(FIELDS)
        )
        unpivot += ") k (f, ts)"
        timestamp = "k.ts"
    else:
        unpivot = "CROSS JOIN (" + " UNION ALL ".join(
            f"SELECT {i} AS f" for i in range(len(FIELDS))
        )
        unpivot += ") k"
        timestamp = "CASE k.f " + " ".join(
            f"WHEN {i} THEN {column[n]}" for i, n in enumerate(FIELDS)
        )
        timestamp += " END"
    day_sql, day_params = connection.ops.datetime_cast_date_sql(
        timestamp, (), timezone._get_timezone_name(VN_TZ)
    )
    scans_sql, scans_params = (
        DossierFile.objects.filter(kind=FileKind.SCAN)
        .order_by()
        .values("dossier_id")
        .distinct()
        .query.sql_with_params()
    )
    any_in_range = Q()
    for name in FIELDS:
        any_in_range |= Q(**{f"{name}__gte": lo, f"{name}__lt": hi})
    range_sql, range_params = _where_sql(Dossier.objects.filter(any_in_range))
    adapt = connection.ops.adapt_datetimefield_value
    n = {code: f"s.{connection.ops.quote_name('n_' + code)}" for code in FACTS}
    if connection.vendor == "postgresql":
        facts = "CROSS JOIN LATERAL (VALUES "
        facts += ", ".join(f"('{code}', {n[code]})" for code in FACTS) + ") c (code, v)"
        value = "c.v"
    else:
        facts = "CROSS JOIN (" + " UNION ALL ".join(f"SELECT '{code}' AS code" for code in FACTS)
        facts += ") c"
        value = "CASE c.code " + " ".join(f"WHEN '{code}' THEN {n[code]}" for code in FACTS)
        value += " END"
    sql = (
        f"SELECT unit_id, m_day, code, v FROM ("  # noqa: S608 - our own names and codes only
        f"SELECT s.unit_id AS unit_id, s.m_day AS m_day, c.code AS code, {value} AS v FROM ("
        f"SELECT {column['handling_unit_id']} AS unit_id, "
        f"{day_sql} AS m_day, {', '.join(counts)} "
        f"FROM {table} {unpivot} "
        f"LEFT JOIN ({scans_sql}) m_scan ON m_scan.dossier_id = {column['id']} "
        f"WHERE ({range_sql}) AND {timestamp} >= %s AND {timestamp} < %s "
        f"GROUP BY 1, 2"
        f") s {facts}"
        f") t WHERE v > 0"
    )
    return sql, [
        *day_params,
        *params,
        *scans_params,
        *range_params,
        adapt(lo),
        adapt(hi),
    ]


def rebuild_insert(start: date, end: date) -> int:
    """The dossier facts of [start, end] written straight into the facts table by the
    database (INSERT ... SELECT, no row through Python). Returns the rows written.

    On PostgreSQL the counts go through a temporary table first: an INSERT ... SELECT never
    runs its SELECT in parallel, a CREATE TABLE ... AS does (about half the time of the grouped
    counts on two cores); they are then inserted in the unique index's order, so its pages and
    the unit index's are filled one after another rather than at random."""
    from motcua.metrics.models import DailyFact

    q = connection.ops.quote_name
    select, params = _rebuild_select(start, end)
    insert = f"INSERT INTO {q(DailyFact._meta.db_table)} (unit_id, {q('day')}, code, {q('value')}) "
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(insert + select, params)  # noqa: S608 - our own names only
            return cursor.rowcount
        cursor.execute("DROP TABLE IF EXISTS metrics_rebuild_counts")
        cursor.execute(
            f"CREATE TEMPORARY TABLE metrics_rebuild_counts ON COMMIT DROP AS {select}", params
        )
        cursor.execute(
            insert + "SELECT unit_id, m_day, code, v FROM metrics_rebuild_counts "  # noqa: S608
            "ORDER BY unit_id, m_day, code"
        )
        written = cursor.rowcount
        cursor.execute("DROP TABLE metrics_rebuild_counts")
        return written
