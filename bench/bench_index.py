"""Benchmark: the live service index (issue 13) on PostgreSQL, from daily facts vs plain GROUP BY.

    .venv/bin/python bench/bench_index.py [--dossiers 10000000] [--units 500] [--repeat 30]
        [--actions 200] [--keep]

* A throwaway database (motcua_bench_index) on 127.0.0.1:5432: migrate, the demo organisation and
  catalogue, then --units commune units under Công an tỉnh Nghệ An and --dossiers dossiers over
  the two years before today, generated set-based by one INSERT ... SELECT FROM generate_series
  (no ORM row by row; the time is reported): 35% online, most finished (two-thirds within their
  2-day due, some with 1–2 supplement requests), half with e-results, fees paid (30% online),
  the last 10 days' dossiers open. The INSERT runs with the table's secondary indexes dropped
  and its foreign keys' triggers off; the indexes are then built again from their own
  definitions (the schema is checked to be the same) and the table ANALYZEd: the two times are
  reported apart.
* `metrics-rebuild` of everything (facts_rebuild): time and dossiers/s, facts rows written.
* In the same run, --repeat times after a warm-up, for the last full calendar year:
  - the province overview: index_report(year) (every unit's scores, bands and ranks) plus the
    ranked table of the communes;
  - a unit page: the same report read for one commune (its scorecard and ranks);
  - what the pages add: the overview's 12-month sparklines of every ranked unit (the report
    above included) and the unit page's 12-month trend of one commune;
  - the same figures computed by a plain GROUP BY over the dossiers table (one query with
    filtered counts per handling unit for the year, rolled up the same way): the ratio.
* One dossier action's added cost from counting at event time: --actions dossier_receive calls
  at one desk with the metrics receiver connected and as many with it disconnected, interleaved
  in rounds of 20; medians and the ratio. Target: ≤ 10% added.

Targets: overview and unit page p95 ≤ 100 ms; rebuild ≤ 5 minutes at 10 M dossiers. Prints a
markdown table; drops the database afterwards (unless --keep: for EXPLAIN ANALYZE or reruns).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import bench_intake as common  # noqa: E402

# BENCH_DB: another name lets two runs share one PostgreSQL server.
DB = os.environ.get("BENCH_DB", "motcua_bench_index")
TARGET_P95_MS = 100
TARGET_REBUILD_S = 300
TARGET_ADDED = 0.10


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]
    return statistics.median(ordered), p95


def timed(fn, repeat: int) -> tuple[float, float]:
    for _ in range(2):
        fn()
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - began) * 1000)
    return percentiles(samples)


def make_units(count: int) -> list[int]:
    from motcua.org.models import Unit, UnitKind

    cana = Unit.objects.get(code="CANA")
    ids = []
    for n in range(count):
        unit, _ = Unit.objects.get_or_create(
            code=f"BENCH{n:04d}",
            defaults={"parent": cana, "kind": UnitKind.COMMUNE_POLICE, "name": f"Công an xã {n}"},
        )
        ids.append(unit.pk)
    return ids


def _secondary_indexes(cursor, table: str) -> list[tuple[str, str, str | None]]:
    """(name, CREATE INDEX statement, constraint definition or None) of every index of `table`
    but its primary key: the unique constraints' indexes are named by their constraint."""
    cursor.execute(
        """
        SELECT ic.relname, pg_get_indexdef(i.indexrelid), pg_get_constraintdef(con.oid)
        FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
        LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
        WHERE i.indrelid = %s::regclass AND NOT i.indisprimary ORDER BY ic.relname
        """,
        [table],
    )
    return cursor.fetchall()


def _schema(cursor, table: str) -> list:
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass ORDER BY conname",
        [table],
    )
    return [*_secondary_indexes(cursor, table), *cursor.fetchall()]


def generate(count: int, unit_ids: list[int], days: int = 730) -> tuple[float, float]:
    """INSERT ... SELECT FROM generate_series: every column of dossiers_dossier set in SQL.

    Into the table without its secondary indexes (dropped first, then built again from their
    own definitions: one sort per index instead of ten million B-tree insertions into each),
    and without firing the foreign keys' per-row triggers (session_replication_role = replica
    for this statement only: every id comes from the database; the constraints stay). Checks
    that the table's indexes and constraints are the same afterwards. Returns the seconds spent
    inserting and the seconds spent building the indexes (and ANALYZE)."""
    from django.db import connection

    from motcua.dossiers.models import Dossier
    from motcua.org.models import Desk, User

    version, _source = common.commune_procedure()
    desk = Desk.objects.get(code="VINHPHU-MC")
    user = User.objects.get(username="tiepnhan.vinhphu")
    units = "(ARRAY[" + ",".join(map(str, unit_ids)) + "])"
    expressions = {
        "code": "'BENCH-' || g",
        "tracking_secret": "'BENCH234'",
        "procedure_version_id": str(version.pk),
        "desk_id": str(desk.pk),
        "receiving_unit_id": f"{units}[1 + (g %% {len(unit_ids)})]",
        "handling_unit_id": f"{units}[1 + (g %% {len(unit_ids)})]",
        "channel": "CASE WHEN r1 < 0.35 THEN 'online' ELSE 'desk' END",
        "status": "CASE WHEN open THEN 'processing' WHEN r2 < 0.03 THEN 'refused' "
        "WHEN r2 < 0.05 THEN 'stopped' ELSE 'returned' END",
        "applicant_name": "'Nguyễn Văn Bench'",
        "received_at": "recv",
        "received_by_id": str(user.pk),
        "due_at": "recv + interval '2 days'",
        "original_due_at": "recv + interval '2 days'",
        "supplement_count": "CASE WHEN r4 < 0.02 THEN 2 WHEN r4 < 0.1 THEN 1 ELSE 0 END",
        "e_result": "NOT open AND r2 >= 0.05 AND r5 < 0.5",
        "result_ready_at": "CASE WHEN open OR r2 < 0.05 THEN NULL ELSE fin END",
        "returned_at": "CASE WHEN open OR r2 < 0.05 THEN NULL ELSE fin END",
        "finished_at": "CASE WHEN open THEN NULL ELSE fin END",
        "finished_on_time": "CASE WHEN open THEN NULL ELSE fin <= recv + interval '2 days' END",
        "fee_amount": "15000",
        "fee_paid_amount": "CASE WHEN open OR r2 < 0.05 THEN 0 ELSE 15000 END",
        "fee_paid_at": "CASE WHEN open OR r2 < 0.05 THEN NULL ELSE fin END",
        "fee_channel": "CASE WHEN open OR r2 < 0.05 THEN '' WHEN r6 < 0.3 THEN 'online' "
        "ELSE 'cash' END",
    }
    columns, values, params = [], [], []
    for f in Dossier._meta.concrete_fields:
        if f.primary_key:
            continue
        columns.append(f.column)
        if f.name in expressions or f.column in expressions:
            values.append(expressions.get(f.column, expressions.get(f.name)))
        else:
            values.append("%s")
            params.append(f.get_db_prep_save(f.get_default(), connection))
    sql = f"""
        INSERT INTO {Dossier._meta.db_table} ({", ".join(columns)})
        SELECT {", ".join(values)} FROM (
            SELECT g, r1, r2, r4, r5, r6, recv, recv + r3 * interval '3 days' AS fin,
                   recv > now() - interval '10 days' AS open
            FROM (
                SELECT g, random() r1, random() r2, random() r3, random() r4, random() r5,
                       random() r6,
                       now() - interval '{days} days'
                           + (g::float / {count}) * interval '{days} days' AS recv
                FROM generate_series(1, {count}) g
            ) raw
        ) s
    """  # noqa: S608 - numbers and our own column names only
    table = Dossier._meta.db_table
    with connection.cursor() as cursor:
        before = _schema(cursor, table)
        indexes = _secondary_indexes(cursor, table)
        for name, _create, constraint in indexes:
            if constraint:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            else:
                cursor.execute(f'DROP INDEX "{name}"')
        began = time.perf_counter()
        cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(sql, params)
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")
        inserted = time.perf_counter()
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for name, create, constraint in indexes:
            if constraint:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {constraint}')
            else:
                cursor.execute(create)
        cursor.execute("RESET maintenance_work_mem")
        cursor.execute(f"ANALYZE {table}")
        if _schema(cursor, table) != before:
            raise RuntimeError(f"{table}: indexes or constraints differ after generation")
    return inserted - began, time.perf_counter() - inserted


def group_by_figures(start: date, end: date) -> dict:
    """The same numerators and denominators straight from the dossiers (no facts)."""
    from django.db import connection

    from motcua.metrics.facts import day_start
    from motcua.org.models import Unit

    lo, hi = day_start(start), day_start(end + timedelta(days=1))
    sql = """
        SELECT handling_unit_id,
          count(*) FILTER (WHERE received_at >= %(lo)s AND received_at < %(hi)s),
          count(*) FILTER (WHERE received_at >= %(lo)s AND received_at < %(hi)s
                           AND channel = 'online'),
          count(*) FILTER (WHERE finished_at >= %(lo)s AND finished_at < %(hi)s),
          count(*) FILTER (WHERE finished_at >= %(lo)s AND finished_at < %(hi)s
                           AND finished_on_time AND supplement_count <= 1),
          count(*) FILTER (WHERE finished_at >= %(lo)s AND finished_at < %(hi)s
                           AND result_ready_at IS NOT NULL),
          count(*) FILTER (WHERE finished_at >= %(lo)s AND finished_at < %(hi)s
                           AND result_ready_at IS NOT NULL AND e_result),
          count(*) FILTER (WHERE fee_paid_at >= %(lo)s AND fee_paid_at < %(hi)s
                           AND NOT fee_exempt),
          count(*) FILTER (WHERE fee_paid_at >= %(lo)s AND fee_paid_at < %(hi)s
                           AND NOT fee_exempt AND fee_channel = 'online')
        FROM dossiers_dossier GROUP BY handling_unit_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"lo": lo, "hi": hi})
        per_unit = {row[0]: row[1:] for row in cursor.fetchall()}
    paths = dict(Unit.objects.values_list("pk", "path"))
    totals: dict[int, list[int]] = {pk: [0] * 8 for pk in paths}
    for unit_id, counts in per_unit.items():
        for ancestor in paths[unit_id].strip("/").split("/"):
            row = totals[int(ancestor)]
            for i, n in enumerate(counts):
                row[i] += n
    return totals


def action_cost(actions: int) -> tuple[float, float, float]:
    """Median ms of dossier_receive with and without the metrics receiver, interleaved, and
    the median ms spent inside the receiver itself (timed around it, in the counting rounds):
    the A/B difference includes the machine's noise (a commit's fsync varies by milliseconds
    here), the receiver's own time does not."""
    from motcua.dossiers.services import dossier_receive
    from motcua.dossiers.signals import action_logged
    from motcua.metrics.receivers import count_step
    from motcua.org.models import Desk, User
    from tests.dossiers.stories import CITIZEN

    version, _ = common.commune_procedure()
    desk = Desk.objects.get(code="VINHPHU-MC")
    actor = User.objects.get(username="tiepnhan.vinhphu")
    documents = [d["name"] for d in version.documents]
    samples: dict[bool, list[float]] = {True: [], False: []}
    inside: list[float] = []

    def timed_count_step(**kwargs):
        began = time.perf_counter()
        count_step(**kwargs)
        inside.append((time.perf_counter() - began) * 1000)

    rounds = max(1, actions // 20)
    for _ in range(rounds):
        for counting in (True, False):
            action_logged.disconnect(dispatch_uid="metrics.count_step")
            if counting:
                action_logged.connect(timed_count_step, dispatch_uid="metrics.count_step")
            try:
                for _ in range(20):
                    began = time.perf_counter()
                    dossier_receive(
                        actor=actor,
                        desk=desk,
                        procedure_version=version,
                        applicant=dict(CITIZEN),
                        checklist=documents,
                    )
                    samples[counting].append((time.perf_counter() - began) * 1000)
            finally:
                action_logged.disconnect(dispatch_uid="metrics.count_step")
                action_logged.connect(count_step, dispatch_uid="metrics.count_step")
    return (
        statistics.median(samples[True]),
        statistics.median(samples[False]),
        statistics.median(inside),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=10_000_000)
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--actions", type=int, default=200)
    parser.add_argument(
        "--keep", action="store_true", help="leave the database for inspection (EXPLAIN, reruns)"
    )
    args = parser.parse_args()

    common.DB = DB
    var_dir = Path(tempfile.mkdtemp(prefix="motcua-bench-index-"))
    common.admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    common.admin(f"CREATE DATABASE {DB}")
    rows: list[tuple[str, str, str]] = []
    failures = []
    try:
        common.django_setup(var_dir)
        from django.core.management import call_command
        from django.db import connections
        from django.utils import timezone

        from motcua.catalog import demo as catalog_demo
        from motcua.metrics.models import DailyFact, MonthlyFact
        from motcua.metrics.scores import index_report
        from motcua.metrics.services import facts_rebuild
        from motcua.metrics.trends import monthly_reports
        from motcua.org import demo as org_demo
        from motcua.org.models import Unit
        from motcua.worktime import demo as worktime_demo

        call_command("migrate", verbosity=0, stdout=io.StringIO())
        org_demo.seed()
        catalog_demo.seed()
        worktime_demo.seed()
        unit_ids = make_units(args.units)

        insert_s, index_s = generate(args.dossiers, unit_ids)
        gen_s = insert_s + index_s
        rows += [
            (
                f"generate {args.dossiers:,} dossiers over 2 years, {args.units} units",
                f"{gen_s:.1f} s",
                f"{args.dossiers / gen_s:,.0f} rows/s in all",
            ),
            (
                "– of which INSERT ... SELECT (no secondary index, no FK trigger)",
                f"{insert_s:.1f} s",
                f"{args.dossiers / insert_s:,.0f} rows/s",
            ),
            (
                "– of which building the secondary indexes again, ANALYZE",
                f"{index_s:.1f} s",
                "",
            ),
        ]

        began = time.perf_counter()
        written = facts_rebuild(actor="bench")
        rebuild_s = time.perf_counter() - began
        rows.append(
            (
                "metrics-rebuild of everything",
                f"{rebuild_s:.1f} s",
                f"{args.dossiers / rebuild_s:,.0f} dossiers/s; {written:,} fact rows "
                f"(target ≤ {TARGET_REBUILD_S} s at 10 M)",
            )
        )
        if args.dossiers >= 10_000_000 and rebuild_s > TARGET_REBUILD_S:
            failures.append("rebuild")
        with connections["default"].cursor() as cursor:
            cursor.execute(f"ANALYZE {DailyFact._meta.db_table}")
            cursor.execute(f"ANALYZE {MonthlyFact._meta.db_table}")

        year = timezone.localdate().year - 1
        start, end = date(year, 1, 1), date(year, 12, 31)
        unit = Unit.objects.get(code="BENCH0007")

        def overview():
            report = index_report(start, end)
            ranked = [r for r in report.results.values() if r.rank_kind is not None]
            ranked.sort(key=lambda r: -r.score)
            return ranked

        def unit_page():
            report = index_report(start, end)
            result = report.for_unit(unit)
            return result.score, result.rank_siblings

        # What the pages add: the overview's sparklines (every ranked unit, 12 months) and the
        # unit page's 12-month trend, as views.overview and views.unit_page compute them.
        def overview_sparklines():
            return monthly_reports(end, only=[r.unit for r in overview()])

        def unit_trend():
            return monthly_reports(end, only=[unit])

        p50_o, p95_o = timed(overview, args.repeat)
        p50_u, p95_u = timed(unit_page, args.repeat)
        p50_s, p95_s = timed(overview_sparklines, max(3, args.repeat // 4))
        p50_t, p95_t = timed(unit_trend, args.repeat)
        p50_g, p95_g = timed(lambda: group_by_figures(start, end), max(3, args.repeat // 5))
        rows += [
            (
                "province overview, a year (facts)",
                f"p50 {p50_o:.1f} ms, p95 {p95_o:.1f} ms",
                f"target p95 ≤ {TARGET_P95_MS} ms",
            ),
            (
                "unit page, a year (facts)",
                f"p50 {p50_u:.1f} ms, p95 {p95_u:.1f} ms",
                f"target p95 ≤ {TARGET_P95_MS} ms",
            ),
            (
                "overview + its 12-month sparklines (every ranked unit)",
                f"p50 {p50_s:.1f} ms, p95 {p95_s:.1f} ms",
                "what the overview page computes (the ranked table is the row above)",
            ),
            (
                "unit page's 12-month trend (chart and table)",
                f"p50 {p50_t:.1f} ms, p95 {p95_t:.1f} ms",
                "added to the unit page's report above",
            ),
            (
                "same figures by plain GROUP BY over dossiers",
                f"p50 {p50_g:.1f} ms, p95 {p95_g:.1f} ms",
                f"{p50_g / p50_o:.1f}× the overview's median",
            ),
        ]
        if p95_o > TARGET_P95_MS:
            failures.append("overview")
        if p95_u > TARGET_P95_MS:
            failures.append("unit page")

        counting, bare, inside = action_cost(args.actions)
        added = inside / bare
        rows += [
            (
                "dossier_receive with vs without counting (A/B, interleaved)",
                f"{counting:.2f} ms vs {bare:.2f} ms (medians)",
                f"{(counting - bare) / bare * 100:+.1f}% (includes commit-time noise)",
            ),
            (
                "time inside the counting receiver, per dossier_receive",
                f"{inside:.3f} ms (median)",
                f"{added * 100:.1f}% of the action (target ≤ {TARGET_ADDED * 100:.0f}%)",
            ),
        ]
        if added > TARGET_ADDED:
            failures.append("action cost")
        connections.close_all()
    finally:
        if not args.keep:
            common.admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")

    print("| measurement | time | notes |")
    print("|---|---|---|")
    for name, figure, note in rows:
        print(f"| {name} | {figure} | {note} |")
    if failures:
        print(f"\nTargets missed: {', '.join(failures)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
