"""Benchmark: the cost of keying the audit chain (HMAC-SHA-256 with AUDIT_KEY) against a plain
SHA-256, per audit row and in the intake path.

    .venv/bin/python bench/bench_audit.py [--rows 20000] [--intakes 50] [--rounds 9]

* Per row: the content signature `audit_record` now computes as it inserts (JSON of the row, then
  HMAC-SHA-256), against the same JSON with a plain SHA-256, and the JSON alone; and the link the
  sealer computes per row (HMAC against SHA-256). Medians of --rounds.
* In the intake path: `dossier_receive` (the service the API and the desk call) on a throwaway
  SQLite database in a temporary folder (migrate, `motcua seed-demo`, its commune procedure),
  in alternating blocks with the keyed signature and with `_sign` swapped for a plain SHA-256:
  milliseconds per intake, medians, and the ratio.

Prints a markdown table; exits 1 if the extra per-row cost of keying (one audit row an intake)
is over 1 % of an intake. The measured intake ratio is shown too, but on a shared machine its
noise is larger than the effect.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT / "src", ROOT):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

TARGET_SHARE = 0.01


def plain_sign(message: str) -> str:
    return hashlib.sha256(message.encode()).hexdigest()


def per_row(rows: int, rounds: int) -> dict[str, float]:
    from django.utils import timezone

    from motcua.audit import services
    from motcua.audit.models import AuditEntry

    entries = [
        AuditEntry(
            at=timezone.now(),
            actor_id=7,
            actor_name="tiepnhan.vinhphu",
            action="dossier.receive",
            object_type="dossiers.dossier",
            object_id=str(1000 + n),
            object_repr=f"000.46.15.H40-261201-{n:04d} Đăng ký tạm trú",
            changes={"status": [None, "received"], "due_at": "2026-12-03T09:30:00+07:00"},
            ip="203.0.113.5",
        )
        for n in range(rows)
    ]
    original = services._sign

    def timed(work) -> float:
        samples = []
        for _ in range(rounds):
            start = time.perf_counter()
            work()
            samples.append((time.perf_counter() - start) / rows * 1e6)
        return statistics.median(samples)

    def json_only():
        services._sign = len  # the JSON is still built; signing costs nothing
        for e in entries:
            services._mac(e)

    def mac_with(sign):
        def run():
            services._sign = sign
            for e in entries:
                services._mac(e)

        return run

    def link_with(sign):
        def run():
            services._sign = sign
            for n, e in enumerate(entries):
                services._link(n, "0" * 64, e.object_repr)

        return run

    try:
        return {
            "json": timed(json_only),
            "mac_plain": timed(mac_with(plain_sign)),
            "mac_hmac": timed(mac_with(original)),
            "link_plain": timed(link_with(plain_sign)),
            "link_hmac": timed(link_with(original)),
        }
    finally:
        services._sign = original


def intake(intakes: int, rounds: int) -> dict[str, float]:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench_intake import commune_procedure, desks_and_tokens

    from motcua.audit import services
    from motcua.dossiers.services import dossier_receive
    from motcua.org.models import User

    call_command("seed_demo", stdout=io.StringIO())
    version, _ = commune_procedure()
    desk, _token = desks_and_tokens(version, 1)[0]
    actor = User.objects.get(username=f"bench.{desk.unit.code.lower()}")
    documents = [d["name"] for d in version.documents]
    original = services._sign
    counter = [0]

    def block(sign) -> float:
        services._sign = sign
        start = time.perf_counter()
        for _ in range(intakes):
            counter[0] += 1
            k = counter[0]
            dossier_receive(
                actor=actor,
                desk=desk,
                procedure_version=version,
                applicant={"name": f"Nguyễn Văn {k}", "id_number": f"040180{k:06d}"},
                checklist=documents,
            )
        return (time.perf_counter() - start) / intakes * 1000

    try:
        block(original)  # warm-up: caches, the first day's counter row
        plain, keyed = [], []
        for _ in range(rounds):
            plain.append(block(plain_sign))
            keyed.append(block(original))
    finally:
        services._sign = original
    return {"plain": statistics.median(plain), "hmac": statistics.median(keyed)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--intakes", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="motcua-bench-audit-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="motcua.settings",
        DATABASE_URL=f"sqlite:///{var_dir / 'db.sqlite3'}",
        MOTCUA_VAR=str(var_dir),
        PUBLIC_PAGES_ROOT=str(var_dir / "public"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="ERROR",  # public page files are not written without collected static files
    )
    import django

    django.setup()

    rows = per_row(args.rows, args.rounds)
    runs = intake(args.intakes, args.rounds)
    extra_ms = (rows["mac_hmac"] - rows["mac_plain"]) / 1000
    share = extra_ms / runs["plain"]  # an intake writes one audit row

    print(f"{args.rows} rows x {args.rounds} rounds; {args.intakes} intakes a block, medians\n")
    print("| measure | plain SHA-256 | HMAC-SHA-256 (keyed) | ratio |")
    print("|---|---|---|---|")
    print(
        f"| row signature at insert (JSON {rows['json']:.1f} µs included) | "
        f"{rows['mac_plain']:.1f} µs | {rows['mac_hmac']:.1f} µs | "
        f"{rows['mac_hmac'] / rows['mac_plain']:.2f} |"
    )
    print(
        f"| chain link at seal | {rows['link_plain']:.1f} µs | {rows['link_hmac']:.1f} µs | "
        f"{rows['link_hmac'] / rows['link_plain']:.2f} |"
    )
    print(
        f"| one intake (`dossier_receive`, SQLite) | {runs['plain']:.2f} ms | "
        f"{runs['hmac']:.2f} ms | {runs['hmac'] / runs['plain']:.3f} |"
    )
    print(
        f"\nKeying adds {extra_ms * 1000:.1f} µs to an audit row: {share:.2%} of an intake "
        f"(target under {TARGET_SHARE:.0%}); intakes measured with each: "
        f"{runs['hmac'] / runs['plain'] - 1:+.1%} (noise included)."
    )
    return 0 if share < TARGET_SHARE else 1


if __name__ == "__main__":
    sys.exit(main())
