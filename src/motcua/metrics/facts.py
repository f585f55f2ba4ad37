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
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from motcua.dossiers.models import Channel, Dossier, DossierFile, FileKind, Status
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


def _finish_dates(qs: QuerySet) -> QuerySet:
    return qs.annotate(
        m_finished_day=TruncDate("finished_at", tzinfo=VN_TZ),
        m_due_day=TruncDate("due_at", tzinfo=VN_TZ),
    )


def _scanned() -> Exists:
    return Exists(DossierFile.objects.filter(dossier=OuterRef("pk"), kind=FileKind.SCAN))


@dataclass(frozen=True)
class Fact:
    code: str
    label: str
    on: tuple[str, ...]
    field: str
    holds: Callable[[Dossier], bool]
    where: Callable[[QuerySet], QuerySet]


def _all(qs: QuerySet) -> QuerySet:
    return qs


FACTS: dict[str, Fact] = {
    fact.code: fact
    for fact in [
        Fact("received", "Hồ sơ tiếp nhận", ("receive",), "received_at", lambda d: True, _all),
        Fact(
            "received_online",
            "Hồ sơ nộp trực tuyến",
            ("receive",),
            "received_at",
            lambda d: d.channel == Channel.ONLINE,
            lambda qs: qs.filter(channel=Channel.ONLINE),
        ),
        Fact(
            "finished_early",
            "Hồ sơ giải quyết trước hạn",
            FINISH_STEPS,
            "finished_at",
            lambda d: finish_class(d) == "early",
            lambda qs: (
                _finish_dates(qs)
                .exclude(_late_q())
                .filter(due_at__isnull=False, m_finished_day__lt=F("m_due_day"))
            ),
        ),
        Fact(
            "finished_ontime",
            "Hồ sơ giải quyết đúng hạn",
            FINISH_STEPS,
            "finished_at",
            lambda d: finish_class(d) == "ontime",
            lambda qs: (
                _finish_dates(qs)
                .exclude(_late_q())
                .filter(Q(due_at__isnull=True) | Q(m_finished_day__gte=F("m_due_day")))
            ),
        ),
        Fact(
            "finished_late",
            "Hồ sơ giải quyết quá hạn",
            FINISH_STEPS,
            "finished_at",
            lambda d: finish_class(d) == "late",
            lambda qs: qs.filter(_late_q()),
        ),
        Fact(
            "result_issued",
            "Hồ sơ có kết quả",
            ("approve",),
            "result_ready_at",
            lambda d: True,
            _all,
        ),
        Fact(
            "e_result",
            "Hồ sơ có kết quả điện tử",
            ("approve",),
            "result_ready_at",
            lambda d: d.e_result,
            lambda qs: qs.filter(e_result=True),
        ),
        Fact(
            "e_result_scanned",
            "Hồ sơ được số hóa và có kết quả điện tử",
            ("approve",),
            "result_ready_at",
            lambda d: (
                d.e_result and DossierFile.objects.filter(dossier=d, kind=FileKind.SCAN).exists()
            ),
            lambda qs: qs.filter(_scanned(), e_result=True),
        ),
        Fact(
            "fee_paid",
            "Hồ sơ đã nộp phí, lệ phí",
            ("record_payment",),
            "fee_paid_at",
            lambda d: not d.fee_exempt,
            lambda qs: qs.filter(fee_exempt=False),
        ),
        Fact(
            "fee_paid_online",
            "Hồ sơ nộp phí, lệ phí trực tuyến",
            ("record_payment",),
            "fee_paid_at",
            lambda d: not d.fee_exempt and d.fee_channel == "online",
            lambda qs: qs.filter(fee_exempt=False, fee_channel="online"),
        ),
    ]
}

# Not a daily fact: dossiers still open at the end of a period and past their legal due,
# counted at query time from the dossiers (an indexed scan of open dossiers; see
# open_overdue_dossiers). Domain spec section 6: "dossiers still open are judged at the end of
# the period".
OPEN_OVERDUE = "open_overdue"
LABELS = {code: fact.label for code, fact in FACTS.items()} | {
    OPEN_OVERDUE: "Hồ sơ chưa giải quyết, đã quá hạn vào cuối kỳ"
}


def facts_for_step(action: str, dossier: Dossier) -> list[str]:
    """The fact codes the step `action` adds one to, judged on the dossier as it left it."""
    return [code for code, fact in FACTS.items() if action in fact.on and fact.holds(dossier)]


def facts_add(rows: list[tuple[int, date, str, int]]) -> None:
    """Add (unit_id, day, code, amount) rows to the daily facts in one statement.

    INSERT ... ON CONFLICT DO UPDATE SET value = value + amount: two steps counting the same
    (unit, day, code) at once both land, on SQLite and PostgreSQL, without a read first."""
    if not rows:
        return
    from motcua.metrics.models import DailyFact

    q = connection.ops.quote_name
    table = q(DailyFact._meta.db_table)
    params: list = []
    for unit_id, day, code, amount in rows:
        params += [unit_id, connection.ops.adapt_datefield_value(day), code, amount]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_id, {q('day')}, code, {q('value')}) VALUES "  # noqa: S608
            + ", ".join(["(%s, %s, %s, %s)"] * len(rows))
            + f" ON CONFLICT (unit_id, {q('day')}, code) DO UPDATE SET "
            f"{q('value')} = {table}.{q('value')} + excluded.{q('value')}",
            params,
        )


# ---------------------------------------------------------------- dossiers behind a figure


def _in_days(qs: QuerySet, field: str, start: date, end: date) -> QuerySet:
    return qs.filter(
        **{f"{field}__gte": day_start(start), f"{field}__lt": day_start(end + timedelta(days=1))}
    )


def dossiers_counted(qs: QuerySet, code: str, start: date, end: date) -> QuerySet:
    """Of the dossiers `qs` (already scoped to the caller and the unit's subtree), those that
    the fact `code` counts between `start` and `end` (Vietnamese dates, both included)."""
    if code == OPEN_OVERDUE:
        return open_overdue_dossiers(qs, end)
    fact = FACTS[code]
    return fact.where(
        _in_days(qs.filter(**{f"{fact.field}__isnull": False}), fact.field, start, end)
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


def rebuild_rows(start: date, end: date) -> list[tuple[int, date, str, int]]:
    """Every dossier fact between `start` and `end`, recomputed set-based from the dossiers:
    one GROUP BY (handling unit, day) per fact."""
    from django.db.models import Count

    rows = []
    for code, fact in FACTS.items():
        qs = dossiers_counted(Dossier.objects.all(), code, start, end)
        grouped = (
            qs.annotate(m_day=TruncDate(fact.field, tzinfo=VN_TZ))
            .order_by()
            .values("handling_unit_id", "m_day")
            .annotate(n=Count("pk"))
        )
        rows += [(g["handling_unit_id"], g["m_day"], code, g["n"]) for g in grouped]
    return rows
