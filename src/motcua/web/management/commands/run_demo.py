"""`motcua run-demo` (what `make run` runs): everything a demo or a trial needs, in one command.

Prepares the database and files (migrate, collectstatic, the demo data when the database is empty,
the QR pages for this address), then starts, as in production (docs/operations.md):
* nginx in front (deploy/nginx.conf.example made local, web/front.py) on HOST:PORT: it buffers slow
  clients, serves the QR pages and static files;
* `motcua serve` on a loopback port behind it;
* `motcua run-worker`: deadline flags and notices, audit sealing.
Ctrl-C (or SIGTERM) stops all three; so does any of them stopping on its own.

Without nginx installed (and no root to install it) the app serves HOST:PORT alone, with a warning:
then a few slow clients can take it offline.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.demo_idp import demo as demo_idp
from motcua.web.front import local_nginx_config, nginx_binary, nginx_command

MOTCUA = [sys.executable, "-m", "motcua"]
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    # Linux: a child gets SIGTERM if this process is killed without a chance to stop it.
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _url_host(host: str) -> str:
    if host in ("0.0.0.0", "::", ""):  # noqa: S104 - recognising it, not binding to it
        return "127.0.0.1"  # listening everywhere; this machine's own address works for sure
    return f"[{host}]" if ":" in host else host


class Command(BaseCommand):
    help = (
        "Chạy bản dùng thử đầy đủ: nginx, máy chủ ứng dụng và tiến trình nền (make run). "
        "Run the demo: nginx in front of the app server, and the worker; Ctrl+C stops all."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, host, port, workers, **options):
        if not 0 < port < 65536:
            raise CommandError("Cổng phải nằm trong khoảng 1–65535.")
        if workers < 1:
            raise CommandError("Số tiến trình phải lớn hơn 0.")
        base_url = f"http://{_url_host(host)}:{port}"
        env = {**os.environ}
        # The QR codes and links must point where this server listens, unless told otherwise.
        env.setdefault("PUBLIC_BASE_URL", base_url)
        # No real gateway in a demo: fees are paid at the local stand-in (/demo-vnpay/).
        env.setdefault("DEMO_PAYMENT_SIMULATOR", "true")
        # Citizens sign in at the demo identity provider (/demo-idp/) of this same server.
        env.setdefault("DEMO_IDP", "true")
        demo_idp_on = env["DEMO_IDP"].strip().lower() in {"1", "true", "yes", "on"}
        if demo_idp_on:
            env.setdefault("OIDC_ISSUER", f"{env['PUBLIC_BASE_URL'].rstrip('/')}/demo-idp")
            env.setdefault("OIDC_CLIENT_ID", demo_idp.CLIENT_ID)
            env.setdefault("OIDC_CLIENT_SECRET", demo_idp.client_secret())
        steps = [
            ["migrate", "--no-input", "-v", "0"],
            ["collectstatic", "--no-input", "-v", "0"],
            ["seed-demo", "--if-empty"],
            # Pages written by an earlier run carry that run's PUBLIC_BASE_URL in their QR links.
            ["catalog-render-pages"],
        ]
        if demo_idp_on:
            # The provider's accounts, and motcua as its application at this address.
            steps.append(
                ["demo-idp-setup", "--base-url", env["PUBLIC_BASE_URL"], "--base-url", base_url]
            )
        for step in steps:
            if subprocess.call([*MOTCUA, *step], env=env) != 0:
                raise CommandError(f"`motcua {' '.join(step)}` thất bại / failed.")

        self.children: list[tuple[str, subprocess.Popen]] = []
        stopping: list[int] = []
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda signum, _frame: stopping.append(signum))
        try:
            if nginx_binary():
                app_port = _free_port()
                self._start("motcua serve", self._serve("127.0.0.1", app_port, workers), env)
                self._wait_for(f"http://127.0.0.1:{app_port}/api/v1/health")
                self._start("motcua run-worker", [*MOTCUA, "run-worker"], env)
                work = Path(settings.VAR_DIR) / "nginx"
                work.mkdir(exist_ok=True)
                conf = work / "nginx.conf"
                conf.write_text(
                    local_nginx_config(
                        work,
                        host=host,
                        port=port,
                        app_port=app_port,
                        pages_root=settings.PUBLIC_PAGES_ROOT,
                        static_root=settings.STATIC_ROOT,
                    )
                )
                self._start("nginx", nginx_command(work, conf), env)
                self._wait_for(f"{base_url}/api/v1/health", hint=work / "nginx-error.log")
            else:
                self.stderr.write(
                    "CẢNH BÁO: không có nginx (cài gói nginx-light: `scripts/system-deps.sh run` "
                    "với quyền root). Máy chủ ứng dụng chạy một mình, vài máy khách chậm có thể "
                    "làm nó ngừng trả lời. / WARNING: nginx is not installed; the app server runs "
                    "alone and a few slow clients can take it offline."
                )
                self._start("motcua serve", self._serve(host, port, workers), env)
                self._start("motcua run-worker", [*MOTCUA, "run-worker"], env)
                self._wait_for(f"{base_url}/api/v1/health")
            qr_base = env["PUBLIC_BASE_URL"]
            self.stdout.write(
                f"\n  Mở trình duyệt / open: {base_url}/   (API: {base_url}/api/v1/docs)\n"
                f"  Mã QR và đường dẫn in ra trỏ tới / QR codes point to: {qr_base}\n"
                "  Ctrl+C để dừng tất cả / to stop everything.\n"
            )
            self.stdout.flush()
            while not stopping:
                for name, child in self.children:
                    if child.poll() is not None:
                        raise CommandError(
                            f"{name} đã dừng (mã {child.returncode}); dừng các tiến trình khác. "
                            f"/ {name} stopped; stopping the others."
                        )
                time.sleep(0.2)
        finally:
            self._stop_all()

    def _serve(self, host: str, port: int, workers: int) -> list[str]:
        return [*MOTCUA, "serve", "--host", host, "--port", str(port), "--workers", str(workers)]

    def _start(self, name: str, command: list[str], env: dict) -> None:
        # Its own session: Ctrl-C reaches this process only, which then stops each child cleanly.
        child = subprocess.Popen(
            command, env=env, start_new_session=True, preexec_fn=_die_with_parent
        )
        self.children.append((name, child))

    def _wait_for(self, url: str, hint: Path | None = None, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - http://
                    response.read()
                    return
            except OSError:
                dead = [name for name, child in self.children if child.poll() is not None]
                if dead or time.monotonic() > deadline:
                    detail = f" Xem / see {hint}." if hint else ""
                    raise CommandError(
                        f"{url} không trả lời ({', '.join(dead) or 'hết giờ'}).{detail}"
                    ) from None
                time.sleep(0.2)

    def _stop_all(self) -> None:
        for _name, child in reversed(self.children):
            if child.poll() is None:
                child.terminate()
        for _name, child in reversed(self.children):
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
