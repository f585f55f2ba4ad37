"""The apology's new date must be a working instant of the handling unit, later than now and
than the legal due; a date alone means the end of that day's last session. Nonsense gets a
clear Vietnamese error and changes nothing. Now: 16:00 Friday 27/11/2026; legal due 09:30
Monday 30/11 (Công an phường Vinh Phú: 07:30–11:30, 13:30–17:00, Monday to Friday)."""

import re
from datetime import datetime

import pytest

from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import apology_preview, dossier_apologise
from motcua.worktime.core import VN_TZ


def vn(*args):
    return datetime(*args, tzinfo=VN_TZ)


@pytest.fixture
def leader(org):
    return org["lanhdao.vinhphu"]


def apologise(dossier, leader, new_due):
    return dossier_apologise(
        actor=leader, dossier=dossier, version=dossier.version, new_due=new_due, reason="Chờ"
    )


def test_a_date_without_a_time_means_the_end_of_its_last_session(received, leader):
    assert apology_preview(actor=leader, dossier=received, new_due="2/12/2026", reason="Chờ") == vn(
        2026, 12, 2, 17, 0
    )
    d = apologise(received, leader, "02/12/2026")
    assert d.extended_due_at == vn(2026, 12, 2, 17, 0)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("06/12/2026 10:00", "Ngày 06/12/2026 (Chủ nhật) không phải ngày làm việc của đơn vị."),
        ("05/12/2026", "Ngày 05/12/2026 (thứ Bảy) không phải ngày làm việc của đơn vị."),
        ("02/12/2026 12:15", "12:15 ngày 02/12/2026 ngoài giờ làm việc của đơn vị"),
        ("02/12/2026 00:00", "00:00 ngày 02/12/2026 ngoài giờ làm việc"),
        ("30/11/2026 09:00", "Ngày hẹn mới phải sau hạn giải quyết 09:30 30/11/2026."),
        ("27/11/2026 15:00", "Ngày hẹn mới phải sau thời điểm hiện tại."),
        ("31/12/9999 10:00", "Ngày hẹn mới quá xa: chỉ được hẹn lại trong vòng 365 ngày tới."),
        ("9999-12-31", "Ngày hẹn mới quá xa"),
        ("0001-01-01T00:00+14:00", "Ngày hẹn mới không hợp lệ"),
        ("31/02/2026", "Ngày hẹn mới không hợp lệ; nhập theo dạng dd/mm/yyyy HH:MM."),
        ("thứ hai tuần sau", "Ngày hẹn mới không hợp lệ"),
        ("", "Vui lòng nhập ngày hẹn trả mới."),
    ],
)
def test_nonsense_is_refused_with_a_clear_message_and_nothing_changes(
    received, leader, typed, message
):
    with pytest.raises(InvalidInput) as refused:
        apology_preview(actor=leader, dossier=received, new_due=typed, reason="Chờ")
    assert message in refused.value.fields["new_due"]
    with pytest.raises(InvalidInput, match=re.escape(message)):
        apologise(received, leader, typed)
    fresh = Dossier.objects.get(pk=received.pk)
    assert (fresh.version, fresh.extended_due_at) == (received.version, None)


def test_the_end_of_a_session_is_a_working_instant(received, leader):
    d = apologise(received, leader, "11:30 01/12/2026")
    assert d.extended_due_at == vn(2026, 12, 1, 11, 30)


def test_an_exact_instant_from_the_api_is_checked_the_same_way(received, leader):
    with pytest.raises(InvalidInput, match="Chủ nhật"):
        apologise(received, leader, vn(2026, 12, 6, 10, 0))
    d = apologise(received, leader, "2026-12-01T03:00:00+00:00")  # 10:00 in Vietnam
    assert d.extended_due_at == vn(2026, 12, 1, 10, 0)


def test_a_missing_reason_and_a_bad_date_are_both_named(received, leader):
    with pytest.raises(InvalidInput) as refused:
        apology_preview(actor=leader, dossier=received, new_due="06/12/2026", reason=" ")
    assert set(refused.value.fields) == {"new_due", "reason"}
    assert refused.value.fields["reason"] == "Vui lòng ghi lý do chậm trễ."
