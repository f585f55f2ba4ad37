"""Guessing dossiers on the tracking page is throttled per client address, wherever the request
lands: the count is shared by every server process, and only our proxy may name the client."""

import os
import socket
import subprocess
import sys
import time

import pytest
from django.core.cache import cache
from django.db import connection

from motcua.audit.models import AuditEntry

UNKNOWN = "/tra-cuu/000.46.15.H40-261127-9999/"
TOO_MANY = "tra cứu quá nhiều lần"


@pytest.fixture
def committed_counts(transactional_db):
    """Counts other processes can see; the cache table is not flushed with the models' tables."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def limit_3(settings):
    settings.TRACKING_LOOKUP_LIMIT = 3


def test_it_refuses_look_ups_beyond_the_limit_in_vietnamese(client, db, limit_3):
    statuses = [client.get(UNKNOWN, REMOTE_ADDR="203.0.113.5").status_code for _ in range(4)]

    assert statuses == [404, 404, 404, 429]
    assert TOO_MANY in client.get(UNKNOWN, REMOTE_ADDR="203.0.113.5").content.decode()
    assert client.get(UNKNOWN, REMOTE_ADDR="203.0.113.6").status_code == 404  # someone else


def test_a_client_rotating_x_real_ip_is_still_counted_by_its_own_address(client, db, limit_3):
    statuses = [
        client.get(UNKNOWN, REMOTE_ADDR="203.0.113.5", HTTP_X_REAL_IP=f"10.9.0.{n}").status_code
        for n in range(4)
    ]
    assert statuses == [404, 404, 404, 429]


def test_behind_the_trusted_proxy_each_client_is_counted_apart(client, db, limit_3, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(3):
        assert client.get(UNKNOWN, HTTP_X_REAL_IP="198.51.100.7", **proxy).status_code == 404
    assert client.get(UNKNOWN, HTTP_X_REAL_IP="198.51.100.7", **proxy).status_code == 429
    assert client.get(UNKNOWN, HTTP_X_REAL_IP="198.51.100.8", **proxy).status_code == 404


def test_the_audit_log_takes_the_address_from_the_proxy_only(client, org, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    wrong = {"username": "tiepnhan.vinhphu", "password": "sai"}
    client.post("/dang-nhap/", wrong, REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP="198.51.100.7")
    client.post("/dang-nhap/", wrong, REMOTE_ADDR="203.0.113.5", HTTP_X_REAL_IP="1.2.3.4")

    addresses = AuditEntry.objects.filter(action="auth.login_failed").values_list("ip", flat=True)
    assert sorted(addresses) == ["198.51.100.7", "203.0.113.5"]


def test_login_lockout_counts_the_real_client_not_the_header_it_sends(client, org, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    wrong = {"username": "tiepnhan.vinhphu", "password": "sai"}
    right = {"username": "tiepnhan.vinhphu", "password": org.password}
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post("/dang-nhap/", wrong, REMOTE_ADDR="203.0.113.5", HTTP_X_REAL_IP=f"1.2.3.{n}")

    locked = client.post("/dang-nhap/", right, REMOTE_ADDR="203.0.113.5", HTTP_X_REAL_IP="1.1.1.1")
    assert locked.status_code == 429
    # Behind the proxy another client is somebody else, not the locked-out address.
    other = client.post("/dang-nhap/", right, REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP="1.1.1.1")
    assert other.status_code == 302


LOOK_UP = """
import sys
import django
django.setup()
from django.test import Client
client = Client(REMOTE_ADDR="203.0.113.5")
print(" ".join(str(client.get(sys.argv[1]).status_code) for _ in range(int(sys.argv[2]))))
"""


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _look_up_in_a_new_process(tmp_path, times: int, **env) -> list[int]:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "DJANGO_SETTINGS_MODULE": "motcua.settings_test",  # no collected static files
        "MOTCUA_VAR": str(tmp_path),
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": _database_url(),
        "TRACKING_LOOKUP_LIMIT": "4",
        **env,
    }
    done = subprocess.run(
        [sys.executable, "-c", LOOK_UP, UNKNOWN, str(times)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return [int(status) for status in done.stdout.split()]


def test_two_server_processes_share_one_count_in_the_database(committed_counts, tmp_path):
    assert _look_up_in_a_new_process(tmp_path, 3) == [404, 404, 404]
    assert _look_up_in_a_new_process(tmp_path, 2) == [404, 429]


@pytest.fixture
def redis_url(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--dir",
            tmp_path,
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
            assert time.monotonic() < deadline and server.poll() is None, "redis did not start"
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_with_redis_url_the_processes_share_the_count_in_redis(
    committed_counts, tmp_path, redis_url
):
    assert _look_up_in_a_new_process(tmp_path, 3, REDIS_URL=redis_url) == [404, 404, 404]
    assert _look_up_in_a_new_process(tmp_path, 2, REDIS_URL=redis_url) == [404, 429]
    # Nothing was counted in the database: Redis alone holds the count.
    assert _look_up_in_a_new_process(tmp_path, 1) == [404]
