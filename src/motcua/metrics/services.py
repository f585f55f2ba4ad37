"""Writes of the metrics app: recomputing the daily facts from the dossiers."""

from collections.abc import Callable
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from motcua.audit.services import audit_record
from motcua.dossiers.models import Dossier
from motcua.metrics import catalog_facts, satisfaction
from motcua.metrics.facts import FACTS, local_day, rebuild_insert
from motcua.metrics.models import DailyFact, FillState, MonthlyFact

CHUNK_MONTHS = 3


def _months(start: date, end: date):
    """[first, last] day chunks of at most a calendar month."""
    first = start
    while first <= end:
        next_month = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        last = min(next_month - timedelta(days=1), end)
        yield first, last
        first = last + timedelta(days=1)


def months_resum(first: date, last: date) -> None:
    """Recompute the monthly sums of the dossier facts for every month touching [first, last]
    from the daily facts (whole months, whatever part of them was rebuilt)."""
    month = first.replace(day=1)
    q = connection.ops.quote_name
    daily, monthly = q(DailyFact._meta.db_table), q(MonthlyFact._meta.db_table)
    codes = [*FACTS, *satisfaction.CODES]
    marks = ", ".join(["%s"] * len(codes))
    while month <= last:
        month_end = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        MonthlyFact.objects.filter(month=month, code__in=codes).delete()
        day = connection.ops.adapt_datefield_value
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {monthly} (unit_id, {q('month')}, code, {q('value')}) "  # noqa: S608
                f"SELECT unit_id, %s, code, SUM({q('value')}) FROM {daily} "
                f"WHERE {q('day')} >= %s AND {q('day')} <= %s AND code IN ({marks}) "
                f"GROUP BY unit_id, code",
                [day(month), day(month), day(month_end), *codes],
            )
        month = month_end + timedelta(days=1)


def _rebuild_chunk(first: date, last: date) -> int:
    """Delete and write again every fact of [first, last] and their months' sums, and mark its
    days filled, in one transaction. Returns the rows written."""
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The grouped counts of a few months (units × days × 12 counts) in memory rather
            # than sorted on disk, as the default 4 MB would have them at millions of dossiers.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '64MB'")
        DailyFact.objects.filter(
            day__gte=first, day__lte=last, code__in=[*FACTS, *satisfaction.CODES]
        ).delete()
        count = rebuild_insert(first, last) + satisfaction.rebuild(first, last)
        count += catalog_facts.rebuild(first, last)
        months_resum(first, last)
        now = timezone.now()
        FillState.objects.bulk_create(
            [FillState(day=day, done_at=now) for day in days],
            update_conflicts=True,
            unique_fields=["day"],
            update_fields=["done_at"],
        )
    return count


def facts_rebuild(
    *,
    actor,
    start: date | None = None,
    end: date | None = None,
    resume: bool = False,
    progress: Callable[[date, date, int, int], None] | None = None,
) -> int:
    """Recompute every dossier fact from `start` (default: the first dossier's day) to `end`
    (default: today), up to CHUNK_MONTHS calendar months per transaction: their facts are
    deleted and written again from the dossiers, and their days are marked filled (FillState).
    With `resume`, months whose days are all filled already are skipped, so an interrupted run
    carries on where it stopped. `progress` is called once per month.
    The satisfaction facts (ratings, feedback) are recomputed with them from their tables
    (metrics.satisfaction). Returns the rows written.

    Run it when no dossier step is being taken at the same time [decision]: a step counted
    while its month is being rewritten may be counted twice or lost."""
    if start is None:
        first = Dossier.objects.aggregate(first=Min("received_at"))["first"]
        start = local_day(first) if first else timezone.localdate()
    end = end or timezone.localdate()
    if end < start:
        return 0
    months = list(_months(start, end))
    if not resume:
        FillState.objects.filter(day__gte=start, day__lte=end).delete()
    done = set(FillState.objects.filter(day__gte=start, day__lte=end).values_list("day", flat=True))
    todo = [
        not all(first + timedelta(days=i) in done for i in range((last - first).days + 1))
        for first, last in months
    ]
    written, index = 0, 0
    while index < len(months):
        # Consecutive months still to do are rebuilt together, up to CHUNK_MONTHS: one pass
        # over their dossiers instead of one per month (each query has a fixed cost: planning,
        # JIT compilation, the scans' semi-join), while a transaction stays a few months.
        stop = index + 1
        if todo[index]:
            while stop < len(months) and todo[stop] and stop - index < CHUNK_MONTHS:
                stop += 1
            first, last = months[index][0], months[stop - 1][1]
            written += _rebuild_chunk(first, last)
        for number in range(index, stop):
            if progress:
                progress(*months[number], number + 1, len(months))
        index = stop
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="metrics.rebuild",
            changes={"from": str(start), "to": str(end), "rows": written, "resume": resume},
        )
    return written
