"""Benchmark: the page behind every poster's QR code, and catalogue search with 5,000 procedures.

    .venv/bin/python bench/bench_catalog.py [--seconds 10] [--connections 64] [--procedures 5000]

* The production setup in a temporary MOTCUA_VAR (SQLite, DEBUG=false): migrate, collectstatic,
  `motcua seed-demo` (whose publishes write the page files, catalog/static_pages.py), then
  `motcua serve` (gunicorn gthread, 2 workers x 4 threads) on a loopback port, and nginx (started
  here, as root, 2 worker processes) with deploy/nginx.conf.example made local by
  `local_nginx_config` (plain HTTP on a loopback port, the bench's directories and app port).
* wrk, 2 threads, 64 connections, 10 s each, against /tthc/1.004194/ (anonymous, as a phone), on:
  (a) the same nginx serving the very bytes of the page as a plain static file (requested as
      /tthc/1.004194/index.html): the baseline the target is stated against;
  (b) the production setup: nginx with the deploy configuration in front of `motcua serve`;
  (c) `motcua serve` alone, for reference.
  Target: (b) requests/s >= 0.3 x (a), p99 < 50 ms.
* Invalidation: after the runs, another process publishes a new version (procedure_publish via
  `motcua shell -c`); the very next request through nginx, and the 200 after it (new
  connections), must show it, served from the file; so must 200 requests to the app alone.
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

from motcua.web.front import local_nginx_config

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
CODE = "1.004194"
PAGE = f"/tthc/{CODE}/"

# (a) the baseline: the page's bytes as a plain static file, requested by its own name (no
# try_files, no index redirect: the least work nginx can do for it).
BASELINE = textwrap.dedent(
    """
    server {{
      listen 127.0.0.1:{port};
      root {root};
      location / {{ }}
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


def fetch(url: str) -> tuple[str, str]:
    """(procedure name, X-Motcua-Static header) of one request on a new connection."""
    request = urllib.request.Request(url, headers={"Connection": "close"})
    with urllib.request.urlopen(request, timeout=10) as response:
        html = response.read().decode()
        static = response.headers.get("X-Motcua-Static", "")
    return html.split('data-testid="procedure-name">')[1].split("<")[0], static


def names_seen(url: str, requests: int = 200) -> set[str]:
    """Procedure names in `requests` fresh connections (so both gunicorn workers answer)."""
    return {fetch(url)[0] for _ in range(requests)}


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
    var = work / "var"
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env.update(
        MOTCUA_VAR=str(var),
        DATABASE_URL=f"sqlite:///{var / 'motcua.sqlite3'}",
        DEBUG="false",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    )
    env.pop("PUBLIC_PAGES_ROOT", None)  # the default, MOTCUA_VAR/public
    processes: list[subprocess.Popen] = []
    nginx_conf = work / "nginx.conf"
    try:
        started = time.monotonic()
        motcua(env, "migrate", "--no-input", "-v", "0")
        motcua(env, "collectstatic", "--no-input", "-v", "0")
        motcua(env, "seed-demo", "--quiet-logins")
        setup_seconds = time.monotonic() - started
        page_file = var / "public" / "tthc" / CODE / "index.vi.html"
        pages_written = len(list((var / "public" / "tthc").glob("*/index.vi.html")))

        app_port, static_port, nginx_port = free_port(), free_port(), free_port()
        # The QR codes on the page point at the public address: nginx's.
        app_env = {**env, "PUBLIC_BASE_URL": f"http://127.0.0.1:{nginx_port}"}
        motcua(app_env, "catalog-render-pages")  # as a deploy would, with this PUBLIC_BASE_URL
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
        assert page_file.read_bytes() == body, "the page file differs from what the app serves"
        (work / "static" / "tthc" / CODE).mkdir(parents=True)
        (work / "static" / "tthc" / CODE / "index.html").write_bytes(body)

        nginx_conf.write_text(
            local_nginx_config(
                work,
                port=nginx_port,
                app_port=app_port,
                pages_root=var / "public",
                static_root=var / "static",
                extra_servers=BASELINE.format(port=static_port, root=work / "static"),
            )
        )
        subprocess.run(["nginx", "-c", str(nginx_conf)], check=True)
        static_url = f"http://127.0.0.1:{static_port}{PAGE}index.html"
        nginx_url = f"http://127.0.0.1:{nginx_port}{PAGE}"
        wait_for(static_url)
        wait_for(nginx_url)
        for url in (static_url, nginx_url):
            with urllib.request.urlopen(url) as response:
                assert response.read() == body, url
        assert fetch(nginx_url)[1] == "1", "nginx did not serve the page file"

        urls = {"static": static_url, "nginx": nginx_url, "app": app_url}
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

        # Invalidation: another process publishes; the very next request through nginx shows it,
        # from the file, and so does every later one, through nginx and from the app alone.
        before = names_seen(nginx_url, 50) | names_seen(app_url, 50)
        new_name = "Đăng ký thường trú (phiên bản đo thử)"
        published = time.monotonic()
        motcua(app_env, "shell", "-c", PUBLISH.format(code=CODE, name=new_name))
        publish_seconds = time.monotonic() - published
        next_name, next_static = fetch(nginx_url)
        after_nginx = names_seen(nginx_url, 200)
        after_app = names_seen(app_url, 200)
        invalidation_ok = (
            before == {"Đăng ký thường trú"}
            and next_name == new_name
            and next_static == "1"
            and after_nginx == {new_name}
            and after_app == {new_name}
        )

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

    static, nginx, app = results["static"], results["nginx"], results["app"]
    ratio = nginx["rps"] / static["rps"]
    print(
        f"Setup (migrate, collectstatic, seed-demo writing {pages_written} page files): "
        f"{setup_seconds:.1f} s; page {len(body):,} bytes; wrk -t2 -c{args.connections} "
        f"-d{args.seconds}s, {args.rounds} interleaved rounds, the median round shown; "
        f"{os.cpu_count()} CPUs shared by wrk, nginx and the app; load average before: "
        f"{load_before}.\n"
    )
    print("| server | requests/s | p50 | p99 | vs (a) | errors | requests/s of each round |")
    print("|---|---:|---:|---:|---:|---:|---|")
    rows = [
        ("(a) nginx, the same bytes as a plain static file (2 workers)", static),
        (f"(b) nginx with deploy/nginx.conf.example in front of motcua serve, {PAGE}", nginx),
        (f"(c) motcua serve alone (gunicorn gthread 2x4), {PAGE}", app),
    ]
    for label, r in rows:
        errors = r["non2xx"] + (1 if r["socket_errors"] else 0)
        rounds = ", ".join(f"{x:,.0f}" for x in r.get("all_rps", [r["rps"]]))
        print(
            f"| {label} | {r['rps']:,.0f} | {r['p50']:.2f} ms | {r['p99']:.2f} ms | "
            f"{r['rps'] / static['rps']:.3f} | {errors} | {rounds} |"
        )
    print()
    print(
        f"In-process cost of one request (Django WSGI handler, no network, best of 5 x 400): "
        f"{PAGE} {in_process[PAGE]:.3f} ms; /api/v1/health (one SELECT 1, for scale) "
        f"{in_process['/api/v1/health']:.3f} ms."
    )
    print(
        f"Invalidation: before publish {sorted(before)}; publish in another process "
        f"({publish_seconds:.1f} s with its start-up); the next request through nginx: "
        f"{next_name!r} (X-Motcua-Static: {next_static or 'absent'}); the 200 after it through "
        f"nginx {sorted(after_nginx)}, 200 to the app alone {sorted(after_app)}: "
        f"{'OK' if invalidation_ok else 'FAILED'}.\n"
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
        failures.append(f"QR page throughput {ratio:.3f} x nginx static < 0.3")
    if nginx["p99"] >= 50:
        failures.append(f"QR page p99 {nginx['p99']:.1f} ms >= 50 ms")
    if any(r["non2xx"] or r["socket_errors"] for r in (static, nginx, app)):
        failures.append("errors under load")
    if not invalidation_ok:
        failures.append("publish not visible at the next request")
    if p95(page_times) >= 50 or p95(api_times) >= 50:
        failures.append("search p95 >= 50 ms")
    for failure in failures:
        print(f"MISSED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
