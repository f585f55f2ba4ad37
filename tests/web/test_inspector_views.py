"""Inspectors read the logbooks of their whole subtree and the audit log; nobody else reads the
audit log, and nobody reads outside their subtree."""

from datetime import datetime

import pytest
from django.core.cache import cache

from motcua.audit.models import AuditEntry
from motcua.audit.services import audit_seal_all
from motcua.dossiers.services import dossier_receive
from motcua.worktime.core import VN_TZ
from tests.dossiers.stories import CITIZEN, all_documents, publish

LOGBOOK = "/can-bo/ho-so/so-theo-doi/toan-bo/"
AUDIT = "/can-bo/nhat-ky/"


@pytest.fixture(autouse=True)
def _fresh_cache(db):
    cache.clear()


@pytest.fixture
def three_desks(org, friday_16h):
    """One dossier each at Nghi Phú and Hưng Bình (Vinh), and one at Nghi Thạch (Nghi Lộc)."""
    tam_tru = publish(org, "1.004194")
    nghi_thach = publish(org, "1.004195", name="Đăng ký thường trú", handling_units=["NGHITHACH"])
    received = {}
    for unit, actor, version, name in [
        ("NGHIPHU", "tiepnhan.nghiphu", tam_tru, "Nguyễn Thị Lan"),
        ("HUNGBINH", "tiepnhan.hungbinh", tam_tru, "Trần Văn Bình"),
        ("NGHITHACH", "quantri", nghi_thach, "Lê Thị Thạch"),
    ]:
        received[unit] = dossier_receive(
            actor=org[actor],
            desk=org.units[unit].desks.get(),
            procedure_version=version,
            applicant={**CITIZEN, "name": name},
            checklist=all_documents(),
        )
    return received


def test_a_province_inspector_sees_every_desks_logbook_and_can_filter_by_unit(
    client, org, three_desks
):
    client.force_login(org["thanhtra"])
    html = client.get(LOGBOOK, {"tu": "27/11/2026", "den": "27/11/2026"}).content.decode()
    for dossier in three_desks.values():
        assert dossier.code in html
    assert "Bộ phận một cửa Công an xã Nghi Thạch" in html

    only = client.get(LOGBOOK, {"don_vi": "HUNGBINH", "tu": "27/11/2026", "den": "27/11/2026"})
    assert only.status_code == 200
    html = only.content.decode()
    assert three_desks["HUNGBINH"].code in html
    assert three_desks["NGHIPHU"].code not in html
    assert three_desks["NGHITHACH"].code not in html


def test_an_inspector_of_a_subtree_sees_only_its_desks(client, org, three_desks):
    client.force_login(org["thanhtra.vinh"])
    html = client.get(LOGBOOK, {"tu": "27/11/2026", "den": "27/11/2026"}).content.decode()
    assert three_desks["NGHIPHU"].code in html and three_desks["HUNGBINH"].code in html
    assert three_desks["NGHITHACH"].code not in html
    assert "Lê Thị Thạch" not in html

    outside = client.get(LOGBOOK, {"don_vi": "NGHITHACH"})
    assert outside.status_code == 422
    assert "Đơn vị không có trong phạm vi của bạn." in outside.content.decode()
    assert three_desks["NGHITHACH"].code not in outside.content.decode()


def test_the_wide_logbook_rejects_a_bad_period_in_vietnamese(client, org, three_desks):
    client.force_login(org["thanhtra"])
    response = client.get(LOGBOOK, {"tu": "28/11/2026", "den": "27/11/2026"})
    assert response.status_code == 422
    assert "Ngày kết thúc phải sau ngày bắt đầu." in response.content.decode()


def test_a_receptionist_cannot_open_the_audit_log(client, org):
    client.force_login(org["tiepnhan.nghiphu"])
    response = client.get(AUDIT)
    assert response.status_code == 403


def test_an_inspector_reads_the_audit_log_of_their_subtree_only(client, org, three_desks):
    client.force_login(org["thanhtra.vinh"])
    html = client.get(AUDIT).content.decode()
    assert "tiepnhan.nghiphu" in html and "tiepnhan.hungbinh" in html
    assert "quantri" not in html  # the sysadmin works at the provincial level, outside Vinh
    assert three_desks["NGHITHACH"].code not in html


def test_the_audit_log_filters_by_actor_action_and_date(client, org, three_desks):
    client.force_login(org["thanhtra"])
    by_actor = client.get(AUDIT, {"nguoi": "hungbinh"}).content.decode()
    assert "tiepnhan.hungbinh" in by_actor and "tiepnhan.nghiphu" not in by_actor

    by_action = client.get(AUDIT, {"hanh_dong": "dossier.receive"}).content.decode()
    assert by_action.count("<code>dossier.receive</code>") == 3
    assert "<code>catalog." not in by_action

    later = client.get(AUDIT, {"tu": "28/11/2026", "den": "30/11/2026"}).content.decode()
    assert "Không có bản ghi nào khớp điều kiện lọc." in later
    same_day = client.get(AUDIT, {"tu": "27/11/2026", "den": "27/11/2026"}).content.decode()
    assert "tiepnhan.nghiphu" in same_day

    bad = client.get(AUDIT, {"tu": "hôm qua", "hanh_dong": "khong.co"})
    assert bad.status_code == 422
    text = bad.content.decode()
    assert "Nhập ngày theo dạng dd/mm/yyyy." in text
    assert "Không có hành động này trong nhật ký." in text


def test_the_audit_log_pages_by_50(client, org, three_desks):
    for n in range(60):
        AuditEntry.objects.create(
            at=datetime(2026, 11, 27, 16, 0, tzinfo=VN_TZ),
            actor=org["tiepnhan.nghiphu"],
            actor_name="tiepnhan.nghiphu",
            action="test.page",
            object_repr=f"Dòng {n}",
        )
    client.force_login(org["thanhtra"])
    first = client.get(AUDIT, {"hanh_dong": "test.page"}).content.decode()
    assert "Dòng 59" in first and "Dòng 9<" not in first and "Trang 1/2" in first
    second = client.get(AUDIT, {"hanh_dong": "test.page", "trang": 2}).content.decode()
    assert "Dòng 9<" in second and "Dòng 59" not in second


def test_the_audit_log_shows_whether_the_chain_holds(client, org, three_desks):
    audit_seal_all()
    client.force_login(org["thanhtra"])
    assert "Chuỗi nhật ký toàn vẹn" in client.get(AUDIT).content.decode()

    # Someone with database access rewrites history.
    entry = AuditEntry.objects.filter(action="dossier.receive").order_by("seq").first()
    AuditEntry.objects.filter(pk=entry.pk).update(actor_name="nguoi.khac")

    html = client.get(AUDIT, {"kiem_tra": "1"}).content.decode()
    assert "Chuỗi nhật ký bị phá vỡ tại bản ghi số" in html
    assert "Chuỗi nhật ký toàn vẹn" not in html


def test_the_wide_logbook_says_when_a_period_has_no_dossier(client, org, three_desks):
    client.force_login(org["thanhtra"])
    html = client.get(LOGBOOK, {"tu": "01/11/2026", "den": "26/11/2026"}).content.decode()
    assert "Không có hồ sơ nào được tiếp nhận trong khoảng thời gian này." in html
