"""How dossier screens and forms read: the request line printed once, the officer's note kept
apart from the reason, sentences that start with a capital, the desk's opening hours on the
receipt, and staff screens whose labels all go through gettext (queue tabs, the history's first
entry, the time left, money in đồng).

The English translations are the lead's to write: here a tiny English catalogue put in front of
the real one (test-only texts, marked "[en]") proves that a label is looked up in the active
language, while the Vietnamese page is checked as users read it."""

import subprocess
from datetime import datetime

import pytest
from django.utils import translation

from motcua.dossiers import printing
from motcua.dossiers.services import (
    dossier_assign,
    dossier_process,
    dossier_receive,
    intake_incomplete,
)
from motcua.dossiers.views import working_span
from motcua.worktime.core import VN_TZ
from tests.dossiers.stories import CITIZEN, all_documents, publish
from tests.dossiers.test_forms import text_of
from tests.org.desks import desk_edit_in_admin

SPAN = "thời gian còn lại"

TINY_ENGLISH = f"""
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Chờ chuyển đơn vị giải quyết"
msgstr "To transfer [en]"

msgid "Chờ trả kết quả"
msgstr "To return [en]"

msgid "Tiếp nhận hồ sơ"
msgstr "Dossier received [en]"

msgctxt "{SPAN}"
msgid "còn %(span)s làm việc"
msgstr "%(span)s left"

msgctxt "{SPAN}"
msgid "%(n)s ngày"
msgid_plural "%(n)s ngày"
msgstr[0] "%(n)s working day"
msgstr[1] "%(n)s working days"

msgctxt "{SPAN}"
msgid "%(n)s giờ"
msgid_plural "%(n)s giờ"
msgstr[0] "%(n)s hour"
msgstr[1] "%(n)s hours"
"""


@pytest.fixture
def tiny_english(settings, tmp_path):
    """The tiny catalogue first in LOCALE_PATHS (Django merges the real one behind it); changing
    the setting empties Django's translation caches, now and when the test ends."""
    messages = tmp_path / "en" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "django.po").write_text(TINY_ENGLISH, encoding="utf-8")
    subprocess.run(
        ["msgfmt", "-o", str(messages / "django.mo"), str(messages / "django.po")], check=True
    )
    settings.LOCALE_PATHS = [tmp_path, *settings.LOCALE_PATHS]


def staff(client, org, username, *, language="vi"):
    client.force_login(org[username])
    client.cookies["django_language"] = language
    return client


def html_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# ---------------------------------------------------------------- staff screens


def test_it_shows_the_queue_tabs_and_the_time_left_in_the_sessions_language(
    client, org, received, tiny_english
):
    vi = html_of(staff(client, org, "tiepnhan.vinhphu"), "/can-bo/ho-so/")
    assert "Chờ chuyển đơn vị giải quyết" in vi and "Chờ trả kết quả" in vi
    assert "còn 3 giờ làm việc" in vi

    en = html_of(staff(client, org, "tiepnhan.vinhphu", language="en"), "/can-bo/ho-so/")
    assert "To transfer [en]" in en and "To return [en]" in en
    assert "3 hours left" in en
    assert "Chờ chuyển đơn vị giải quyết" not in en and "Chờ trả kết quả" not in en


def test_it_shows_the_first_history_entry_and_the_fee_in_the_sessions_language(
    client, org, received, tiny_english
):
    url = f"/can-bo/ho-so/{received.code}/"
    vi = html_of(staff(client, org, "tiepnhan.vinhphu"), url)
    assert "Tiếp nhận hồ sơ" in vi and "15.000 đồng" in vi

    en = html_of(staff(client, org, "tiepnhan.vinhphu", language="en"), url)
    assert "Dossier received [en]" in en
    # Money is in đồng with "." thousands in every language (the house rule), never "VND".
    assert "15.000 đồng" in en and "15.000 VND" not in en


def test_the_time_left_counts_whole_working_days_in_words_of_the_language(tiny_english):
    assert working_span(8 * 480, 480) == "8 ngày"
    assert working_span(480 + 120, 480) == "1 ngày 2 giờ"
    with translation.override("en"):
        assert working_span(8 * 480, 480) == "8 working days"
        assert working_span(480 + 120, 480) == "1 working day 2 hours"


def test_an_english_queue_reads_eight_working_days_left(
    client, org, desk_vinhphu, friday_16h, tiny_english
):
    version = publish(org, "1.000123", time_value=8, time_unit="working_days")
    dossier_receive(
        actor=org["tiepnhan.vinhphu"],
        desk=desk_vinhphu,
        procedure_version=version,
        applicant=dict(CITIZEN),
        checklist=all_documents(),
    )
    vi = html_of(staff(client, org, "tiepnhan.vinhphu"), "/can-bo/ho-so/")
    assert "còn 8 ngày làm việc" in vi
    en = html_of(staff(client, org, "tiepnhan.vinhphu", language="en"), "/can-bo/ho-so/")
    assert "8 working days left" in en and " d " not in en


# ---------------------------------------------------------------- printed forms


def test_the_request_line_names_the_procedure_once_and_keeps_the_applicants_words(
    org, tam_tru, desk_vinhphu, friday_16h
):
    d = dossier_receive(
        actor=org["tiepnhan.vinhphu"],
        desk=desk_vinhphu,
        procedure_version=tam_tru,
        applicant=dict(CITIZEN),
        checklist=all_documents(),
        request_summary="Xác nhận nơi ở để con đi học",
    )
    _template, context = printing.form_context("receipt", d)
    # Not "Đăng ký tạm trú: Xác nhận…", which reads as a second label after the form's own.
    assert context["request"] == "Đăng ký tạm trú (Xác nhận nơi ở để con đi học)"


def test_the_counter_supplement_slip_prints_the_note_as_a_note_not_as_the_reason(
    org, tam_tru, desk_vinhphu, friday_16h
):
    slip = intake_incomplete(
        actor=org["tiepnhan.vinhphu"],
        desk=desk_vinhphu,
        procedure_version=tam_tru,
        applicant=dict(CITIZEN),
        missing=["Giấy tờ chứng minh chỗ ở hợp pháp"],
        note="Mang theo bản chính để đối chiếu",
    )
    text = text_of(printing.render_intake_slip(slip))
    assert "Lý do: Hồ sơ còn thiếu hoặc chưa đúng thành phần" in text
    assert "Ghi chú: Mang theo bản chính để đối chiếu" in text
    assert "Lý do: Mang theo" not in text


def test_the_control_slip_notes_are_sentences(org, received, friday_16h):
    d = dossier_assign(
        actor=org["lanhdao.vinhphu"],
        dossier=received,
        version=received.version,
        handler=org["xuly.vinhphu"],
    )
    friday_16h.move_to(datetime(2026, 11, 27, 16, 30, tzinfo=VN_TZ))
    dossier_process(actor=org["xuly.vinhphu"], dossier=d, version=d.version, note="đã xác minh")
    _template, context = printing.form_context("control", d)
    assert context["rows"][-1]["note"] == "Đã xác minh"


def test_the_receipt_says_where_and_when_the_desk_receives(org, received):
    desk_edit_in_admin(
        org, received.desk, opening_hours="Sáng 7:30–11:30, chiều 13:30–17:00", phone="0238 3511"
    )
    text = text_of(printing.render_dossier_form("receipt", received))
    # The QR code's caption sits beside the line's wrapped end in the extracted text.
    assert "6. Nơi nhận kết quả: Bộ phận một cửa Công an phường" in text
    assert "Vinh Phú, Phường Vinh Phú, Nghệ An" in text
    # The line wraps where the layout likes (even after a dash): compare without spaces.
    squeezed = text.replace(" ", "")
    assert "(điệnthoại02383511);giờtiếpnhận:Sáng7:30–11:30,chiều13:30–17:00." in squeezed


def test_the_handler_is_asked_for_the_reason_the_supplement_request_prints(client, org, received):
    dossier_assign(
        actor=org["lanhdao.vinhphu"],
        dossier=received,
        version=received.version,
        handler=org["xuly.vinhphu"],
    )
    html = html_of(staff(client, org, "xuly.vinhphu"), f"/can-bo/ho-so/{received.code}/")
    assert 'data-action="request_supplement"' in html
    assert "Lý do, hướng dẫn cho công dân" in html
