"""Benchmark: the page behind every poster's QR code, and catalogue search with 5,000 procedures.

    .venv/bin/python bench/bench_catalog.py [--seconds 10] [--connections 64] [--procedures 5000]

* The production setup in a temporary MOTCUA_VAR (SQLite, DEBUG=false): migrate, collectstatic,
  `motcua seed-demo`, then `motcua serve` (gunicorn gthread, 2 workers x 4 threads) on a loopback
  port.
* In the same run, on other loopback ports:
  - nginx (started here, as root, with a temporary configuration, 2 worker processes) serving the
    very bytes of the procedure page as a static file: the baseline the target is stated against;
  - the same gunicorn configuration serving those bytes from a 5-line WSGI function: the ceiling
    of the Python server itself, before any Django.
* wrk, 2 threads, 64 connections, 10 s each, against /tthc/1.004194/ (anonymous, as a phone).
  Target: requests/s >= 0.3 x nginx, p99 < 50 ms.
* Invalidation: after the runs, another process publishes a new version; the next 200 requests
  (spread over both workers) must all show it.
* Search: 5,000 procedures added (names built from real procedure vocabulary), then 300 searches
  GET /tthc/?q=... over one keep-alive connection, half without diacritics, plus the same through
  the API. Target: p95 < 50 ms.

Prints a markdown table; exits 1 if a target is missed or a check fails. Cleans up after itself.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
CODE = "1.004194"
PAGE = f"/tthc/{CODE}/"

WSGI = textwrap.dedent(
    """
    from pathlib import Path
    BODY = Path(__file__).with_name("index.html").read_bytes()
    HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(BODY)))]

    def application(environ, start_response):
        start_response("200 OK", HEADERS)
        return [BODY]
    """
)

NGINX = textwrap.dedent(
    """
    worker_processes 2;
    user root;
    pid {dir}/nginx.pid;
    error_log {dir}/nginx-error.log warn;
    events {{ worker_connections 1024; }}
    http {{
      access_log off;
      sendfile on;
      tcp_nopush on;
      keepalive_requests 100000;
      client_body_temp_path {dir}/client_body;
      proxy_temp_path {dir}/proxy;
      fastcgi_temp_path {dir}/fastcgi;
      uwsgi_temp_path {dir}/uwsgi;
      scgi_temp_path {dir}/scgi;
      types {{ text/html html; }}
      server {{
        listen 127.0.0.1:{port};
        root {dir}/static;
        location / {{ try_files $uri $uri/index.html =404; }}
      }}
    }}
    """
)

SEED_5000 = textwrap.dedent(
    """
    import random
    from django.db import transaction
    from django.utils import timezone
    from motcua.catalog.models import Domain, Procedure, ProcedureVersion
    from motcua.catalog.services import search_text_for
    from motcua.catalog.content import content_hash
    from motcua.catalog.text import fold
    from motcua.org.models import Unit

    N = {n}
    random.seed(3)
    verbs = ["Cấp", "Cấp đổi", "Cấp lại", "Đăng ký", "Gia hạn", "Xóa đăng ký", "Xác nhận",
             "Thu hồi", "Điều chỉnh", "Khai báo", "Thông báo", "Tích hợp"]
    things = ["thường trú", "tạm trú", "thẻ căn cước", "hộ chiếu phổ thông", "giấy thông hành",
              "mẫu con dấu", "giấy phép sử dụng công cụ hỗ trợ", "chứng nhận đăng ký xe",
              "biển số xe", "giấy chứng nhận đủ điều kiện về an ninh, trật tự",
              "tài khoản định danh điện tử", "lưu trú", "tạm vắng", "vũ khí thô sơ",
              "pháo hoa", "vật liệu nổ công nghiệp", "con dấu điện tử", "thị thực"]
    whom = ["cho công dân Việt Nam", "cho người nước ngoài", "cho tổ chức", "tại Công an cấp xã",
            "tại Công an cấp tỉnh", "trực tuyến", "cho trẻ em dưới 14 tuổi", "lần đầu"]
    domains = list(Domain.objects.all())
    units = list(Unit.objects.filter(kind="commune"))
    owner = Unit.objects.get(code="PC06")
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        procedures = [
            Procedure(code=f"3.{{i:06d}}", owner_unit=owner, audience="public")
            for i in range(N)
        ]
        Procedure.objects.bulk_create(procedures, batch_size=1000)
        procedures = list(Procedure.objects.filter(code__startswith="3."))
        versions = []
        for p in procedures:
            domain = random.choice(domains)
            name = f"{{random.choice(verbs)}} {{random.choice(things)}} {{random.choice(whom)}}"
            versions.append(ProcedureVersion(
                procedure=p, number=1, status="published", name=name, domain=domain,
                audience="public", agency="Công an xã, phường, thị trấn",
                steps=["Nộp hồ sơ.", "Nhận kết quả."], channels=["desk", "online"],
                online_level=random.choice(["full", "partial"]), documents=[],
                time_value=random.choice([180, 3, 7]), time_unit="working_days", fees=[],
                legal_basis=[], content_hash=content_hash({{"name": name}}),
                published_at=now, effective_from=today,
            ))
        ProcedureVersion.objects.bulk_create(versions, batch_size=1000)
        through = ProcedureVersion.handling_units.through
        links = []
        for v in ProcedureVersion.objects.filter(procedure__code__startswith="3."):
            for unit in random.sample(units, 3):
                links.append(through(procedureversion_id=v.pk, unit_id=unit.pk))
        through.objects.bulk_create(links, batch_size=2000)
        by_proc = {{v.procedure_id: v for v in ProcedureVersion.objects.filter(
            procedure__code__startswith="3.").select_related("domain")}}
        for p in procedures:
            v = by_proc[p.pk]
            p.current_version = v
            p.name, p.domain, p.online_level = v.name, v.domain, v.online_level
            p.search_text = search_text_for(p.code, v.name, v.domain.name)
            p.sort_key = fold(v.name)
            p.published_at, p.effective_from = now, today
        Procedure.objects.bulk_update(
            procedures,
            ["current_version", "name", "domain", "online_level", "search_text", "sort_key",
             "published_at", "effective_from"],
            batch_size=1000,
        )
    print(Procedure.objects.count())
    """
)

# The one settings change worth measuring: SQLite connections kept between requests
# (settings.py closes them after every request, CONN_MAX_AGE=0, so each request opens one).
KEEP_CONNECTIONS = textwrap.dedent(
    """
    from motcua.settings import *  # noqa: F403

    DATABASES["default"]["CONN_MAX_AGE"] = 600  # noqa: F405
    """
)

PUBLISH = textwrap.dedent(
    """
    from motcua.catalog.content import content_of
    from motcua.catalog.models import Procedure
    from motcua.catalog.services import SystemActor, procedure_draft_save, procedure_publish
    p = Procedure.objects.get(code="{code}")
    content = {{**content_of(p.current_version), "name": "{name}"}}
    actor = SystemActor("bench")
    procedure_draft_save(actor=actor, procedure=p, content=content)
    procedure_publish(actor=actor, procedure=p)
    """
)

# CPU cost of one request through Django's WSGI handler in one process, no network: steadier
# than wrk on a shared machine. /api/v1/health (one SELECT 1) as a reference.
IN_PROCESS = textwrap.dedent(
    """
    import io, sys, time
    from django.core.handlers.wsgi import WSGIHandler
    handler = WSGIHandler()

    def environ(path):
        return {{"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
                "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
                "wsgi.input": io.BytesIO(), "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
                "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1"}}

    def call(path):
        result = handler(environ(path), lambda status, headers, exc_info=None: None)
        b"".join(result)
        result.close()

    for path in ("{page}", "/api/v1/health"):
        for _ in range(100):
            call(path)
        best = []
        for _ in range(5):
            start = time.perf_counter()
            for _ in range(400):
                call(path)
            best.append((time.perf_counter() - start) / 400 * 1000)
        print(path, min(best))
    """
)

QUERIES = [
    "đăng ký thường trú",
    "dang ky thuong tru",
    "thẻ căn cước",
    "the can cuoc",
    "hộ chiếu",
    "ho chieu",
    "con dấu",
    "con dau",
    "cấp đổi",
    "cap doi",
    "tạm trú",
    "tam tru",
    "giấy phép",
    "giay phep",
    "xe",
    "vũ khí",
    "vu khi",
    "người nước ngoài",
    "nguoi nuoc ngoai",
    "xác nhận cư trú",
    "xac nhan cu tru",
    "an ninh trat tu",
    "định danh điện tử",
    "dinh danh dien tu",
    "1.004194",
    "gia han",
    "thu hồi biển số",
    "thu hoi bien so",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def motcua(env: dict, *args: str, timeout: int = 600) -> str:
    done = subprocess.run(
        [PYTHON, "-m", "motcua", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        sys.exit(f"motcua {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def wait_for(url: str, process: subprocess.Popen | None = None, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                response.read()
                return
        except OSError:
            if time.monotonic() > deadline or (process and process.poll() is not None):
                raise SystemExit(f"{url} did not answer")
            time.sleep(0.2)


def wrk(url: str, seconds: int, connections: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    ).stdout

    def duration(label: str) -> float:
        match = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": duration("50%"),
        "p99": duration("99%"),
        "non2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def median_run(runs: list[dict]) -> dict:
    """The run with the median throughput (its own p50 and p99), errors summed over runs."""
    chosen = dict(sorted(runs, key=lambda r: r["rps"])[len(runs) // 2])
    chosen["non2xx"] = sum(r["non2xx"] for r in runs)
    chosen["socket_errors"] = "; ".join(r["socket_errors"] for r in runs if r["socket_errors"])
    chosen["all_rps"] = [r["rps"] for r in runs]
    return chosen


def names_seen(url: str, requests: int = 200) -> set[str]:
    """Procedure names in `requests` fresh connections (so both gunicorn workers answer)."""
    seen = set()
    for _ in range(requests):
        request = urllib.request.Request(url, headers={"Connection": "close"})
        with urllib.request.urlopen(request, timeout=10) as response:
            html = response.read().decode()
        seen.add(html.split('data-testid="procedure-name">')[1].split("<")[0])
    return seen


def timed_gets(port: int, paths: list[str]) -> list[float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times = []
    for path in paths:
        start = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        times.append((time.perf_counter() - start) * 1000)
        assert response.status == 200, (path, response.status, body[:200])
    connection.close()
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[94]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--procedures", type=int, default=5000)
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            sys.exit(f"{tool} not found: run `make bench` as root (scripts/system-deps.sh bench)")
    if os.geteuid() != 0:
        sys.exit("nginx is started as root by this benchmark: run it as root")

    load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
    work = Path(tempfile.mkdtemp(prefix="motcua-bench-catalog-"))
    work.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env.update(
        MOTCUA_VAR=str(work / "var"),
        DATABASE_URL=f"sqlite:///{work / 'var' / 'motcua.sqlite3'}",
        DEBUG="false",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    )
    processes: list[subprocess.Popen] = []
    nginx_conf = work / "nginx.conf"
    try:
        started = time.monotonic()
        motcua(env, "migrate", "--no-input", "-v", "0")
        motcua(env, "collectstatic", "--no-input", "-v", "0")
        motcua(env, "seed-demo", "--quiet-logins")
        setup_seconds = time.monotonic() - started

        app_port, nginx_port, bare_port = free_port(), free_port(), free_port()
        app_env = {**env, "PUBLIC_BASE_URL": f"http://127.0.0.1:{app_port}"}
        server = subprocess.Popen(
            [PYTHON, "-m", "motcua", "serve", "--port", str(app_port), "--workers", "2"],
            env=app_env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(server)
        app_url = f"http://127.0.0.1:{app_port}{PAGE}"
        wait_for(app_url, server)
        with urllib.request.urlopen(app_url) as response:
            body = response.read()
        (work / "static" / "tthc" / CODE).mkdir(parents=True)
        (work / "static" / "tthc" / CODE / "index.html").write_bytes(body)
        (work / "bare").mkdir()
        (work / "bare" / "index.html").write_bytes(body)
        (work / "bare" / "bare_app.py").write_text(WSGI)

        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (work / name).mkdir()
        nginx_conf.write_text(NGINX.format(dir=work, port=nginx_port))
        subprocess.run(["nginx", "-c", str(nginx_conf)], check=True)
        nginx_url = f"http://127.0.0.1:{nginx_port}{PAGE}"
        wait_for(nginx_url)
        with urllib.request.urlopen(nginx_url) as response:
            assert response.read() == body

        (work / "bench_settings.py").write_text(KEEP_CONNECTIONS)
        kept_port = free_port()
        kept_env = {
            **app_env,
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "PYTHONPATH": os.pathsep.join([str(work), env["PYTHONPATH"]]),
        }
        kept = subprocess.Popen(
            [PYTHON, "-m", "motcua", "serve", "--port", str(kept_port), "--workers", "2"],
            env=kept_env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(kept)
        kept_url = f"http://127.0.0.1:{kept_port}{PAGE}"
        wait_for(kept_url, kept)

        bare = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{bare_port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--worker-class",
                "gthread",
                "--access-logfile",
                "-",
                "--chdir",
                str(work / "bare"),
                "bare_app:application",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(bare)
        bare_url = f"http://127.0.0.1:{bare_port}{PAGE}"
        wait_for(bare_url, bare)

        urls = {"nginx": nginx_url, "bare": bare_url, "app": app_url, "kept": kept_url}
        for url in urls.values():  # warm up every worker
            wrk(url, 2, args.connections)
        # The machine is shared and noisy: interleave the servers, keep each one's median run.
        runs = {name: [] for name in urls}
        for _round in range(args.rounds):
            for name, url in urls.items():
                runs[name].append(wrk(url, args.seconds, args.connections))
        results = {name: median_run(found) for name, found in runs.items()}

        in_process = {
            line.split()[0]: float(line.split()[1])
            for line in motcua(app_env, "shell", "-c", IN_PROCESS.format(page=PAGE)).splitlines()
            if line.startswith("/")
        }

        # Invalidation across processes: a third process publishes; every worker shows it.
        before = names_seen(app_url, 50)
        new_name = "Đăng ký thường trú (phiên bản đo thử)"
        motcua(env, "shell", "-c", PUBLISH.format(code=CODE, name=new_name))
        after = names_seen(app_url, 200)
        invalidation_ok = before == {"Đăng ký thường trú"} and after == {new_name}

        # Search with 5,000 more procedures.
        started = time.monotonic()
        total = int(motcua(env, "shell", "-c", SEED_5000.format(n=args.procedures)).split()[-1])
        load_seconds = time.monotonic() - started
        rng = random.Random(7)
        queries = [rng.choice(QUERIES) for _ in range(args.searches)]
        pages = ["/tthc/?" + urllib.parse.urlencode({"q": q}) for q in queries]
        api = ["/api/v1/procedures?" + urllib.parse.urlencode({"q": q}) for q in queries]
        timed_gets(app_port, pages[:20] + api[:20])  # warm-up
        page_times = timed_gets(app_port, pages)
        api_times = timed_gets(app_port, api)
        with urllib.request.urlopen(
            f"http://127.0.0.1:{app_port}/api/v1/procedures?q=dang+ky+thuong+tru&limit=1"
        ) as response:
            matches = int(re.search(rb'"count": ?(\d+)', response.read()).group(1))
        # The QR page again, now with 5,000 more procedures in the table.
        results["app_5000"] = wrk(app_url, args.seconds, args.connections)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        if (work / "nginx.pid").exists():
            subprocess.run(["nginx", "-c", str(nginx_conf), "-s", "stop"], check=False)
            time.sleep(0.5)
        shutil.rmtree(work, ignore_errors=True)

    app, nginx, bare = results["app"], results["nginx"], results["bare"]
    ratio = app["rps"] / nginx["rps"]
    print(
        f"Setup (migrate, collectstatic, seed-demo): {setup_seconds:.1f} s; "
        f"page {len(body):,} bytes; wrk -t2 -c{args.connections} -d{args.seconds}s, "
        f"{args.rounds} interleaved rounds, the median round shown; {os.cpu_count()} CPUs "
        f"shared by wrk and the servers; load average before: {load_before}.\n"
    )
    print("| server | requests/s | p50 | p99 | vs nginx | errors | requests/s of each round |")
    print("|---|---:|---:|---:|---:|---:|---|")
    rows = [
        ("nginx, static file (2 workers)", nginx),
        ("gunicorn gthread 2x4, bare WSGI, same bytes (ceiling)", bare),
        (f"motcua serve, {PAGE}", app),
        (f"motcua serve, {PAGE}, {total:,} procedures", results["app_5000"]),
        (
            "same, SQLite connections kept (CONN_MAX_AGE=600, not the shipped settings)",
            results["kept"],
        ),
    ]
    for label, r in rows:
        errors = r["non2xx"] + (1 if r["socket_errors"] else 0)
        rounds = ", ".join(f"{x:,.0f}" for x in r.get("all_rps", [r["rps"]]))
        print(
            f"| {label} | {r['rps']:,.0f} | {r['p50']:.2f} ms | {r['p99']:.2f} ms | "
            f"{r['rps'] / nginx['rps']:.3f} | {errors} | {rounds} |"
        )
    print()
    print(f"App vs the bare-WSGI ceiling of the same server: {app['rps'] / bare['rps']:.2f}.")
    print(
        f"In-process cost of one request (Django WSGI handler, no network, best of 5 x 400): "
        f"{PAGE} {in_process[PAGE]:.3f} ms; /api/v1/health (one SELECT 1, for scale) "
        f"{in_process['/api/v1/health']:.3f} ms."
    )
    print(
        f"Invalidation: before publish {sorted(before)}, after (200 new connections) "
        f"{sorted(after)}: {'OK' if invalidation_ok else 'FAILED'}.\n"
    )
    print(
        f"Search, {total:,} procedures ({args.procedures:,} added in {load_seconds:.1f} s), "
        f"{args.searches} queries over one keep-alive connection, half without diacritics "
        f"('dang ky thuong tru' matches {matches}):\n"
    )
    print("| request | p50 | p95 | max |")
    print("|---|---:|---:|---:|")
    for label, times in (("GET /tthc/?q=…", page_times), ("GET /api/v1/procedures?q=…", api_times)):
        print(
            f"| {label} | {statistics.median(times):.1f} ms | {p95(times):.1f} ms | "
            f"{max(times):.1f} ms |"
        )
    print()
    failures = []
    if ratio < 0.3:
        failures.append(f"QR page throughput {ratio:.3f} x nginx < 0.3")
    if app["p99"] >= 50:
        failures.append(f"QR page p99 {app['p99']:.1f} ms >= 50 ms")
    if app["non2xx"] or app["socket_errors"]:
        failures.append("errors under load")
    if not invalidation_ok:
        failures.append("publish not visible in every worker")
    if p95(page_times) >= 50 or p95(api_times) >= 50:
        failures.append("search p95 >= 50 ms")
    for failure in failures:
        print(f"MISSED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
