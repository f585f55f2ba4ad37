"""Benchmark: work queues and dossier search with 100,000 dossiers in one commune, on PostgreSQL.

    .venv/bin/python bench/bench_queues.py [--dossiers 100000] [--repeat 60]

* A throwaway database (motcua_bench_queues) on 127.0.0.1:5432: migrate, `motcua seed-demo`, then
  100,000 dossiers received and handled at Công an phường Vinh Phú over the past year, COPYed in
  (statuses as a year of work leaves them: most returned, a few thousand open, the open ones
  received in the last two weeks, each with a real working-time clock of 180 minutes to 15
  working days, so some are nearing or past their deadline), plus 20,000 at the neighbouring
  Thành Vinh that Vinh Phú's staff must not see.
  ANALYZE afterwards, as autovacuum would.
* `motcua serve` (gunicorn, DEBUG=false) on a loopback port; one client, keep-alive, each URL
  requested --repeat times after a warm-up, as Vinh Phú's leader (the commune's whole queue) and
  as the province's inspector (every dossier in the tree):
  - the staff queue pages GET /can-bo/ho-so/?hang=<queue> (url "dossier-queues"), if present;
  - the API list GET /api/v1/dossiers with status, overdue and q filters, and the staff search
    page GET /can-bo/ho-so/tim-kiem/?q= (given name, code, ID number, folded full name, phone);
  - in-process: selectors.queue() (one page of 50) and selectors.queue_counts() (the tab counts),
    and one page of search results (a given name, a family name, a full name, a word in no row,
    a code; also as Thành Vinh's leader): `selectors.dossier_search` now against the trigram
    index alone as before `newest_matching` (same rows checked), and the old scan (`icontains`
    on code and name) for an ID number, same run.
* Baseline in the same run: a bare SELECT of 50 rows ordered by the indexed due_at (psycopg).

Targets: p95 < 100 ms for every queue page, < 50 ms for every search. Prints a markdown table;
exits 1 if a target is missed.
Cleans up after itself (stops the server, drops the database).
"""

from __future__ import annotations

import argparse
import http.client
import io
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import psycopg

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_intake as common  # noqa: E402

# BENCH_DB: another name lets two runs share one PostgreSQL server.
DB = os.environ.get("BENCH_DB", "motcua_bench_queues")
TARGET_P95_MS = 100
TARGET_SEARCH_P95_MS = 50
PAGE = 50

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Hồ"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Quốc", "Ngọc", "Hữu", "Thanh", "Xuân"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Hà", "Hải", "Hằng", "Lan", "Long", "Mai", "Nam", "Tâm"]

DURATIONS = ["180m", "1d", "3d", "5d", "10d", "15d"]

# status, share of the year's dossiers (open ones are the recent ones)
FINAL = [("returned", 0.93), ("refused", 0.02), ("stopped", 0.01)]
OPEN = [
    ("received", 0.002),
    ("assigning", 0.006),
    ("processing", 0.02),
    ("supplement", 0.006),
    ("result_ready", 0.006),
]


# ---------------------------------------------------------------- data


def load(unit_code: str, count: int, rng: random.Random) -> None:
    """COPY `count` dossiers received and handled at `unit_code` over the past 365 days."""
    from django.db import connection
    from django.utils import timezone

    from motcua.dossiers.models import Dossier, search_text_of
    from motcua.org.models import Desk, User
    from motcua.org.roles import Role
    from motcua.worktime.clock import Clock
    from motcua.worktime.services import calendar_for_unit

    version, _source = common.commune_procedure()
    desk = Desk.objects.select_related("unit").get(unit__code=unit_code)
    unit = desk.unit
    cal = calendar_for_unit(unit)
    staff = {
        u.role: u for u in User.objects.filter(unit=unit).exclude(username__startswith="bench.")
    }
    receptionist = staff.get(Role.RECEPTIONIST) or User.objects.get(username="quantri")
    handler = staff.get(Role.HANDLER)
    now = timezone.now()
    documents = [
        {"name": d["name"], "sets": 1, "mandatory": True, "received": True}
        for d in version.documents
    ]
    open_cut = sum(share for _s, share in OPEN)
    fields = [f for f in Dossier._meta.concrete_fields if f.name != "id"]
    columns = ", ".join(f.column for f in fields)

    # Oldest first, numbered per day like real codes.
    received = sorted(now - timedelta(seconds=rng.uniform(0, 365 * 86400)) for _ in range(count))
    per_day: dict[str, int] = {}
    with connection.cursor() as cursor:
        with cursor.connection.cursor().copy(
            f"COPY {Dossier._meta.db_table} ({columns}) FROM STDIN"
        ) as copy:
            for n, at in enumerate(received):
                age = (count - n) / count  # 0 = newest
                if age < open_cut and rng.random() < 0.62:
                    status = rng.choices([s for s, _ in OPEN], [w for _, w in OPEN])[0]
                else:
                    status = rng.choices([s for s, _ in FINAL], [w for _, w in FINAL])[0]
                # A real clock: the queue pages read it to show the working time left.
                clock = Clock(duration=rng.choice(DURATIONS)).start(cal, at)
                due, flag = clock.due, "ok"
                if status in ("received", "assigning", "processing"):
                    if due < now:
                        flag = "overdue"
                    elif clock.remaining_at(cal, now) < 0.2 * clock.total_minutes:
                        flag = "nearing"
                elif status == "supplement":
                    clock.pause(cal, min(at + timedelta(hours=1), now), "supplement")
                else:
                    clock.stop(cal, min(at + (due - at) * 0.8, now))
                day = timezone.localtime(at).strftime("%y%m%d")
                # From 5001: seed-demo's past dossiers already hold the day's first numbers.
                per_day[day] = per_day.get(day, 5000) + 1
                final = status in ("returned", "refused", "stopped")
                name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
                d = Dossier(
                    code=f"{unit.agency_id}-{day}-{per_day[day]:04d}",
                    tracking_secret="BENCH234",
                    version=rng.randint(2, 7),
                    procedure_version=version,
                    desk=desk,
                    receiving_unit=unit,
                    handling_unit=unit,
                    status=status,
                    applicant_name=name,
                    applicant_id_number=f"040{rng.randint(0, 3)}{rng.randint(0, 99):02d}"
                    f"{rng.randint(0, 999999):06d}",
                    applicant_address=f"Xóm {rng.randint(1, 12)}, {unit.name}",
                    applicant_phone=f"09{rng.randint(0, 99999999):08d}",
                    request_summary=version.name,
                    checklist=documents,
                    received_at=at,
                    received_by=receptionist,
                    handler=handler if status not in ("received", "assigning") else None,
                    clock=clock.to_dict(),
                    due_at=clock.due,
                    original_due_at=clock.original_due,
                    deadline_flag=flag,
                    transferred_at=at,
                    transfer_mode="electronic",
                    fee_amount=15000,
                    result_ready_at=due - timedelta(hours=1) if final else None,
                    returned_at=due if status == "returned" else None,
                    finished_at=due - timedelta(hours=1) if final else None,
                    finished_on_time=True if final else None,
                )
                d.search_text = search_text_of(d)  # save() would; COPY does not call it
                copy.write_row(
                    [f.get_db_prep_save(getattr(d, f.attname), connection) for f in fields]
                )
        cursor.execute(f"ANALYZE {Dossier._meta.db_table}")


# ---------------------------------------------------------------- search


def scan_search(user, q: str) -> list:
    """The API's q= as it was before the search column: no index can serve it."""
    from django.db.models import Q

    from motcua.dossiers.models import Dossier

    rows = Dossier.objects.for_user(user).filter(
        Q(code__icontains=q) | Q(applicant_name__icontains=q) | Q(applicant_id_number=q)
    )
    return list(rows.order_by("-received_at", "-id")[:PAGE])


def trigram_search(user, q: str) -> list:
    """The API's q= before `selectors.newest_matching`: every match through the trigram index,
    sorted, then the page cut (the same query `dossier_search` falls back to)."""
    from motcua.dossiers import selectors

    rows = selectors.matching(selectors._base(user), q)
    return list(rows.order_by("-received_at", "-id")[:PAGE])


def indexed_search(user, q: str) -> list:
    from motcua.dossiers import selectors

    # As in a new request: the caller's units are looked up again (remembered on the user).
    user.__dict__.pop("_search_scope_units", None)
    return list(selectors.dossier_search(user, q=q, limit=PAGE))


# ---------------------------------------------------------------- timing


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]
    return statistics.median(ordered), p95


def timed(fn, repeat: int) -> tuple[float, float]:
    for _ in range(3):
        fn()
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - began) * 1000)
    return percentiles(samples)


class Client:
    """One keep-alive HTTP connection, with either a session cookie or a bearer token."""

    def __init__(self, port: int, *, cookie: str = "", token: str = ""):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {"Accept": "text/html,application/json"}
        if cookie:
            self.headers["Cookie"] = cookie
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str) -> bytes:
        self.conn.request("GET", path, headers=self.headers)
        response = self.conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"GET {path}: {response.status}\n{body[:500]!r}")
        return body


def session_cookie(user) -> str:
    from django.conf import settings
    from django.test import Client as DjangoClient

    client = DjangoClient()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


# ---------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--neighbours", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=60)
    args = parser.parse_args()
    rng = random.Random(5)

    common.DB = DB
    var_dir = Path(tempfile.mkdtemp(prefix="motcua-bench-queues-"))
    common.admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    common.admin(f"CREATE DATABASE {DB}")
    server = None
    rows: list[tuple[str, str, float, float]] = []
    try:
        common.django_setup(var_dir)
        from django.core.management import call_command
        from django.db import connections

        from motcua.api.services import token_create
        from motcua.catalog.text import fold
        from motcua.dossiers import selectors
        from motcua.dossiers.models import Dossier
        from motcua.org.models import User

        call_command("migrate", verbosity=0)
        # As a deployment does it, before anything renders a page (publishing writes some).
        call_command("collectstatic", verbosity=0, interactive=False)
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
        began = time.perf_counter()
        load("VINHPHU", args.dossiers, rng)
        load("THANHVINH", args.neighbours, rng)
        load_s = time.perf_counter() - began
        people = {
            "leader, Vinh Phú": User.objects.get(username="lanhdao.vinhphu"),
            "inspector, province": User.objects.get(username="thanhtra"),
        }
        sample = Dossier.objects.filter(receiving_unit__code="VINHPHU").order_by("?").first()
        surname = sample.applicant_name.split()[-1]  # the given name, in 1 row in 12
        folded_name = fold(sample.applicant_name)
        family = folded_name.split()[0]  # "vu", "le", "ho": some have no trigram
        rare = "khanh"  # in no row: the window never fills
        in_unit = Dossier.objects.filter(receiving_unit__code="VINHPHU").count()
        open_rows = Dossier.objects.filter(receiving_unit__code="VINHPHU").open().count()

        # Baseline: a bare indexed SELECT of one page.
        with psycopg.connect(f"{common.PG}/{DB}") as conn:

            def bare():
                conn.execute(
                    "SELECT * FROM dossiers_dossier WHERE due_at >= now() ORDER BY due_at LIMIT 50"
                ).fetchall()

            rows.append(("baseline", "bare SELECT 50 rows by indexed due_at", *timed(bare, 200)))

        # In-process selectors.
        for who, user in people.items():
            for name in selectors.QUEUES:
                rows.append(
                    (
                        who,
                        f"selectors.queue('{name}')",
                        *timed(lambda u=user, n=name: list(selectors.queue(u, n)), args.repeat),
                    )
                )
            rows.append(
                (
                    who,
                    "selectors.queue_counts()",
                    *timed(lambda u=user: selectors.queue_counts(u), args.repeat),
                )
            )
        # Search: the newest rows first (selectors.newest_matching) against the trigram index
        # alone, same run, same rows; the scan of the days before the search column for the
        # whole numbers. Also as Thành Vinh's leader, whose unit holds 1 dossier in 6: the
        # window of all units holds too few of its rows, so its window is its own units' newest.
        searchers = {**people, "leader, Thành Vinh": User.objects.get(username="lanhdao.thanhvinh")}
        for who, user in searchers.items():
            for text in (surname, family, folded_name, rare, sample.code):
                before = [d.pk for d in trigram_search(user, text)]
                if [d.pk for d in indexed_search(user, text)] != before:
                    raise SystemExit(f"search {text!r} as {who}: not the rows it found before")
                for label, fn in (
                    ("trigram only, before", trigram_search),
                    ("now", indexed_search),
                ):
                    rows.append(
                        (
                            who,
                            f"search {label}: `{text}`",
                            *timed(lambda u=user, t=text, f=fn: f(u, t), args.repeat),
                        )
                    )
            if who in people:
                text = sample.applicant_id_number
                for label, fn in (("scan before", scan_search), ("now", indexed_search)):
                    rows.append(
                        (
                            who,
                            f"search {label}: `{text}`",
                            *timed(lambda u=user, t=text, f=fn: f(u, t), args.repeat),
                        )
                    )

        tokens = {who: token_create(actor="bench", user=u)[1] for who, u in people.items()}
        cookies = {who: session_cookie(u) for who, u in people.items()}
        connections.close_all()

        port = common.free_port()
        server = common.start_server(port, var_dir)
        for who in people:
            api = Client(port, token=tokens[who])
            searches = [
                quote(surname),
                quote(family),
                quote(rare),
                quote(sample.code),
                sample.applicant_id_number,
                quote(folded_name),
                sample.applicant_phone,
            ]
            queries = [
                "/api/v1/dossiers",
                "/api/v1/dossiers?status=processing",
                "/api/v1/dossiers?overdue=true",
                *(f"/api/v1/dossiers?q={q}" for q in searches),
            ]
            for path in queries:
                rows.append(
                    (who, f"GET {path}", *timed(lambda p=path, c=api: c.get(p), args.repeat))
                )
            page = Client(port, cookie=cookies[who])
            for q in searches:
                path = f"/can-bo/ho-so/tim-kiem/?q={q}"
                rows.append(
                    (who, f"GET {path}", *timed(lambda p=path, c=page: c.get(p), args.repeat))
                )
            for name in ["", *selectors.QUEUES]:
                path = "/can-bo/ho-so/" + (f"?hang={name}" if name else "")
                rows.append(
                    (who, f"GET {path}", *timed(lambda p=path, c=page: c.get(p), args.repeat))
                )
            path = "/can-bo/ho-so/?hang=in_progress&trang=20"
            rows.append((who, f"GET {path}", *timed(lambda p=path, c=page: c.get(p), args.repeat)))
    finally:
        if server is not None:
            common.stop_server(server)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - Django may not be set up when setup itself failed
            pass
        common.admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        shutil.rmtree(var_dir, ignore_errors=True)

    print(
        f"{in_unit:,} dossiers at Vinh Phú ({open_rows:,} open) + {args.neighbours:,} at "
        f"Thành Vinh, loaded in {load_s:.1f} s; one keep-alive client, {args.repeat} requests "
        f"each after a warm-up; gunicorn 2 workers x 4 threads, DEBUG=false; "
        f"{os.cpu_count()} CPUs.\n"
    )
    print("| caller | what | p50 ms | p95 ms | x baseline (p50) |")
    print("|---|---|---:|---:|---:|")
    base = rows[0][2]
    missed = []
    for who, what, p50, p95 in rows:
        print(f"| {who} | `{what}` | {p50:.1f} | {p95:.1f} | {p50 / base:.0f} |")
        searching = "q=" in what
        target = TARGET_SEARCH_P95_MS if searching else TARGET_P95_MS
        if (searching or what.startswith("GET /can-bo/ho-so/")) and p95 >= target:
            missed.append(f"{who}: {what} p95 {p95:.0f} ms")
    print(
        f"\nTargets: queue pages p95 < {TARGET_P95_MS} ms, searches (API q=, staff search page) "
        f"p95 < {TARGET_SEARCH_P95_MS} ms: " + ("met" if not missed else "MISSED")
    )
    for line in missed:
        print(f"  missed: {line}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
