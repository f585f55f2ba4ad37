"""`make run` (`motcua run-demo`): one command that starts nginx in front of the app server and the
deadline worker, with links for its own port, holds slow clients, and stops everything on Ctrl-C.
"""

import json
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from motcua.web.front import nginx_binary
from tests.test_cli_and_server import MOTCUA, _env, _free_port

SLOW_CLIENTS = 50


def _get(url: str, timeout: float = 5) -> tuple[int, dict, bytes]:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, dict(response.headers), response.read()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait(predicate, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def _unsealed_and_total(database: Path) -> tuple[int, int]:
    with sqlite3.connect(database, timeout=10) as db:
        return db.execute("SELECT SUM(seq IS NULL), COUNT(*) FROM audit_auditentry").fetchone()


def test_it_serves_through_nginx_holds_slow_clients_runs_the_worker_and_stops_on_ctrl_c(
    tmp_path,
):
    if nginx_binary() is None:
        pytest.skip("nginx is not installed (apt-get install nginx-light to run this test)")
    port = _free_port()
    env = _env(tmp_path)
    env.pop("PUBLIC_BASE_URL", None)
    log = tmp_path / "run-demo.log"
    with log.open("w") as out:
        demo = subprocess.Popen(
            [*MOTCUA, "run-demo", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    slow = []
    try:
        _wait(
            lambda: "Ctrl+C để dừng tất cả" in log.read_text() or demo.poll() is not None,
            240,
            "run-demo did not start",
        )
        assert demo.poll() is None, log.read_text()
        children = _children(demo.pid)
        names = {Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ") for pid in children}
        assert any(b"nginx" in n for n in names)
        assert any(b"motcua serve" in n for n in names)
        assert any(b"motcua run-worker" in n for n in names)

        # QR codes and links point at the port it was started on (PUBLIC_BASE_URL follows it).
        _status, _headers, body = _get(f"{base}/api/v1/procedures")
        procedure = json.loads(body)["items"][0]
        assert procedure["url"].startswith(f"{base}/tthc/")
        _status, headers, body = _get(procedure["url"])
        assert headers.get("X-Motcua-Static") == "1"  # nginx served the page file
        assert f'<link rel="canonical" href="{procedure["url"]}">' in body.decode()

        # Logging in through nginx by another name for this machine: the app sees the port in the
        # Host header, so the browser's Origin matches it (CSRF).
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        other_name = f"http://localhost:{port}"
        with browser.open(f"{other_name}/dang-nhap/", timeout=10) as response:
            form = response.read().decode()
        csrf = form.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        login = urllib.request.Request(
            f"{other_name}/dang-nhap/",
            data=urllib.parse.urlencode(
                {"csrfmiddlewaretoken": csrf, "username": "quantri", "password": "MotCua@2026"}
            ).encode(),
            headers={"Origin": other_name},
        )
        with browser.open(login, timeout=10) as response:
            assert response.url.rstrip("/") != f"{other_name}/dang-nhap", "login failed"
            assert response.status == 200

        # Clients that send half their headers and stall: nginx holds them, the app never sees
        # them, and the health check still answers at once.
        for _ in range(SLOW_CLIENTS):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            slow.append(s)
        time.sleep(0.5)
        started = time.monotonic()
        status, _headers, _body = _get(f"{base}/api/v1/health", timeout=1)
        assert status == 200 and time.monotonic() - started < 1

        # The worker ticks: the demo data's audit rows get sealed into the hash chain.
        database = tmp_path / "db.sqlite3"
        _wait(
            lambda: _unsealed_and_total(database)[0] == 0,
            30,
            "the worker did not seal the audit log",
        )
        assert _unsealed_and_total(database)[1] > 0

        demo.send_signal(signal.SIGINT)  # Ctrl-C
        assert demo.wait(timeout=60) == 0
        for pid in children:
            assert not _alive(pid), Path(f"/proc/{pid}/cmdline").read_bytes()
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
    finally:
        for s in slow:
            s.close()
        if demo.poll() is None:
            demo.kill()
            demo.wait()


def test_run_demo_rejects_a_bad_port_in_vietnamese(tmp_path):
    result = subprocess.run(
        [*MOTCUA, "run-demo", "--port", "0"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Cổng phải nằm trong khoảng" in result.stderr
    assert not (tmp_path / "db.sqlite3").exists()  # nothing prepared


def test_the_deploy_units_run_the_server_behind_nginx_and_the_worker_with_valid_options():
    from django.core.management import get_commands, load_command_class

    deploy = Path(__file__).resolve().parents[1] / "deploy"
    settings_source = (Path(__file__).resolve().parents[1] / "src/motcua/settings.py").read_text()
    commands = {}
    for unit in ("motcua.service", "motcua-worker.service"):
        lines = (deploy / unit).read_text().splitlines()
        assert "EnvironmentFile=/etc/motcua/motcua.env" in lines
        assert "Restart=always" in lines
        (exec_start,) = [line for line in lines if line.startswith("ExecStart=")]
        program, typed, *args = exec_start.removeprefix("ExecStart=").split()
        name = typed.replace("-", "_")  # as `motcua` itself reads it
        assert program == "/srv/motcua/.venv/bin/motcua"
        command = load_command_class(get_commands()[name], name)
        commands[name] = vars(command.create_parser("motcua", name).parse_args(args))
    # The server listens where nginx's upstream points, and on loopback only.
    assert commands["serve"]["host"] == "127.0.0.1" and commands["serve"]["port"] == 8000
    assert "server 127.0.0.1:8000;" in (deploy / "nginx.conf.example").read_text()
    assert "run_worker" in commands
    for line in (deploy / "motcua.env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            assert f'"{line.split("=")[0]}"' in settings_source, line
