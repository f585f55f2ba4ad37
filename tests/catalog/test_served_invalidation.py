"""Under the production server (gunicorn, two worker processes, each with its own page cache), a
publish made by yet another process shows in every worker at once.

The served process uses the test settings only to skip collectstatic (6 s); everything on the
request path is the production one.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

MOTCUA = [sys.executable, "-m", "motcua"]
ROOT = Path(__file__).resolve().parents[2]

SETUP = """
from datetime import date
from motcua.org import demo
from motcua.org.models import Unit
from motcua.catalog.models import Domain, Procedure
from motcua.catalog.services import SystemActor, procedure_create, procedure_publish
from tests.catalog.factories import make_content
demo.seed()
Domain.objects.create(code="CUTRU", name="Đăng ký, quản lý cư trú")
actor = SystemActor("test")
procedure_create(actor=actor, code="1.004194", owner_unit=Unit.objects.get(code="PC06"),
                 content=make_content())
procedure_publish(actor=actor, procedure=Procedure.objects.get(code="1.004194"),
                  effective_from=date(2025, 7, 1))
"""

PUBLISH = """
from motcua.catalog.models import Procedure
from motcua.catalog.services import SystemActor
from tests.catalog.factories import republish
republish(SystemActor("test"), Procedure.objects.get(code="1.004194"),
          name="Đăng ký thường trú (phiên bản mới)")
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(args, env):
    done = subprocess.run(
        [*MOTCUA, *args], env=env, capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _names(url: str, count: int = 48) -> set[str]:
    def one(_):
        request = urllib.request.Request(url, headers={"Connection": "close"})
        with urllib.request.urlopen(request, timeout=10) as response:
            html = response.read().decode()
        return html.split('data-testid="procedure-name">')[1].split("<")[0]

    with ThreadPoolExecutor(max_workers=8) as pool:
        return set(pool.map(one, range(count)))


def test_it_shows_a_publish_in_every_gunicorn_worker_at_once(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    }
    env.update(
        MOTCUA_VAR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
        DJANGO_SETTINGS_MODULE="motcua.settings_test",
        DEBUG="false",
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    )
    _run(["migrate", "--no-input", "-v", "0"], env)
    _run(["shell", "-c", SETUP], env)

    port = _free_port()
    server = subprocess.Popen(
        [*MOTCUA, "serve", "--port", str(port), "--workers", "2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        page = f"http://127.0.0.1:{port}/tthc/1.004194/"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(page, timeout=2).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        assert _names(page) == {"Đăng ký thường trú"}  # now cached in both workers

        _run(["shell", "-c", PUBLISH], env)  # a third process publishes

        assert _names(page) == {"Đăng ký thường trú (phiên bản mới)"}
    finally:
        server.terminate()
        server.wait(timeout=10)
