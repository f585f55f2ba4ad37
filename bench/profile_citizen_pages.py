"""In-process cost of the citizens' pages: one request's queries and CPU, without a server.

    .venv/bin/python bench/profile_citizen_pages.py [--requests 300] [--profile PAGE]

A throwaway PostgreSQL database (BENCH_DB, default motcua_bench_pages): migrate, seed-demo, the
online procedure of bench_online, one citizen with drafts, submitted applications, accepted
dossiers and their notices. Then, through Django's test client (the whole middleware chain,
DEBUG=false): GET /cong-dan/, GET /tra-cuu/<code>/ and GET /api/v1/health, each --requests
times; prints queries per request and ms per request (median of 5 batches), and with
--profile my|tracking|health|submit the cProfile of that page (cumulative, top 40). "submit" is
the online form's POST with a 1 MB PNG (--requests/10 of them).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import bench_intake  # noqa: E402
import bench_online  # noqa: E402

DB = os.environ.get("BENCH_DB", "motcua_bench_pages")


def setup_data():
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client

    from motcua.org.models import User
    from motcua.portal.online import services
    from motcua.portal.online.models import OnlineApplication

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    version = bench_online.online_procedure()
    desks = services.desks_for(version)
    ((citizen, _session, _csrf),) = bench_online.citizens_and_sessions(1)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(citizen)
    photo = bench_online.png_of_size(20 * 1024)

    def post(submit: bool):
        response = client.post(
            f"/cong-dan/nop/{bench_online.CODE}/",
            {
                "key": uuid.uuid4().hex,
                "revision": "",
                "desk": str(desks[0].pk),
                "name": citizen.get_full_name(),
                "id_number": citizen.id_number,
                "address": "Xóm 1, Nghệ An",
                "phone": citizen.phone,
                "email": citizen.email,
                "request_summary": "Đăng ký tạm trú",
                "hanh_dong": "nop" if submit else "luu",
                "file_0": SimpleUploadedFile("anh.png", photo, "image/png"),
            },
        )
        assert response.status_code == 302, response.status_code

    for _ in range(2):
        post(False)
    for _ in range(6):
        post(True)
    receptionist = User.objects.filter(role="receptionist", unit=desks[0].unit).first()
    submitted = OnlineApplication.objects.filter(citizen=citizen, status="submitted")[:4]
    codes = [services.application_accept(actor=receptionist, application=a).code for a in submitted]
    return citizen, codes, desks, photo


def timed(client, path, n, expected=200, **extra):
    from django.db import connection

    sqls = []

    def record(execute, sql, params, many, context):
        sqls.append(sql)
        return execute(sql, params, many, context)

    client.get(path, **extra)  # warm: the counted request is a steady-state one
    # Not CaptureQueriesContext: request_started empties the connection's query log.
    with connection.execute_wrapper(record):
        response = client.get(path, **extra)
    assert response.status_code == expected, (path, response.status_code)
    batches, cpu = [], []
    for _ in range(5):
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(n // 5):
            client.get(path, **extra)
        batches.append((time.perf_counter() - t0) * 1000 / (n // 5))
        cpu.append((time.process_time() - c0) * 1000 / (n // 5))
    return len(sqls), statistics.median(batches), statistics.median(cpu), sqls


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", choices=["my", "tracking", "health", "submit"])
    parser.add_argument("--sql", action="store_true", help="print each page's queries")
    args = parser.parse_args()

    bench_intake.DB = DB
    os.environ["TRACKING_LOOKUP_LIMIT"] = "100000000"
    var_dir = Path(tempfile.mkdtemp(prefix="motcua-profile-pages-"))
    bench_intake.admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    bench_intake.admin(f"CREATE DATABASE {DB}")
    try:
        bench_intake.django_setup(var_dir)
        from django.conf import settings
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.test import Client

        settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
        citizen, codes, desks, _photo = setup_data()
        me = Client(HTTP_HOST="127.0.0.1")
        me.force_login(citizen)
        anonymous = Client(HTTP_HOST="127.0.0.1")
        pages = {
            "my": (me, "/cong-dan/"),
            "tracking": (anonymous, f"/tra-cuu/{codes[0]}/"),
            "health": (anonymous, "/api/v1/health"),
        }
        print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print("| page | queries | ms/request | CPU ms/request (this process) |")
        print("|---|---|---|---|")
        for client, path in pages.values():
            count, ms, cpu, sqls = timed(client, path, args.requests)
            print(f"| {path} | {count} | {ms:.2f} | {cpu:.2f} |")
            if args.sql:
                for sql in sqls:
                    print("   ", sql[:300])
        if args.profile:
            profiler = cProfile.Profile(time.process_time)  # CPU: the machine may be busy
            if args.profile == "submit":
                big = bench_online.png_of_size(1024 * 1024)
                n = max(args.requests // 10, 1)

                def run():
                    for _ in range(n):
                        me.post(
                            f"/cong-dan/nop/{bench_online.CODE}/",
                            {
                                "key": uuid.uuid4().hex,
                                "revision": "",
                                "desk": str(desks[0].pk),
                                "name": citizen.get_full_name(),
                                "id_number": citizen.id_number,
                                "address": "Xóm 1, Nghệ An",
                                "phone": citizen.phone,
                                "email": citizen.email,
                                "request_summary": "Đăng ký tạm trú",
                                "hanh_dong": "nop",
                                "file_0": SimpleUploadedFile("anh.png", big, "image/png"),
                            },
                        )
            else:
                client, path = pages[args.profile]

                def run():
                    for _ in range(args.requests):
                        client.get(path)

            profiler.runcall(run)
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(40)
            stats.sort_stats("tottime").print_stats(25)
            if os.environ.get("CALLEES"):
                stats.print_callees(os.environ["CALLEES"])
        from django.db import connections

        connections.close_all()
    finally:
        bench_intake.admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        shutil.rmtree(var_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
