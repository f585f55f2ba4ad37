"""Benchmark: what signing an electronic result costs, and the verification page under load.

    .venv/bin/python bench/bench_signing.py [--count 60] [--seconds 10] [--clients 8]

* A throwaway MOTCUA_VAR with SQLite (DEBUG=false): migrate, the demo organisation and its local
  CA with one certificate per unit (motcua.eresults.demo, as `motcua seed-demo`), a published
  procedure, and one dossier received, assigned and submitted at Công an phường Vinh Phú.
* Signing, in this process, one page each, --count times, interleaved so that the machine's
  noise falls on both alike:
  - render: the result PDF unsigned (WeasyPrint, QR, the shipped fonts): the baseline;
  - render + sign: the same PDF signed by the unit's key (pyHanko, PAdES, visible field);
  - sign only, by difference per pair.
  Reported: results a second, p50 and p99. Target: signing adds < 50 % to rendering (ratio of
  the medians: sign / render).
  Also: one whole approve with e_result=True (the dossier service, transaction, file write),
  and the validator on the signed file (what an upload to /xac-minh/ costs).
* The verification page under wrk: `motcua serve` (gunicorn gthread, 2 workers x 4 threads) on a
  loopback port, --clients connections for --seconds each, GET /xac-minh/<public_id>/ beside
  GET /api/v1/health (the floor of this stack, same run). Target: page p99 < 50 ms.

Prints a markdown table; exits 1 when a target is missed. Cleans up after itself.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT / "src", ROOT):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

TARGET_SIGN_RATIO = 0.5
TARGET_PAGE_P99_MS = 50

LUA = r"""
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def django_setup(var_dir: Path) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="motcua.settings",
        DATABASE_URL=f"sqlite:///{var_dir / 'motcua.sqlite3'}",
        MOTCUA_VAR=str(var_dir),
        SECRET_KEY="bench-" + "x" * 50,
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1",
        ERESULT_PKCS12_PASSPHRASE="bench-only",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    import django

    django.setup()


def prepare():
    """The demo organisation and keys, and a dossier waiting for the leader's approval."""
    from django.core.management import call_command

    from motcua.catalog.services import procedure_create, procedure_publish
    from motcua.dossiers.services import dossier_assign, dossier_receive, dossier_submit
    from motcua.eresults import demo as eresults_demo
    from motcua.org import demo as org_demo
    from motcua.org.models import Unit, User
    from tests.dossiers.stories import CITIZEN, all_documents, procedure_content

    call_command("migrate", "--no-input", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    org_demo.seed()
    eresults_demo.seed()
    from motcua.catalog.models import Domain

    Domain.objects.get_or_create(code="CUTRU", defaults={"name": "Đăng ký, quản lý cư trú"})
    actor = User.objects.get(username="danhmuc")
    draft = procedure_create(
        actor=actor,
        code="1.004194",
        owner_unit=Unit.objects.get(code="CANA"),
        content=procedure_content(),
    )
    version = procedure_publish(actor=actor, procedure=draft.procedure)
    leader = User.objects.get(username="lanhdao.vinhphu")
    handler = User.objects.get(username="xuly.vinhphu")

    def submitted():
        d = dossier_receive(
            actor=User.objects.get(username="tiepnhan.vinhphu"),
            desk=Unit.objects.get(code="VINHPHU").desks.get(),
            procedure_version=version,
            applicant=dict(CITIZEN),
            checklist=all_documents(),
        )
        d = dossier_assign(actor=leader, dossier=d, version=d.version, handler=handler)
        return dossier_submit(
            actor=handler, dossier=d, version=d.version, result="Xác nhận đăng ký tạm trú"
        )

    return leader, submitted


def pct(values, q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def measure_signing(leader, submitted, count: int) -> dict:
    from django.utils import timezone

    from motcua.documents import signing
    from motcua.dossiers.services import dossier_approve
    from motcua.eresults import keys
    from motcua.eresults.services import render_result, sign_result

    d = submitted()
    unit = d.handling_unit
    signer = keys.signer_for(unit)
    at = timezone.now().replace(microsecond=0)
    for _ in range(3):  # warm-up: WeasyPrint's import and fonts, the key's first use
        sign_result(
            render_result(d, public_id="warm", issued_at=at), signer=signer, unit=unit, issued_at=at
        )
    render, both, sign = [], [], []
    for _ in range(count):
        t0 = time.perf_counter()
        render_result(d, public_id="x" * 22, issued_at=at)
        t1 = time.perf_counter()
        pdf = render_result(d, public_id="y" * 22, issued_at=at)
        t2 = time.perf_counter()
        signed = sign_result(pdf, signer=signer, unit=unit, issued_at=at)
        t3 = time.perf_counter()
        render.append((t1 - t0) * 1000)
        both.append((t3 - t1) * 1000)
        sign.append((t3 - t2) * 1000)
    validate = []
    roots = keys.trust_roots()
    for _ in range(max(5, count // 3)):
        t0 = time.perf_counter()
        assert signing.check_signature(signed, trust_roots=roots).ok
        validate.append((time.perf_counter() - t0) * 1000)
    approve = []
    for _ in range(max(3, count // 10)):
        d = submitted()
        t0 = time.perf_counter()
        dossier_approve(actor=leader, dossier=d, version=d.version, e_result=True)
        approve.append((time.perf_counter() - t0) * 1000)
    return {"render": render, "both": both, "sign": sign, "validate": validate, "approve": approve}


def run_wrk(port: int, path: str, seconds: int, clients: int, work: Path) -> dict:
    script = work / "report.lua"
    script.write_text(LUA)
    out = subprocess.run(
        ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "--timeout", "5s", "-s", str(script)]
        + [f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"^RESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)$", out, re.M)
    if match is None:
        raise SystemExit("wrk printed no result:\n" + out)
    requests, duration_us, p50, p99, bad_status, socket_errors = map(int, match.groups())
    return {
        "rate": requests / (duration_us / 1e6),
        "p50": p50 / 1000,
        "p99": p99 / 1000,
        "errors": bad_status + socket_errors,
    }


def serve(port: int, work: Path) -> subprocess.Popen:
    log = open(work / "server.log", "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [sys.executable, "-m", "motcua", "serve", "--port", str(port)]
        + ["--workers", "2", "--threads", "4"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2):
                return proc
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit(f"motcua serve did not start; see {work / 'server.log'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed (scripts/system-deps.sh bench)")
    work = Path(tempfile.mkdtemp(prefix="motcua-bench-signing-"))
    proc = None
    try:
        django_setup(work)
        leader, submitted = prepare()
        times = measure_signing(leader, submitted, args.count)

        from motcua.eresults.models import ElectronicResult

        public_id = ElectronicResult.objects.order_by("-pk").values_list("public_id", flat=True)[0]
        port = free_port()
        proc = serve(port, work)
        page = f"/xac-minh/{public_id}/"
        run_wrk(port, page, 2, args.clients, work)  # warm-up: every worker checks the file once
        load = {
            "GET /api/v1/health": run_wrk(port, "/api/v1/health", args.seconds, args.clients, work),
            "GET /xac-minh/<public_id>/": run_wrk(port, page, args.seconds, args.clients, work),
        }
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(work, ignore_errors=True)

    load_avg = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"One-page result, {args.count} interleaved runs; {os.cpu_count()} CPUs, "
        f"load {load_avg} at the end.\n"
    )
    print("| step | results/s | p50 ms | p99 ms |")
    print("|---|---:|---:|---:|")
    labels = {
        "render": "render unsigned (baseline)",
        "both": "render + sign",
        "sign": "sign only (pyHanko PAdES)",
        "validate": "validate a signed result (pyHanko)",
        "approve": "approve with e_result (whole service)",
    }
    for key, label in labels.items():
        values = times[key]
        p50 = statistics.median(values)
        print(f"| {label} | {1000 / p50:.1f} | {p50:.1f} | {pct(values, 0.99):.1f} |")
    ratio = statistics.median(times["sign"]) / statistics.median(times["render"])
    sign_met = ratio < TARGET_SIGN_RATIO
    print(
        f"\nSigning adds {ratio:.0%} to rendering (median sign / median render); "
        f"target < {TARGET_SIGN_RATIO:.0%}: {'met' if sign_met else 'MISSED'}\n"
    )
    print(
        f"wrk, {args.clients} connections, {args.seconds} s each; gunicorn 2 workers x 4 threads:\n"
    )
    print("| request | requests/s | p50 ms | p99 ms | errors |")
    print("|---|---:|---:|---:|---:|")
    for name, r in load.items():
        print(f"| {name} | {r['rate']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {r['errors']} |")
    page_r = load["GET /xac-minh/<public_id>/"]
    page_met = page_r["p99"] < TARGET_PAGE_P99_MS and page_r["errors"] == 0
    print(
        f"\nVerification page p99 < {TARGET_PAGE_P99_MS} ms, no errors: "
        f"{'met' if page_met else 'MISSED'}"
    )
    return 0 if sign_met and page_met else 1


if __name__ == "__main__":
    sys.exit(main())
