"""The commands a newcomer and an operator run: the production server, the deploy check."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

MOTCUA = [sys.executable, "-m", "motcua"]


def _env(tmp_path: Path, **extra) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update({"MOTCUA_VAR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"})
    env.update(extra)
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = _env(
        tmp_path,
        DEBUG="false",
        HTTPS="true",
        SECRET_KEY="x" * 20 + os.urandom(24).hex(),
        ALLOWED_HOSTS="motcua.congan.nghean.gov.vn",
        PUBLIC_BASE_URL="https://motcua.congan.nghean.gov.vn",
    )
    result = subprocess.run(
        [*MOTCUA, "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_when_https_settings_are_missing(tmp_path):
    env = _env(tmp_path, DEBUG="false", HTTPS="false", SECRET_KEY="x" * 64)
    result = subprocess.run(
        [*MOTCUA, "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS" in result.stderr + result.stdout


def test_the_production_server_serves_login_and_health(tmp_path):
    env = _env(tmp_path)
    for step in (
        ["migrate", "--no-input", "-v", "0"],
        ["collectstatic", "--no-input", "-v", "0"],
        ["seed-demo", "--if-empty"],
    ):
        # seed-demo makes three months of past dossiers: give it room on a loaded machine.
        done = subprocess.run(
            [*MOTCUA, *step], env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
    assert "tiepnhan.vinhphu" in done.stdout  # the demo logins are printed

    port = _free_port()
    server = subprocess.Popen(
        [*MOTCUA, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/v1/health", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        with urllib.request.urlopen(f"{base}/dang-nhap/", timeout=5) as response:
            html = response.read().decode()
        assert '<html lang="vi">' in html and "Đăng nhập" in html
        css = html.split('rel="stylesheet" href="')[1].split('"')[0]
        with urllib.request.urlopen(f"{base}{css}", timeout=5) as response:
            assert response.status == 200  # static files come from whitenoise, hashed names
            assert ".topbar" in response.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_rejects_a_bad_port_in_vietnamese(tmp_path):
    result = subprocess.run(
        [*MOTCUA, "serve", "--port", "70000"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Cổng phải nằm trong khoảng" in result.stderr
