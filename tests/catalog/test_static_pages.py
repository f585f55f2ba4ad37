"""The QR page as files for nginx: every publish of a public procedure writes, when it commits,
the exact bytes the view serves in each language; nothing for internal procedures or a
rolled-back publish; `motcua catalog-render-pages` rewrites them all. If nginx is installed, the
deploy configuration serves them in front of the app and shows a publish at the next request.
"""

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from motcua.catalog import demo, pagecache, static_pages
from motcua.catalog.models import Procedure
from motcua.catalog.services import SystemActor
from motcua.catalog.spreadsheet import export_workbook, import_workbook
from tests.catalog.factories import make_content, publish_new, republish

NGINX = "/usr/sbin/nginx"


@pytest.fixture(autouse=True)
def pages_root(settings, tmp_path):
    settings.PUBLIC_PAGES_ROOT = tmp_path / "public"
    return settings.PUBLIC_PAGES_ROOT


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """Run on_commit callbacks as the (test-wrapped) transaction would on commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def page(code: str, language: str) -> bytes:
    return static_pages.page_file(code, language).read_bytes()


def served(client, code: str, language: str) -> bytes:
    client.cookies["django_language"] = language
    pagecache.pages.clear()
    response = client.get(f"/tthc/{code}/")
    assert response.status_code == 200
    return response.content


def test_publishing_writes_the_bytes_the_view_serves_in_each_language(
    catalog, org, client, commits
):
    with commits():
        republish(org["danhmuc"], catalog.residence, name="Đăng ký thường trú (mới)")

    vi, en = page("1.004194", "vi"), page("1.004194", "en")
    assert vi == served(client, "1.004194", "vi")
    assert en == served(client, "1.004194", "en")
    assert b'<html lang="vi">' in vi and b'<html lang="en">' in en
    assert "Đăng ký thường trú (mới)".encode() in vi
    # Nothing about a visitor: no CSRF token, no staff link, canonical language links.
    for body in (vi, en):
        assert b"csrf" not in body.lower() and b"/can-bo/" not in body
        assert b"next=/tthc/1.004194/" in body


def test_publishing_a_new_version_rewrites_the_files(catalog, org, client, commits):
    with commits():
        republish(org["danhmuc"], catalog.residence, time_value=3)
    first = page("1.004194", "vi").decode()
    assert "3 ngày làm việc" in first

    with commits():
        republish(org["danhmuc"], catalog.residence, name="Đăng ký thường trú, phiên bản 3")

    html = page("1.004194", "vi").decode()
    assert "Đăng ký thường trú, phiên bản 3" in html and html != first
    assert page("1.004194", "vi") == served(client, "1.004194", "vi")
    assert not list(static_pages.pages_dir("1.004194").glob(".*.tmp"))


def test_a_publish_by_a_logged_in_keeper_writes_the_anonymous_page(catalog, org, client, commits):
    client.force_login(org["danhmuc"])
    with commits():
        republish(org["danhmuc"], catalog.residence, time_value=5)
        assert client.get("/tthc/1.004194/").status_code == 200
    client.logout()
    assert page("1.004194", "vi") == served(client, "1.004194", "vi")


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_publish_writes_nothing(catalog, org):
    """Real commits here (no test transaction around them): the catalogue's publishes wrote
    their files; a publish inside a transaction that rolls back writes nothing."""
    residence = static_pages.page_file("1.004194", "vi")
    before = residence.read_bytes()
    assert "Đăng ký thường trú" in before.decode()
    assert not static_pages.pages_dir("2.090001").exists()  # the internal procedure

    with pytest.raises(RuntimeError), transaction.atomic():
        republish(org["danhmuc"], catalog.residence, name="Không bao giờ công bố")
        raise RuntimeError("rolled back")

    assert residence.read_bytes() == before
    fresh = Procedure.objects.get(code="1.004194")
    republish(org["danhmuc"], fresh, name="Công bố thật")
    assert "Công bố thật" in residence.read_text()


def test_internal_procedures_are_never_written(catalog, org, commits):
    with commits():
        republish(org["danhmuc"], catalog.internal, time_value=4)
        republish(org["danhmuc"], catalog.passport, time_value=9)
    assert static_pages.page_file("2.002286", "vi").exists()
    assert not static_pages.pages_dir("2.090001").exists()


def test_a_procedure_made_internal_loses_its_files(catalog, org, client, commits):
    with commits():
        republish(org["danhmuc"], catalog.temporary, time_value=4)
    assert static_pages.page_file("2.001159", "en").exists()

    with commits():
        republish(org["danhmuc"], catalog.temporary, audience="internal_personnel")

    assert not static_pages.pages_dir("2.001159").exists()
    pagecache.pages.clear()
    assert client.get("/tthc/2.001159/").status_code == 404


def test_the_import_with_publish_writes_files(catalog, commits):
    from tests.catalog.test_spreadsheet import edited

    data = edited(
        export_workbook(Procedure.objects.all()),
        {("2.001159", "name"): "Đăng ký tạm trú, gia hạn tạm trú"},
    )
    with commits():
        report = import_workbook(data, actor=SystemActor("test"), publish=True)
    assert report.published == ["2.001159"]
    assert "Đăng ký tạm trú, gia hạn tạm trú" in page("2.001159", "vi").decode()


def test_the_demo_catalogue_writes_files(org, commits, pages_root):
    with commits():
        demo.seed()
    written = {p.name for p in (pages_root / "tthc").iterdir()}
    assert "1.004194" in written and len(written) >= 25
    assert static_pages.page_file("1.003676", "en").exists()  # published twice (the reform)


def test_render_pages_command_rewrites_them_all(catalog, client, pages_root, capsys):
    stale = static_pages.pages_dir("9.999999")
    stale.mkdir(parents=True)
    (stale / "index.vi.html").write_text("withdrawn")
    internal = static_pages.pages_dir("2.090001")
    internal.mkdir(parents=True)
    (internal / "index.vi.html").write_text("left over")
    static_pages.page_file("1.004194", "vi").parent.mkdir(parents=True, exist_ok=True)
    static_pages.page_file("1.004194", "vi").write_text("old template")

    call_command("catalog_render_pages")

    assert "3 thủ tục" in capsys.readouterr().out
    codes = sorted(p.name for p in (pages_root / "tthc").iterdir())
    assert codes == ["1.004194", "2.001159", "2.002286"]
    for code in codes:
        for language in ("vi", "en"):
            assert page(code, language) == served(client, code, language)
    assert not list(pages_root.rglob("*.tmp"))


def test_a_failed_write_removes_the_files_rather_than_leave_an_old_page(
    catalog, org, commits, monkeypatch
):
    with commits():
        republish(org["danhmuc"], catalog.residence, time_value=3)
    assert static_pages.page_file("1.004194", "vi").exists()

    def broken(path, data):
        raise OSError("disk full")

    monkeypatch.setattr(static_pages, "_write_atomic", broken)
    with commits():
        republish(org["danhmuc"], catalog.residence, time_value=4)  # the publish still succeeds

    assert catalog.residence.current_version.time_value == 4
    assert not static_pages.pages_dir("1.004194").exists()


# nginx in front of the app, with deploy/nginx.conf.example ---------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, cookie: str = "") -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


@pytest.fixture
def nginx(live_server, tmp_path, pages_root, settings):
    if not Path(NGINX).exists():
        pytest.skip(f"{NGINX} is not installed (apt-get install nginx-light to run this test)")
    from motcua.web.front import local_nginx_config

    port = _free_port()
    work = tmp_path / "nginx"
    work.mkdir()
    pages_root.mkdir(parents=True, exist_ok=True)
    app_port = int(live_server.url.rsplit(":", 1)[1])
    conf = work / "nginx.conf"
    conf.write_text(
        local_nginx_config(
            work,
            port=port,
            app_port=app_port,
            pages_root=pages_root,
            static_root=settings.STATIC_ROOT,
        )
    )
    check = subprocess.run([NGINX, "-t", "-c", str(conf)], capture_output=True, text=True)
    if check.returncode != 0:
        pytest.skip(f"nginx cannot run here: {check.stderr.strip()[-300:]}")
    subprocess.run([NGINX, "-c", str(conf)], check=True, capture_output=True)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, (work / "nginx-error.log").read_text()
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        pid = work / "nginx.pid"
        if pid.exists():
            os.kill(int(pid.read_text()), signal.SIGQUIT)
            for _ in range(50):
                if not pid.exists():
                    break
                time.sleep(0.1)


@pytest.mark.django_db(transaction=True)
def test_nginx_serves_the_file_and_a_publish_at_the_next_request(org, nginx):
    from motcua.catalog.models import Domain

    Domain.objects.create(code="CUTRU", name="Đăng ký, quản lý cư trú")
    admin = org["danhmuc"]
    procedure = publish_new(admin, "1.004194", org.units["PC06"], make_content())
    url = f"{nginx}/tthc/1.004194/"

    status, headers, body = _get(url)
    assert status == 200 and headers.get("X-Motcua-Static") == "1"
    assert body == page("1.004194", "vi")
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-cache" and headers.get("ETag")
    _status, headers_en, body_en = _get(url, "django_language=en")
    assert body_en == page("1.004194", "en") and headers_en["Content-Language"] == "en"

    republish(admin, procedure, name="Đăng ký thường trú (phiên bản mới)")

    status, headers, body = _get(url)
    assert headers.get("X-Motcua-Static") == "1"
    assert "Đăng ký thường trú (phiên bản mới)" in body.decode()
    # No file (deleted here; or internal, or not rendered yet), or a logged-in visitor: the app.
    file_bytes = page("1.004194", "vi")
    static_pages.page_file("1.004194", "vi").unlink()
    status, headers, body = _get(url)
    assert status == 200 and "X-Motcua-Static" not in headers and body == file_bytes
    with pytest.raises(urllib.error.HTTPError) as missing:
        _get(f"{nginx}/tthc/9.999999/")
    assert missing.value.code == 404
    _status, headers, _body = _get(url, "sessionid=abc")
    assert "X-Motcua-Static" not in headers


def test_the_deploy_example_keeps_the_locations_it_documents():
    text = (Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf.example").read_text()
    for needle in (
        "try_files $motcua_staff/tthc/$code/index.$motcua_lang.html @app;",
        "map $cookie_django_language $motcua_lang",
        'add_header Cache-Control "no-cache";',
        "etag on;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        "proxy_set_header X-Real-IP $remote_addr;",
        "location /static/",
    ):
        assert needle in text
    assert "open_file_cache " not in text.replace("# Do not add open_file_cache", "")


def test_renaming_a_handling_unit_rewrites_its_procedures_pages(catalog, org, commits):
    with commits():
        republish(org["danhmuc"], catalog.residence, name="Đăng ký thường trú (mới)")
    unit = catalog.residence.current_version.handling_units.first()
    assert unit.name.encode() in page("1.004194", "vi")

    with commits():
        unit.name = f"{unit.name} (đổi tên)"
        unit.save()

    assert unit.name.encode() in page("1.004194", "vi")
