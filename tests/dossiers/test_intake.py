import re
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.audit.models import AuditEntry
from motcua.dossiers.errors import InvalidInput, NotAllowed
from motcua.dossiers.models import Dossier, DossierFile, IntakeSlip, Status
from motcua.dossiers.services import dossier_receive, intake_incomplete, intake_refuse
from motcua.worktime.core import VN_TZ
from tests.dossiers.stories import all_documents

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_it_receives_a_180_minute_dossier_on_friday_afternoon_due_monday_morning(received):
    assert received.status == Status.ASSIGNING  # Vinh Phú handles it itself: no transfer
    assert received.due_at == datetime(2026, 11, 30, 9, 30, tzinfo=VN_TZ)
    assert re.fullmatch(r"000\.84\.15\.H40-261127-0001", received.code)
    assert len(received.tracking_secret) == 8
    assert received.fee_amount == 15000
    assert [a.action for a in received.actions.all()] == ["receive"]
    assert AuditEntry.objects.filter(action="dossier.receive", object_id=str(received.pk)).exists()


def test_the_units_active_leaders_are_told_once_in_app_and_by_email(
    org, tam_tru, desk_vinhphu, citizen, friday_16h, mailoutbox, django_capture_on_commit_callbacks
):
    from motcua.dossiers.models import Notification
    from motcua.org.models import User
    from motcua.org.roles import Role

    leader = org["lanhdao.vinhphu"]
    leader.email = "hai.nv@congan.nghean.gov.vn"
    leader.save()
    deputy = User.objects.create(
        username="pho.vinhphu", unit=leader.unit, role=Role.LEADER, is_active=False
    )

    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_receive(
            actor=org["tiepnhan.vinhphu"],
            desk=desk_vinhphu,
            procedure_version=tam_tru,
            applicant=citizen,
            checklist=all_documents(),
        )

    notices = Notification.objects.filter(dossier=dossier)
    assert [(n.user, n.key) for n in notices] == [(leader, f"assign:{dossier.code}")]
    assert "chờ phân công xử lý" in notices[0].message
    assert not Notification.objects.filter(user=deputy).exists()  # left the post: not told
    # Staff mail only: the applicant's own e-receipt goes out too (notify), to their address.
    staff_mail = [m for m in mailoutbox if m.to != [citizen["email"]]]
    assert [m.to for m in staff_mail] == [["hai.nv@congan.nghean.gov.vn"]]
    assert dossier.code in staff_mail[0].subject


def test_codes_count_per_unit_per_day(org, tam_tru, desk_vinhphu, citizen, friday_16h):
    codes = [
        dossier_receive(
            actor=org["tiepnhan.vinhphu"],
            desk=desk_vinhphu,
            procedure_version=tam_tru,
            applicant=citizen,
            checklist=all_documents(),
        ).code
        for _ in range(3)
    ]
    assert [c[-4:] for c in codes] == ["0001", "0002", "0003"]


def test_it_refuses_to_receive_with_a_missing_mandatory_document(
    org, tam_tru, desk_vinhphu, citizen, friday_16h
):
    with pytest.raises(InvalidInput, match="Giấy tờ chứng minh chỗ ở hợp pháp"):
        dossier_receive(
            actor=org["tiepnhan.vinhphu"],
            desk=desk_vinhphu,
            procedure_version=tam_tru,
            applicant=citizen,
            checklist=["Tờ khai thay đổi thông tin cư trú (CT01)"],
        )
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", "04019001234", "đúng 12 chữ số"),
        ("id_number", "003190012345", "Mã tỉnh"),  # 003 is no province
        ("id_number", "040390012345", "tương lai"),  # born 2190
        ("phone", "12ab", "Số điện thoại"),
        ("email", "khong-phai-email", "thư điện tử"),
        ("name", "", "họ tên"),
    ],
)
def test_bad_applicant_fields_get_vietnamese_messages(
    org, tam_tru, desk_vinhphu, citizen, friday_16h, field, value, message
):
    citizen[field] = value
    with pytest.raises(InvalidInput) as error:
        dossier_receive(
            actor=org["tiepnhan.vinhphu"],
            desk=desk_vinhphu,
            procedure_version=tam_tru,
            applicant=citizen,
            checklist=all_documents(),
        )
    assert message in error.value.fields[field]
    assert not Dossier.objects.exists()


def test_scans_are_stored_with_their_hash(org, tam_tru, desk_vinhphu, citizen, friday_16h):
    dossier = dossier_receive(
        actor=org["tiepnhan.vinhphu"],
        desk=desk_vinhphu,
        procedure_version=tam_tru,
        applicant=citizen,
        checklist=all_documents(),
        files=[SimpleUploadedFile("to-khai.pdf", PDF), SimpleUploadedFile("so-do.png", PNG)],
    )
    stored = {f.name: f for f in dossier.files.all()}
    assert set(stored) == {"to-khai.pdf", "so-do.png"}
    assert stored["to-khai.pdf"].content_type == "application/pdf"
    assert stored["to-khai.pdf"].file.read() == PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00 this is an exe", "không phải PDF"),
        ("to-khai.pdf", b"%PDF-" + b"0" * (2 * 1024 * 1024), "quá lớn"),
        ("rong.png", b"", "rỗng"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(
    org, tam_tru, desk_vinhphu, citizen, friday_16h, settings, name, content, message
):
    settings.DOSSIER_MAX_UPLOAD_BYTES = 1024 * 1024
    with pytest.raises(InvalidInput, match=message):
        dossier_receive(
            actor=org["tiepnhan.vinhphu"],
            desk=desk_vinhphu,
            procedure_version=tam_tru,
            applicant=citizen,
            checklist=all_documents(),
            files=[SimpleUploadedFile("ok.pdf", PDF), SimpleUploadedFile(name, content)],
        )
    assert not Dossier.objects.exists()
    assert not DossierFile.objects.exists()


def test_a_sibling_commune_receptionist_cannot_receive_at_vinh_phu(
    org, tam_tru, desk_vinhphu, citizen, friday_16h
):
    with pytest.raises(NotAllowed):
        dossier_receive(
            actor=org["tiepnhan.thanhvinh"],
            desk=desk_vinhphu,
            procedure_version=tam_tru,
            applicant=citizen,
            checklist=all_documents(),
        )


def test_a_handler_cannot_receive(org, tam_tru, desk_vinhphu, citizen, friday_16h):
    with pytest.raises(NotAllowed):
        dossier_receive(
            actor=org["xuly.vinhphu"],
            desk=desk_vinhphu,
            procedure_version=tam_tru,
            applicant=citizen,
            checklist=all_documents(),
        )


def test_incomplete_and_refused_visits_are_logged_with_numbered_slips(
    org, tam_tru, desk_vinhphu, citizen, friday_16h
):
    slip = intake_incomplete(
        actor=org["tiepnhan.vinhphu"],
        desk=desk_vinhphu,
        procedure_version=tam_tru,
        applicant=citizen,
        missing=["Giấy tờ chứng minh chỗ ở hợp pháp", "Văn bản đồng ý"],
    )
    refusal = intake_refuse(
        actor=org["tiepnhan.vinhphu"],
        desk=desk_vinhphu,
        procedure_version=tam_tru,
        applicant=citizen,
        reasons=["Địa chỉ không thuộc địa bàn phường Vinh Phú"],
    )

    assert slip.number == "VINHPHU-MC-BS-261127-001"
    assert refusal.number == "VINHPHU-MC-TC-261127-001"
    assert IntakeSlip.objects.count() == 2
    assert not Dossier.objects.exists()  # nothing is received
    with pytest.raises(InvalidInput):
        intake_incomplete(
            actor=org["tiepnhan.vinhphu"],
            desk=desk_vinhphu,
            procedure_version=tam_tru,
            applicant=citizen,
            missing=[],
        )
