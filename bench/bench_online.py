"""Benchmark: online submission with a 1 MB photo, and "Hồ sơ của tôi", through `motcua serve`.

    .venv/bin/python bench/bench_online.py [--seconds 20] [--clients 16] [--page-clients 64]
        [--rounds 3] [--upload-kb 1024]

* A throwaway PostgreSQL database (motcua_bench_online) on 127.0.0.1:5432 (BENCH_PG): migrate,
  `motcua seed-demo`, one procedure published by the bench with online service and ONE mandatory
  document (so one upload makes a complete application), handled at the commune desks; one
  receptionist and API token per desk (the counter intake), one citizen account and session per
  client (the online side; sessions made by Django's login, as the sign-in pages end).
* The production server on a loopback port: `motcua serve` (gunicorn gthread, 2 workers x 4
  threads, DEBUG=false), as bench_intake starts it.
* Load: a closed loop in this process (asyncio, one keep-alive HTTP/1.1 connection per client,
  the next request sent as soon as the answer is read, like wrk; wrk cannot send multipart
  uploads from a file without a script per body). Each run reports requests/s answered as
  expected, p50 and p99.
  - online: 16 clients POST the form of /cong-dan/nop/<code>/ (multipart, one 1 MB PNG, a fresh
    idempotency key, "Nộp hồ sơ"), expecting 302; every 302 is a submitted application.
  - counter: the same 16 clients POST /api/v1/dossiers (JSON, bearer token), expecting 201.
  - health: the same 16 clients GET /api/v1/health: the floor of this stack.
  Target: online >= 0.5 x counter, online p99 < 500 ms.
  - my page: 64 clients GET /cong-dan/ (each signed in as its citizen, who by then has
    applications and dossiers) beside the public tracking page of one dossier (anonymous) and
    health, 64 clients each. Target: p99 < 100 ms.
* The machine is shared: everything is repeated --rounds times and the median round reported.
* Afterwards: every 302 is one submitted application with its file; no application without
  its file; the counter's 201s are dossiers.

Cleans up after itself (stops the server, drops the database). Prints a markdown table; exits 1
when a target is missed or a check fails.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import uuid
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import bench_intake  # noqa: E402 - the database, server and data helpers of the intake bench
from bench_intake import admin, bodies, desks_and_tokens, free_port, start_server, stop_server  # noqa: E402

# BENCH_DB: another name lets two runs share one PostgreSQL server.
DB = os.environ.get("BENCH_DB", "motcua_bench_online")
CODE = "9.990001"
TARGET_RATIO = 0.5
TARGET_ONLINE_P99_MS = 500
TARGET_PAGE_P99_MS = 100


# ---------------------------------------------------------------- data


def png_of_size(size: int) -> bytes:
    """A real PNG of about `size` bytes (random pixels do not compress)."""
    side = max(int((size / 3) ** 0.5), 8)
    raw = b"".join(b"\x00" + os.urandom(side * 3) for _ in range(side))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 1))
        + chunk(b"IEND", b"")
    )


def online_procedure():
    from motcua.catalog.services import procedure_create, procedure_publish
    from motcua.org.models import Unit, UnitKind, User
    from tests.dossiers.stories import procedure_content

    communes = list(
        Unit.objects.filter(kind=UnitKind.COMMUNE_POLICE, valid_to__isnull=True).values_list(
            "code", flat=True
        )
    )
    actor = User.objects.get(username="danhmuc")
    documents = [
        {"name": "Tờ khai thay đổi thông tin cư trú (CT01)", "copies": 1, "mandatory": True}
    ]
    draft = procedure_create(
        actor=actor,
        code=CODE,
        owner_unit=Unit.objects.get(code="CANA"),
        content=procedure_content(handling_units=communes, documents=documents),
    )
    return procedure_publish(actor=actor, procedure=draft.procedure)


def citizens_and_sessions(n: int) -> list[tuple[object, str, str]]:
    """(citizen, session cookie, csrf token) per client."""
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    from motcua.portal.citizens import citizen_upsert

    out = []
    for k in range(n):
        citizen = citizen_upsert(
            id_number=f"0401{90 + k % 10:02d}{k:06d}",
            full_name=f"Công dân Thử {k}",
            email=f"cd{k}@example.vn",
            phone=f"09{k:08d}",
        )
        client = Client()
        client.force_login(citizen)
        out.append((citizen, client.cookies["sessionid"].value, _get_new_csrf_string()))
    return out


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        disposition = f'Content-Disposition: form-data; name="{name}"'
        parts.append(f"--{boundary}\r\n{disposition}\r\n\r\n{value}\r\n".encode())
    for name, (filename, content) in files.items():
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: image/png\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# ---------------------------------------------------------------- load


async def _read_response(reader) -> tuple[int, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip().lower()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.read()
        return status, True
    return status, headers.get("connection") == "close"


async def _client(port, make_request, expected, seconds, latencies, counts):
    reader = writer = None
    end = time.monotonic() + seconds
    i = 0
    while time.monotonic() < end:
        if writer is None:
            reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=2**20)
        request = make_request(i)
        i += 1
        start = time.monotonic()
        try:
            writer.write(request)
            await writer.drain()
            status, closed = await asyncio.wait_for(_read_response(reader), 10)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
            counts["errors"] += 1
            writer.close()
            writer = None
            continue
        latencies.append((time.monotonic() - start) * 1000)
        counts["ok" if status == expected else "bad"] += 1
        if closed:
            writer.close()
            writer = None
    if writer is not None:
        writer.close()


def closed_loop(port: int, makers: list, expected: int, seconds: float) -> dict:
    """One connection per request maker, each sending its next request when the last is read."""
    latencies: list[float] = []
    counts = {"ok": 0, "bad": 0, "errors": 0}

    async def run():
        await asyncio.gather(
            *(_client(port, m, expected, seconds, latencies, counts) for m in makers)
        )

    t0 = time.monotonic()
    asyncio.run(run())
    elapsed = time.monotonic() - t0
    latencies.sort()
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "rate": counts["ok"] / elapsed,
        "ok": counts["ok"],
        "bad": counts["bad"],
        "errors": counts["errors"],
        "p50_ms": q[49],
        "p99_ms": q[98],
    }


def http_request(method: str, path: str, headers: dict, body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def online_makers(sessions, desks, photo: bytes) -> list:
    makers = []
    for n, (citizen, session, csrf) in enumerate(sessions):
        desk = desks[n % len(desks)]

        def make(i, citizen=citizen, session=session, csrf=csrf, desk=desk):
            body, content_type = multipart(
                {
                    "csrfmiddlewaretoken": csrf,
                    "key": uuid.uuid4().hex,
                    "revision": "",
                    "desk": str(desk.pk),
                    "name": citizen.get_full_name(),
                    "id_number": citizen.id_number,
                    "address": "Xóm 1, Nghệ An",
                    "phone": citizen.phone,
                    "email": citizen.email,
                    "request_summary": "Đăng ký tạm trú",
                    "hanh_dong": "nop",
                },
                {"file_0": (f"anh-{i}.png", photo)},
            )
            return http_request(
                "POST",
                f"/cong-dan/nop/{CODE}/",
                {
                    "Cookie": f"sessionid={session}; csrftoken={csrf}",
                    "Content-Type": content_type,
                    "Referer": "http://127.0.0.1/",
                },
                body,
            )

        makers.append(make)
    return makers


def counter_makers(reqs, clients: int) -> list:
    def maker(n):
        def make(i):
            token, body = reqs[(n * 7 + i) % len(reqs)]
            return http_request(
                "POST",
                "/api/v1/dossiers",
                {"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
                body.encode(),
            )

        return make

    return [maker(n) for n in range(clients)]


def get_makers(path: str, cookies: list[str]) -> list:
    return [(lambda i, c=c: http_request("GET", path, {"Cookie": c} if c else {})) for c in cookies]


# ---------------------------------------------------------------- main


def median_round(rounds: list[dict], name: str) -> dict:
    ordered = sorted((r[name] for r in rounds), key=lambda m: m["rate"])
    return ordered[len(ordered) // 2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--page-clients", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--upload-kb", type=int, default=1024)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    bench_intake.DB = DB  # its django_setup points DATABASE_URL at bench_intake.DB
    # The tracking page's per-address look-up limit would answer 429 to a load from one address.
    os.environ["TRACKING_LOOKUP_LIMIT"] = "100000000"
    var_dir = Path(tempfile.mkdtemp(prefix="motcua-bench-online-"))
    var_dir.chmod(0o755)
    load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
    admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    admin(f"CREATE DATABASE {DB}")
    server: subprocess.Popen | None = None
    problems: list[str] = []
    try:
        bench_intake.django_setup(var_dir)
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0)
        call_command("collectstatic", verbosity=0, interactive=False)
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
        version = online_procedure()
        from motcua.portal.online.services import desks_for

        desks = desks_for(version)
        pairs = desks_and_tokens(version, args.clients)
        counter_reqs = bodies(version, pairs)
        sessions = citizens_and_sessions(max(args.clients, args.page_clients))
        photo = png_of_size(args.upload_kb * 1024)
        connections.close_all()

        port = free_port()
        server = start_server(port, var_dir, args.workers, args.threads)
        online = online_makers(sessions[: args.clients], desks, photo)
        counter = counter_makers(counter_reqs, args.clients)
        health16 = get_makers("/api/v1/health", [""] * args.clients)
        health64 = get_makers("/api/v1/health", [""] * args.page_clients)
        my_page = get_makers(
            "/cong-dan/", [f"sessionid={s}" for _c, s, _t in sessions[: args.page_clients]]
        )
        closed_loop(port, online[:2] + counter[:2], 0, 2)  # warm both workers
        from motcua.dossiers.models import Dossier
        from motcua.portal.online.models import ApplicationFile, OnlineApplication

        apps_before = OnlineApplication.objects.count()
        dossiers_before = Dossier.objects.count()  # the demo's, and the warm-up's
        tracked = Dossier.objects.order_by("pk").values_list("code", flat=True).first()
        tracking = get_makers(f"/tra-cuu/{tracked}/", [""] * args.page_clients)
        connections.close_all()

        rounds = []
        for _ in range(args.rounds):
            rounds.append(
                {
                    "online": closed_loop(port, online, 302, args.seconds),
                    "counter": closed_loop(port, counter, 201, args.seconds),
                    "health": closed_loop(port, health16, 200, min(args.seconds, 10)),
                    "my page": closed_loop(port, my_page, 200, args.seconds),
                    "tracking": closed_loop(port, tracking, 200, args.seconds),
                    "health 64": closed_loop(port, health64, 200, min(args.seconds, 10)),
                }
            )
        stop_server(server)
        server = None

        submitted = OnlineApplication.objects.count() - apps_before
        answered = sum(r["online"]["ok"] for r in rounds)
        # The warm-up's and cut-off requests may commit unanswered: a few per client.
        if not 0 <= submitted - answered <= 4 * args.clients:
            problems.append(f"{answered} online 302s but {submitted} applications stored")
        without_file = OnlineApplication.objects.exclude(
            pk__in=ApplicationFile.objects.values("application")
        ).count()
        if without_file:
            problems.append(f"{without_file} applications without their file")
        dossiers = Dossier.objects.count() - dossiers_before
        created = sum(r["counter"]["ok"] for r in rounds)
        if not 0 <= dossiers - created <= 4 * args.clients:
            problems.append(f"{created} counter 201s but {dossiers} dossiers stored")
        for r in rounds:
            for name, m in r.items():
                if m["bad"] or m["errors"]:
                    problems.append(f"{name}: {m['bad']} unexpected answers, {m['errors']} errors")
        connections.close_all()
    finally:
        if server is not None:
            stop_server(server)
        admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        shutil.rmtree(var_dir, ignore_errors=True)

    med = {name: median_round(rounds, name) for name in rounds[0]}
    ratio = med["online"]["rate"] / med["counter"]["rate"] if med["counter"]["rate"] else 0
    print(
        f"`motcua serve` ({args.workers} workers x {args.threads} threads), PostgreSQL; "
        f"{args.rounds} rounds of {args.seconds:g} s, median round shown; upload "
        f"{len(photo) // 1024} KB; load average before {load_before}.\n"
    )
    print("| load | clients | answered/s | p50 ms | p99 ms | every round (req/s) |")
    print("|---|---|---|---|---|---|")
    labels = {
        "online": "online submission, 1 MB photo (302)",
        "counter": "counter intake, API (201)",
        "health": "GET /api/v1/health",
        "my page": "GET /cong-dan/ (Hồ sơ của tôi)",
        "tracking": "GET /tra-cuu/<code>/ (tracking page)",
        "health 64": "GET /api/v1/health",
    }
    for name, label in labels.items():
        m = med[name]
        clients = (
            args.page_clients if name in ("my page", "tracking", "health 64") else args.clients
        )
        every = ", ".join(f"{r[name]['rate']:.1f}" for r in rounds)
        print(
            f"| {label} | {clients} | {m['rate']:.1f} | {m['p50_ms']:.0f} | "
            f"{m['p99_ms']:.0f} | {every} |"
        )
    print()
    checks = [
        (f"online / counter >= {TARGET_RATIO}", ratio >= TARGET_RATIO, f"{ratio:.2f}"),
        (
            f"online p99 < {TARGET_ONLINE_P99_MS} ms",
            med["online"]["p99_ms"] < TARGET_ONLINE_P99_MS,
            f"{med['online']['p99_ms']:.0f} ms",
        ),
        (
            f"Hồ sơ của tôi p99 < {TARGET_PAGE_P99_MS} ms",
            med["my page"]["p99_ms"] < TARGET_PAGE_P99_MS,
            f"{med['my page']['p99_ms']:.0f} ms",
        ),
    ]
    for label, ok, value in checks:
        print(f"- {label}: {value} {'(met)' if ok else '(MISSED)'}")
    for problem in problems:
        print(f"- CHECK FAILED: {problem}")
    return 0 if all(ok for _l, ok, _v in checks) and not problems else 1


if __name__ == "__main__":
    sys.exit(main())
