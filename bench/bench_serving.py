"""Benchmark: does the server keep answering while clients send their requests slowly?

    .venv/bin/python bench/bench_serving.py [--slow 8 200] [--probes 40]

* The production set-up in a temporary MOTCUA_VAR (SQLite, DEBUG=false; migrate, collectstatic):
  `motcua serve` (gunicorn gthread, 2 workers x 4 threads) on a loopback port, and nginx with
  deploy/nginx.conf.example made local (motcua.web.front, as `make run` starts it) in front.
* Slow clients, on 127.0.0.1 only: each opens a connection, sends the first line and one header
  of a GET and then one more header line every 5 s, never finishing (a "slowloris"). 8 (as many
  as the server's threads) and 200 of them, held for the whole probe.
* Probes: GET /api/v1/health one after the other, a new connection each, 1 s timeout, 40 probes
  or 20 s, whichever comes first; each row also without slow clients, the baseline of the same run.
  Reported: probes answered, p50 and max of the answered ones.
  Target: through nginx, with 200 slow clients, every probe answered (each within 1 s).
* `motcua serve` alone, the same probes, for reference (what `make run` served before).

Prints a markdown table; exits 1 when the target is missed. Cleans up after itself.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from motcua.web.front import local_nginx_config, nginx_binary, nginx_command

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
TRICKLE_SECONDS = 5
PROBE_TIMEOUT = 1.0
MAX_SLOW = 1000  # bounded: this is a test of our own server on loopback, not a load tool


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def motcua(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "-m", "motcua", *args], env=env, cwd=ROOT, check=True, timeout=600)


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                response.read()
                return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"{url} did not answer") from None
            time.sleep(0.2)


class SlowClients:
    """`count` connections that never finish their request headers, until closed."""

    def __init__(self, port: int, count: int):
        assert 0 <= count <= MAX_SLOW
        self.sockets = []
        for _ in range(count):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            self.sockets.append(s)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._trickle, daemon=True)
        self.thread.start()

    def _trickle(self) -> None:
        n = 0
        while not self.stop.wait(TRICKLE_SECONDS):
            n += 1
            for s in self.sockets:
                # The server may have closed it: that is its defence, and fine.
                with contextlib.suppress(OSError):
                    s.sendall(f"X-Slow-{n}: 1\r\n".encode())

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        for s in self.sockets:
            s.close()


def probe(port: int, count: int, seconds: float) -> dict:
    times, failed = [], 0
    deadline = time.monotonic() + seconds
    for _ in range(count):
        if time.monotonic() > deadline:
            break
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/api/v1/health", timeout=PROBE_TIMEOUT
            ) as response:
                response.read()
                assert response.status == 200
            times.append((time.perf_counter() - start) * 1000)
        except (OSError, AssertionError):
            failed += 1
    tried = len(times) + failed
    return {
        "tried": tried,
        "answered": len(times),
        "p50": statistics.median(times) if times else None,
        "max": max(times) if times else None,
    }


def ms(value) -> str:
    return "–" if value is None else f"{value:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--slow", type=int, nargs="+", default=[8, 200])
    parser.add_argument("--probes", type=int, default=40)
    parser.add_argument("--probe-seconds", type=float, default=20)
    args = parser.parse_args()
    if nginx_binary() is None:
        sys.exit("nginx not found: scripts/system-deps.sh bench (as root)")
    if any(not 0 <= n <= MAX_SLOW for n in args.slow):
        sys.exit(f"--slow: 0 to {MAX_SLOW}")

    work = Path(tempfile.mkdtemp(prefix="motcua-bench-serving-"))
    work.chmod(0o755)
    var = work / "var"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        MOTCUA_VAR=str(var),
        DATABASE_URL=f"sqlite:///{var / 'motcua.sqlite3'}",
        DEBUG="false",
    )
    processes: list[subprocess.Popen] = []
    rows = []
    try:
        motcua(env, "migrate", "--no-input", "-v", "0")
        motcua(env, "collectstatic", "--no-input", "-v", "0")
        app_port, nginx_port = free_port(), free_port()
        processes.append(
            subprocess.Popen(
                [PYTHON, "-m", "motcua", "serve", "--port", str(app_port), "--workers", "2"],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        conf = work / "nginx.conf"
        conf.write_text(
            local_nginx_config(
                work,
                port=nginx_port,
                app_port=app_port,
                pages_root=var / "public",
                static_root=var / "static",
            )
        )
        processes.append(subprocess.Popen(nginx_command(work, conf)))
        wait_for(f"http://127.0.0.1:{app_port}/api/v1/health")
        wait_for(f"http://127.0.0.1:{nginx_port}/api/v1/health")
        servers = {
            "nginx (deploy config) in front of `motcua serve`": nginx_port,
            "`motcua serve` alone": app_port,
        }
        for name, port in servers.items():
            probe(port, 20, 5)  # warm up
            for slow in [0, *args.slow]:
                clients = SlowClients(port, slow)
                try:
                    time.sleep(1)  # let the server take them in
                    result = probe(port, args.probes, args.probe_seconds)
                finally:
                    clients.close()
                rows.append((name, slow, result))
                time.sleep(1)  # the server notices the closed connections
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(work, ignore_errors=True)

    print(
        f"GET /api/v1/health, one at a time, new connection, {PROBE_TIMEOUT:.0f} s timeout; "
        f"gunicorn 2 workers x 4 threads; {os.cpu_count()} CPUs, "
        f"load {' '.join(f'{x:.1f}' for x in os.getloadavg())} at the end.\n"
    )
    print("| server | slow clients | health answered | p50 ms | max ms |")
    print("|---|---:|---:|---:|---:|")
    for name, slow, r in rows:
        print(
            f"| {name} | {slow} | {r['answered']}/{r['tried']} | {ms(r['p50'])} | {ms(r['max'])} |"
        )
    front = [r for name, slow, r in rows if name.startswith("nginx") and slow == max(args.slow)]
    met = all(r["answered"] == r["tried"] > 0 and r["max"] < 1000 for r in front)
    print(
        f"\nTarget (nginx in front, {max(args.slow)} slow clients: every probe answered, "
        f"each within 1 s): {'met' if met else 'MISSED'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
