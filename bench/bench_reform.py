"""Benchmark: a province-sized reform year (issue 14) on PostgreSQL.

    .venv/bin/python bench/bench_reform.py [--units 500] [--criteria 100] [--repeat 40]

* A throwaway database (motcua_bench_reform) on 127.0.0.1:5432 (BENCH_PG to change): migrate,
  one provincial unit, --units commune units under it, a template of --criteria leaf criteria
  (ten fields; every scoring method) made by the real `template_create`, then a cycle with every
  unit self-assessed and appraised, written set-based (bulk_create, 5,000 rows a batch: what
  the services would leave, without 50,000 audited requests). ANALYZE afterwards.
* Timed, in process, each --repeat times after a warm-up:
  - `results_compute` (the live index of every unit: four queries and arithmetic);
  - `cycle_publish` once (results frozen, ranks stored);
  - the results page GET /can-bo/cai-cach/<id>/ as the province's reform officer (Django's
    test client, DEBUG=false, the whole province: every unit's rank and progress rows);
  - the ranked XLSX export (summary by field, then every criterion of every unit), and the PDF.
* Baseline in the same run: a bare SELECT of the cycle's stored results (psycopg), the floor
  under the results page.

Targets: results page p95 < 200 ms; ranked export < 10 s. Prints a markdown table; exits 1 if
a target is missed. Drops its database at the end.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import psycopg

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
# BENCH_DB: another name lets two runs share one PostgreSQL server.
DB = os.environ.get("BENCH_DB", "motcua_bench_reform")
TARGET_PAGE_P95_MS = 200
TARGET_EXPORT_S = 10


def admin(sql: str) -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def django_setup(var_dir: Path) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="motcua.settings",
        DATABASE_URL=f"{PG}/{DB}",
        MOTCUA_VAR=str(var_dir),
        SECRET_KEY="bench-" + "x" * 50,
        DEBUG="false",
        ALLOWED_HOSTS="testserver,127.0.0.1",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    import django

    django.setup()


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def template_rows(criteria: int):
    """Ten fields, `criteria` leaves spread over them, every method in turn."""
    from motcua.reform.models import Method
    from motcua.reform.templates_data import Row

    methods = [
        (Method.GRADED, {"levels": "100,75,50,0"}),
        (Method.FULL_OR_ZERO, {}),
        (Method.DEDUCTION, {"points_per_event": Decimal("0.5")}),
        (Method.GRADED, {"levels": "100,50,0", "na_allowed": True}),
        (Method.SURVEY, {"indicator": "khao_sat", "threshold_pct": 90}),
        (Method.AUTOMATIC, {"indicator": "dung_han"}),
    ]
    rows, leaves = [], [[] for _ in range(10)]
    for i in range(criteria):
        leaves[i % 10].append(i)
    for f, members in enumerate(leaves, start=1):
        rows.append(Row(str(f), "", f"Lĩnh vực {f}", Decimal(2 * len(members))))
        for n, i in enumerate(members, start=1):
            method, extra = methods[i % len(methods)]
            rows.append(Row(f"{f}.{n}", str(f), f"Tiêu chí {f}.{n}", Decimal(2), method, **extra))
        if f == 1:
            rows.append(Row("1.99", "1", "Điểm thưởng", Decimal(1), Method.BONUS))
    return rows


def load(units: int, criteria: int, rng: random.Random):
    from django.db import connection
    from django.utils import timezone

    from motcua.org.models import Unit, UnitKind, User
    from motcua.org.roles import Role
    from motcua.reform.models import (
        Assessment,
        Criterion,
        Cycle,
        Method,
        Participation,
    )
    from motcua.reform.templates_data import template_create

    province = Unit.objects.create(
        kind=UnitKind.PROVINCIAL_POLICE, code="TINH", name="Công an tỉnh"
    )
    Unit.objects.bulk_create(
        Unit(
            kind=UnitKind.COMMUNE_POLICE,
            code=f"XA{i:04d}",
            name=f"Công an xã số {i}",
            parent=province,
            depth=1,
        )
        for i in range(units)
    )
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE org_unit SET path = %s || id || '/' WHERE parent_id = %s",
            [province.path, province.pk],
        )
    office = User.objects.create(username="vanphong", role=Role.CATALOG_ADMIN, unit=province)
    template = template_create(
        actor="bench",
        year=2026,
        kind=UnitKind.COMMUNE_POLICE,
        name="Bộ tiêu chí thử tải",
        rows=template_rows(criteria),
    )
    leaves = list(Criterion.objects.filter(template=template, children__isnull=True))
    now = timezone.now()
    cycle = Cycle.objects.create(
        year=2026,
        owner_unit=province,
        opened_by=office,
        opened_at=now,
        self_due=now,
        appraisal_due=now,
        publish_due=now,
    )
    communes = list(Unit.objects.filter(parent=province))
    Participation.objects.bulk_create(
        Participation(
            cycle=cycle, unit=u, template=template, status="closed", locked_at=now, closed_at=now
        )
        for u in communes
    )
    parts = list(Participation.objects.filter(cycle=cycle))
    batch = []
    for p in parts:
        for c in leaves:
            na = c.na_allowed and rng.random() < 0.2
            if na:
                own = None
            elif c.method == Method.FULL_OR_ZERO:
                own = c.max_points if rng.random() < 0.9 else Decimal(0)
            else:
                own = (c.max_points * Decimal(rng.choice((100, 75, 75, 50))) / 100).quantize(
                    Decimal("0.01")
                )
            adjusted = own is not None and rng.random() < 0.05
            batch.append(
                Assessment(
                    participation=p,
                    criterion=c,
                    not_applicable=na,
                    self_points=own,
                    appraised_points=(own / 2).quantize(Decimal("0.01")) if adjusted else own,
                    appraisal_state="adjusted" if adjusted else "accepted",
                    appraisal_reason="Thiếu tài liệu kiểm chứng" if adjusted else "",
                    citation=f"KH {rng.randint(1, 99)}/KH-CAX, trang {rng.randint(1, 9)}",
                )
            )
            if len(batch) >= 5000:
                Assessment.objects.bulk_create(batch)
                batch = []
    Assessment.objects.bulk_create(batch)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return cycle, office, len(leaves)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--criteria", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    var_dir = Path(tempfile.mkdtemp(prefix="motcua-bench-reform-"))
    load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
    admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    admin(f"CREATE DATABASE {DB}")
    try:
        django_setup(var_dir)
        from django.core.management import call_command
        from django.db import connections
        from django.test import Client

        from motcua.reform import reports, selectors, services

        call_command("migrate", verbosity=0)
        call_command("collectstatic", verbosity=0, interactive=False)
        t0 = time.perf_counter()
        cycle, office, leaves = load(args.units, args.criteria, random.Random(14))
        load_s = time.perf_counter() - t0

        compute = []
        for _ in range(max(3, args.repeat // 8) + 1):
            t = time.perf_counter()
            scores = services.results_compute(cycle)
            compute.append(time.perf_counter() - t)
        compute = compute[1:]
        assert len(scores) == args.units
        t = time.perf_counter()
        services.cycle_publish(actor=office, cycle=cycle)
        publish_s = time.perf_counter() - t

        client = Client()
        client.force_login(office)
        url = f"/can-bo/cai-cach/{cycle.pk}/"
        page = []
        for i in range(args.repeat + 2):
            t = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - t
            assert response.status_code == 200, response.status_code
            if i >= 2:
                page.append(elapsed)
        floor = []
        with psycopg.connect(f"{PG}/{DB}") as conn:
            for i in range(args.repeat + 2):
                t = time.perf_counter()
                conn.execute(
                    "SELECT r.*, u.name FROM reform_result r JOIN org_unit u ON u.id = r.unit_id "
                    "WHERE r.cycle_id = %s ORDER BY r.kind, r.rank, u.path",
                    [cycle.pk],
                ).fetchall()
                if i >= 2:
                    floor.append(time.perf_counter() - t)
        results = selectors.results_for(office, cycle)
        t = time.perf_counter()
        xlsx = reports.results_workbook(cycle, results)
        export_s = time.perf_counter() - t
        t = time.perf_counter()
        pdf = reports.results_pdf(cycle, results)
        pdf_s = time.perf_counter() - t
        connections.close_all()
    finally:
        admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        shutil.rmtree(var_dir, ignore_errors=True)

    def ms(values):
        return f"{statistics.median(values) * 1000:.1f}", f"{p95(values) * 1000:.1f}"

    page_p95 = p95(page) * 1000
    print(
        f"\n{args.units} units × {leaves} criteria ({args.units * leaves:,} assessments); "
        f"loaded in {load_s:.1f} s; load average before: {load_before}\n"
    )
    print("| what | median | p95 | target | ratio to floor (median) |")
    print("|---|---:|---:|---|---:|")
    fm, fp = ms(floor)
    print(f"| floor: SELECT stored results (psycopg) | {fm} ms | {fp} ms | | 1.0 |")
    pm, pp = ms(page)
    ratio = statistics.median(page) / statistics.median(floor)
    ok_page = page_p95 < TARGET_PAGE_P95_MS
    print(
        f"| results page GET {url} | {pm} ms | {pp} ms | p95 < {TARGET_PAGE_P95_MS} ms "
        f"{'✔' if ok_page else '✘'} | {ratio:.1f} |"
    )
    cm, cp = ms(compute)
    print(f"| results_compute (live, every unit) | {cm} ms | {cp} ms | | |")
    print(f"| cycle_publish (once) | {publish_s * 1000:.0f} ms | | | |")
    ok_export = export_s < TARGET_EXPORT_S
    print(
        f"| ranked XLSX export ({len(xlsx) // 1024} KB) | {export_s:.2f} s | | "
        f"< {TARGET_EXPORT_S} s {'✔' if ok_export else '✘'} | |"
    )
    print(f"| results PDF ({len(pdf) // 1024} KB) | {pdf_s:.2f} s | | | |")
    return 0 if ok_page and ok_export else 1


if __name__ == "__main__":
    sys.exit(main())
