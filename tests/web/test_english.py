"""English is the second language: the Vietnamese text is the message id, and
locale/en/LC_MESSAGES/django.po translates it. With the `django_language=en` cookie the pages
speak English; the catalogue must stay complete (no untranslated or fuzzy entry) and the
committed .mo must be compiled from the committed .po."""

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from motcua.catalog import pagecache
from tests.catalog.conftest import catalog  # noqa: F401
from tests.dossiers.conftest import (  # noqa: F401
    citizen,
    desk_vinhphu,
    friday_16h,
    received,
    tam_tru,
)

MESSAGES = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO = MESSAGES / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|</?[a-z]+[^>]*>")


@pytest.fixture(autouse=True)
def _fresh(db):
    """Empty caches (the shared cache is a database table), and Vietnamese again afterwards:
    requests activate the cookie's language in the test thread, and other tests expect
    Vietnamese."""
    cache.clear()
    pagecache.pages.clear()
    yield
    pagecache.pages.clear()
    translation.deactivate()


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


def page(client, url, **kwargs) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == 200, url
    return response.content.decode()


# ---------------------------------------------------------------- pages


def test_the_login_page_is_in_english(en, db):
    html = page(en, "/dang-nhap/")
    assert '<html lang="en">' in html
    assert "<h1>Sign in</h1>" in html
    assert "Username" in html and "Password" in html
    assert "For staff of one-stop desks" in html
    assert "Đăng nhập" not in html and "Mật khẩu" not in html


def test_without_the_cookie_the_login_page_stays_vietnamese(client, db):
    html = page(client, "/dang-nhap/", HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="vi">' in html and "Đăng nhập" in html and "Sign in" not in html


def test_a_receptionists_home_shows_her_role_and_next_steps_in_english(en, org):
    en.force_login(org["tiepnhan.vinhphu"])
    html = page(en, "/can-bo/")
    assert "Hello, Hoàng Thị Thu" in html  # names are data, never translated
    assert "Công an phường Vinh Phú" in html
    assert 'data-testid="role">Receptionist</dd>' in html
    assert "<dt>Position</dt><dd>Cán bộ tiếp nhận</dd>" in html  # the position is data
    assert "What you can do" in html
    assert "Receive new dossiers and return results to applicants" in html
    assert "View the unit tree and one-stop desks" in html
    assert "Sign out" in html
    assert "Việc có thể làm" not in html and "Vai trò" not in html


def test_the_public_catalogue_is_in_english(en, catalog):  # noqa: F811
    html = page(en, "/tthc/")
    assert '<html lang="en">' in html
    assert "<h1>Administrative procedures</h1>" in html
    assert "Find a procedure (Vietnamese diacritics optional)" in html
    assert "Partly online" in html
    assert "Đăng ký tạm trú" in html  # procedure names are data
    assert "Thủ tục hành chính" not in html and "Tìm thủ tục" not in html

    html = page(en, "/tthc/2.001159/")
    assert "Processing time" in html and "Fees and charges" in html
    assert "working days" in html
    # Amounts stay in đồng with "." thousands in English too (house rule on money).
    assert "15.000 đồng at the desk, 7.000 đồng online" in html and "VND" not in html
    assert "Thời hạn giải quyết" not in html


def test_the_tracking_search_is_in_english(en, db):
    html = page(en, "/tra-cuu/")
    assert "<h1>Track a dossier</h1>" in html
    assert "Dossier code (printed on the receipt and appointment slip)" in html
    assert "Look up" in html
    assert "Tra cứu" not in html

    response = en.get("/tra-cuu/000.84.15.H40-261127-9999/")
    assert response.status_code == 404
    assert "No dossier found with code 000.84.15.H40-261127-9999." in response.content.decode()


def test_tracking_a_dossier_is_in_english(en, received):  # noqa: F811
    html = page(en, f"/tra-cuu/{received.code}/")
    assert f"Dossier {received.code}" in html
    assert "Awaiting assignment" in html
    assert "Nguyễn T. L." in html
    assert "Tracking code (8 characters on the appointment slip)" in html

    response = en.post(f"/tra-cuu/{received.code}/", {"ma_tra_cuu": received.tracking_secret})
    html = response.content.decode()
    assert "Processing history" in html and "Dossier intake" in html
    assert "09:30 30/11/2026" in html


def test_a_wrong_tracking_code_and_throttling_are_explained_in_english(en, received):  # noqa: F811
    from motcua.portal.tracking import MAX_FAILED_SECRETS

    for _ in range(MAX_FAILED_SECRETS):
        response = en.post(f"/tra-cuu/{received.code}/", {"ma_tra_cuu": "WRONG123"})
        assert response.status_code == 200
        assert "Incorrect tracking code." in response.content.decode()
    response = en.post(f"/tra-cuu/{received.code}/", {"ma_tra_cuu": received.tracking_secret})
    assert response.status_code == 429
    assert "Too many incorrect attempts" in response.content.decode()


def test_error_pages_are_in_english(en, db):
    response = en.get("/khong-ton-tai/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


# ---------------------------------------------------------------- the catalogue itself


def _entries(path: Path) -> list[dict]:
    """The entries of a .po file: comments, msgid, msgid_plural and msgstr / msgstr[n]."""
    entries, entry, field = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if not line:
            if entry is not None:
                entries.append(entry)
            entry, field = None, None
            continue
        if entry is None:
            entry = {"comments": [], "msgid": None, "msgid_plural": None, "msgstr": {}}
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#"):
            entry["comments"].append(line)
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += value
            else:
                entry[field[0]] += value
        else:
            keyword, value = line.split(" ", 1)
            value = ast.literal_eval(value)
            match = re.fullmatch(r"msgstr(?:\[(\d+)\])?", keyword)
            if match:
                field = ("msgstr", int(match.group(1) or 0))
                entry["msgstr"][field[1]] = value
            else:
                field = (keyword, None)
                entry[keyword] = value
    return entries


def test_every_message_is_translated_and_none_is_fuzzy():
    """Run `motcua makemessages -l en --no-obsolete --ignore "*/migrations/*"` in src/motcua,
    translate what is new or fuzzy, then `motcua compilemessages -l en`."""
    entries = [e for e in _entries(PO) if not e.get("obsolete")]
    assert len(entries) > 100
    fuzzy = [
        e["msgid"] for e in entries if any("fuzzy" in c for c in e["comments"] if c[:2] == "#,")
    ]
    empty = [e["msgid"] for e in entries if e["msgid"] and not all(e["msgstr"].values())]
    plural = [
        e["msgid"] for e in entries if e["msgid_plural"] is not None and len(e["msgstr"]) != 2
    ]
    problems = {"fuzzy": fuzzy, "untranslated": empty, "plural without both forms": plural}
    assert not any(problems.values()), f"{PO}: {problems}"


def test_the_catalogue_has_every_message_the_code_asks_for(tmp_path):
    """A string marked for translation in the code but missing from the committed .po shows in
    Vietnamese to an English session. makemessages runs on a copy of the package, so the
    committed catalogue is left alone; the copy's refreshed .po must gain no untranslated entry."""
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext's xgettext is not installed: cannot extract the messages")
    package = Path(settings.BASE_DIR)
    copy = tmp_path / "motcua"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("fonts", "__pycache__", "*.mo"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "en",
            "--no-obsolete",
            "--ignore",
            "*/migrations/*",
        ],
        cwd=copy,
        env={
            **os.environ,
            "PYTHONPATH": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "motcua.settings",
        },
        check=True,
        capture_output=True,
    )
    refreshed = _entries(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")
    missing = [e["msgid"] for e in refreshed if e["msgid"] and not all(e["msgstr"].values())]
    fuzzy = [
        e["msgid"] for e in refreshed if any("fuzzy" in c for c in e["comments"] if c[:2] == "#,")
    ]
    assert not missing and not fuzzy, (
        f"run `make messages` and translate: {missing[:10]} {fuzzy[:10]}"
    )


def test_translations_keep_the_placeholders_and_tags():
    wrong = [
        (e["msgid"], text)
        for e in _entries(PO)
        if e["msgid"]
        for text in e["msgstr"].values()
        if sorted(PLACEHOLDER.findall(e["msgid"])) != sorted(PLACEHOLDER.findall(text))
    ]
    assert not wrong


@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_committed_mo_is_compiled_from_the_committed_po(tmp_path, language):
    """vi holds only what Django and django-axes lack in Vietnamese (the admin's strings)."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext's msgfmt is not installed: cannot compile the .po to compare")
    messages = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES"
    po, mo = messages / "django.po", messages / "django.mo"
    fresh = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check-format", "-o", str(fresh), str(po)], check=True)
    with fresh.open("rb") as f:
        expected = gettext.GNUTranslations(f)._catalog
    with mo.open("rb") as f:
        committed = gettext.GNUTranslations(f)._catalog
    stale = sorted(str(k) for k in expected.keys() ^ committed.keys()) + sorted(
        str(k) for k in expected.keys() & committed.keys() if expected[k] != committed[k]
    )
    assert not stale, (
        f"{mo} is out of date; run `motcua compilemessages -l {language}`: {stale[:10]}"
    )
