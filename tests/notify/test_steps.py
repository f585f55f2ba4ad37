"""Every step that concerns the applicant writes its notices in the step's own transaction;
staff-only steps write none. Driven through the real dossier services."""

import pytest
from django.conf import settings
from django.db import transaction

from motcua.dossiers.models import Dossier, DossierAction
from motcua.dossiers.services import (
    dossier_apologise,
    dossier_assign,
    dossier_process,
    dossier_receive,
    dossier_receive_supplement,
    dossier_record_payment,
    dossier_refuse,
    dossier_request_supplement,
    dossier_return,
    dossier_send_back,
    dossier_stop,
    dossier_submit,
)
from motcua.notify.models import Notice, NoticeStatus
from motcua.notify.selectors import notices_for_citizen
from motcua.notify.services import notices_for_action
from tests.dossiers.stories import CITIZEN, all_documents, approved

EMAIL, PHONE = CITIZEN["email"], CITIZEN["phone"]


def told(dossier):
    """(event, channel, address) of every notice of the dossier, in the order written."""
    return [
        (n.event, n.channel, n.address)
        for n in Notice.objects.filter(dossier=dossier).order_by("id")
    ]


def both(event):
    return [(event, "email", EMAIL), (event, "sms", PHONE)]


def link(d):
    return f"{settings.PUBLIC_BASE_URL}/tra-cuu/{d.code}/"


@pytest.fixture
def people(org):
    return {
        "desk": org["tiepnhan.vinhphu"],
        "leader": org["lanhdao.vinhphu"],
        "handler": org["xuly.vinhphu"],
    }


def assigned(d, people):
    return dossier_assign(
        actor=people["leader"], dossier=d, version=d.version, handler=people["handler"]
    )


def test_it_sends_the_e_receipt_by_email_and_sms_when_a_counter_dossier_is_received(received):
    assert told(received) == both("receive")
    mail = Notice.objects.get(dossier=received, channel="email")
    sms = Notice.objects.get(dossier=received, channel="sms")
    # Received Friday 16:00; 180 working minutes: 60 on Friday, 120 from 07:30 on Monday.
    assert mail.subject == f"Hồ sơ {received.code} đã được tiếp nhận"
    for needed in (
        f"Mã hồ sơ: {received.code}",
        "Thủ tục: Đăng ký tạm trú",
        "Tiếp nhận lúc: 16:00 ngày 27/11/2026",
        "Hẹn trả kết quả: 09:30 ngày 30/11/2026",
        "Phí, lệ phí: 15.000",
        link(received),
    ):
        assert needed in mail.text
    assert sms.text == (
        f"Hồ sơ {received.code} đã được tiếp nhận. Hẹn trả kết quả: 09:30 ngày 30/11/2026. "
        f"Tra cứu: {link(received)}"
    )
    for notice in (mail, sms):
        assert notice.status == NoticeStatus.PENDING and notice.attempts == 0
        assert notice.link == link(received)
        # Nothing personal, and not the tracking secret (it stays on the paper receipt).
        for secret in ("Nguyễn Thị Lan", CITIZEN["id_number"], received.tracking_secret):
            assert secret not in notice.text


def test_only_the_steps_that_concern_the_applicant_tell_them(received, people):
    d = assigned(received, people)
    d = dossier_process(actor=people["handler"], dossier=d, version=d.version, note="Thẩm định")
    assert told(d) == both("receive")  # assignment and processing are internal

    d = dossier_request_supplement(
        actor=people["handler"],
        dossier=d,
        version=d.version,
        items=["Bản sao sổ đỏ", "Văn bản đồng ý của chủ hộ"],
    )
    asked = Notice.objects.get(dossier=d, event="request_supplement", channel="email")
    assert "- Bản sao sổ đỏ\n- Văn bản đồng ý của chủ hộ\n" in asked.text
    sms = Notice.objects.get(dossier=d, event="request_supplement", channel="sms")
    assert "cần bổ sung 2 giấy tờ: Bản sao sổ đỏ; Văn bản đồng ý của chủ hộ." in sms.text

    d = dossier_receive_supplement(actor=people["desk"], dossier=d, version=d.version)
    d = dossier_submit(actor=people["handler"], dossier=d, version=d.version, result="Dự thảo")
    d = dossier_send_back(actor=people["leader"], dossier=d, version=d.version, reason="Sửa")
    d = approved(d, handler=people["handler"], leader=people["leader"])
    ready = Notice.objects.get(dossier=d, event="approve", channel="sms")
    assert ready.text.startswith(f"Hồ sơ {d.code} đã có kết quả, chờ trả kết quả.")
    assert "Phí, lệ phí còn phải nộp: 15.000" in ready.text

    d = dossier_record_payment(
        actor=people["desk"], dossier=d, version=d.version, amount=15000, channel="cash"
    )
    d = dossier_return(actor=people["desk"], dossier=d, version=d.version)

    # 11 steps (receive, assign, process, supplement asked and received, submit, send back,
    # submit, approve, payment, return), 4 of them for the applicant, 2 notices each.
    assert DossierAction.objects.filter(dossier=d).count() == 11
    assert told(d) == [
        *both("receive"),
        *both("request_supplement"),
        *both("approve"),
        *both("return"),
    ]


def test_a_refusal_tells_the_reason(received, people):
    d = dossier_refuse(
        actor=people["leader"],
        dossier=received,
        version=received.version,
        reasons="Chỗ ở không hợp pháp",
    )
    assert told(d) == [*both("receive"), *both("refuse")]
    sms = Notice.objects.get(dossier=d, event="refuse", channel="sms")
    assert sms.text == (
        f"Hồ sơ {d.code} bị từ chối giải quyết. Lý do: Chỗ ở không hợp pháp. Tra cứu: {link(d)}"
    )


def test_a_stop_tells_the_reason(received, people):
    d = dossier_stop(
        actor=people["desk"], dossier=received, version=received.version, reason="Xin rút hồ sơ"
    )
    assert told(d) == [*both("receive"), *both("stop")]
    assert (
        "Lý do: Xin rút hồ sơ" in Notice.objects.get(dossier=d, event="stop", channel="email").text
    )


def test_an_apology_tells_the_new_date(received, people):
    d = dossier_apologise(
        actor=people["leader"],
        dossier=received,
        version=received.version,
        new_due="02/12/2026",
        reason="Chờ xác minh",
    )
    assert told(d) == [*both("receive"), *both("apologise")]
    mail = Notice.objects.get(dossier=d, event="apologise", channel="email")
    # A date alone is the end of that day's last session.
    assert "Ngày hẹn trả kết quả mới: 17:00 ngày 02/12/2026" in mail.text
    assert "Lý do: Chờ xác minh" in mail.text


def test_a_citizen_account_also_gets_the_notice_in_the_app(received, people, lan_account, org):
    Dossier.objects.filter(pk=received.pk).update(submitted_by=lan_account)
    d = dossier_refuse(
        actor=people["leader"], dossier=received, version=received.version, reasons="Thiếu"
    )
    assert told(d)[-3:] == [
        ("refuse", "in_app", ""),
        *both("refuse"),
    ]
    in_app = Notice.objects.get(dossier=d, channel="in_app")
    assert in_app.status == NoticeStatus.SENT and in_app.sent_at is not None
    assert in_app.read_at is None and in_app.user == lan_account
    # The list shows the link as a link: the text leaves it out (the SMS carries it).
    assert in_app.text == f"Hồ sơ {d.code} bị từ chối giải quyết. Lý do: Thiếu."
    assert in_app.link == link(d)
    assert [n.pk for n in notices_for_citizen(lan_account)] == [in_app.pk]
    # Nobody else reads it: another citizen, a member of staff.
    from motcua.portal.citizens import citizen_upsert

    other = citizen_upsert(id_number="001099000001", full_name="Lê Văn Nam")
    assert list(notices_for_citizen(other)) == []
    assert list(notices_for_citizen(org["tiepnhan.vinhphu"])) == []


def test_sms_can_be_turned_off_for_a_deployment(org, tam_tru, desk_vinhphu, friday_16h, settings):
    settings.NOTIFY_SMS = False
    d = dossier_receive(
        actor=org["tiepnhan.vinhphu"],
        desk=desk_vinhphu,
        procedure_version=tam_tru,
        applicant=dict(CITIZEN),
        checklist=all_documents(),
    )
    assert told(d) == [("receive", "email", EMAIL)]


def test_an_applicant_without_contact_details_is_told_nothing(
    org, tam_tru, desk_vinhphu, friday_16h
):
    d = dossier_receive(
        actor=org["tiepnhan.vinhphu"],
        desk=desk_vinhphu,
        procedure_version=tam_tru,
        applicant={**CITIZEN, "email": "", "phone": ""},
        checklist=all_documents(),
    )
    assert told(d) == []


def test_a_rolled_back_step_leaves_no_notice(received, people):
    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        dossier_refuse(
            actor=people["leader"], dossier=received, version=received.version, reasons="Thiếu"
        )
        assert len(told(received)) == 4  # written inside the step's transaction...
        raise Undo
    assert told(received) == both("receive")  # ...and gone with it
    assert Dossier.objects.get(pk=received.pk).status == "assigning"


def test_a_step_announced_twice_is_told_once(received):
    action = DossierAction.objects.get(dossier=received, action="receive")
    notices_for_action(sender=DossierAction, action=action, dossier=received)
    assert told(received) == both("receive")


def test_the_message_is_vietnamese_whatever_language_the_officer_reads(received, people):
    from django.utils import translation

    with translation.override("en"):
        d = dossier_stop(
            actor=people["desk"], dossier=received, version=received.version, reason="Rút"
        )
    mail = Notice.objects.get(dossier=d, event="stop", channel="email")
    assert mail.subject == f"Hồ sơ {d.code} đã dừng giải quyết"
    assert mail.text.startswith("Kính gửi ông/bà,")


def test_the_demo_history_is_seeded_without_telling_anyone(received, people):
    from motcua.notify.services import notices_suppressed

    with notices_suppressed():
        d = dossier_stop(
            actor=people["desk"], dossier=received, version=received.version, reason="Rút"
        )
    assert told(d) == both("receive")
    # Afterwards every step is told again.
    d2 = dossier_receive(
        actor=people["desk"],
        desk=received.desk,
        procedure_version=received.procedure_version,
        applicant=dict(CITIZEN),
        checklist=all_documents(),
    )
    assert told(d2) == both("receive")


def test_an_account_s_contact_details_serve_when_the_dossier_has_none(
    org, tam_tru, desk_vinhphu, friday_16h, lan_account, people
):
    d = dossier_receive(
        actor=people["desk"],
        desk=desk_vinhphu,
        procedure_version=tam_tru,
        applicant={**CITIZEN, "email": "", "phone": ""},
        checklist=all_documents(),
    )
    Dossier.objects.filter(pk=d.pk).update(submitted_by=lan_account)
    d.refresh_from_db()
    d = dossier_stop(actor=people["desk"], dossier=d, version=d.version, reason="Rút")
    assert told(d) == [
        ("stop", "in_app", ""),
        ("stop", "email", lan_account.email),
        ("stop", "sms", lan_account.phone),
    ]


def test_only_a_citizen_account_gets_in_app_notices(received, people):
    # A dossier wrongly marked as submitted by a member of staff: no in-app notice for them.
    Dossier.objects.filter(pk=received.pk).update(submitted_by=people["desk"])
    d = dossier_stop(actor=people["desk"], dossier=received, version=received.version, reason="Rút")
    assert told(d) == [*both("receive"), *both("stop")]
