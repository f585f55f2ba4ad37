from datetime import datetime, timedelta

import pytest
import time_machine

from motcua.dossiers.errors import InvalidState, NotAllowed, StaleVersion
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.services import (
    allowed_actions,
    dossier_apologise,
    dossier_approve,
    dossier_assign,
    dossier_process,
    dossier_receive,
    dossier_receive_supplement,
    dossier_record_payment,
    dossier_request_supplement,
    dossier_return,
    dossier_stop,
    dossier_submit,
    dossier_transfer,
)
from motcua.worktime.core import VN_TZ
from tests.dossiers.stories import all_documents, approved, publish


def vn(*args):
    return datetime(*args, tzinfo=VN_TZ)


def test_the_whole_story_from_receipt_to_return(org, received, friday_16h):
    leader, handler, desk = org["lanhdao.vinhphu"], org["xuly.vinhphu"], org["tiepnhan.vinhphu"]
    assert allowed_actions(desk, received) == ["stop", "record_payment"]
    assert "assign" in allowed_actions(leader, received)

    d = dossier_assign(actor=leader, dossier=received, version=received.version, handler=handler)
    d = dossier_process(actor=handler, dossier=d, version=d.version, note="Đã xác minh nơi ở")
    friday_16h.move_to(vn(2026, 11, 30, 8, 0))
    d = dossier_submit(actor=handler, dossier=d, version=d.version, result="Đã đăng ký tạm trú")
    d = dossier_approve(actor=leader, dossier=d, version=d.version)
    d = dossier_record_payment(
        actor=desk, dossier=d, version=d.version, amount=15000, channel="cash"
    )
    d = dossier_return(actor=desk, dossier=d, version=d.version, method="desk")

    assert d.status == Status.RETURNED
    assert d.finished_on_time is True and d.returned_early is True
    assert [a.action for a in d.actions.all()] == [
        "receive",
        "assign",
        "process",
        "submit",
        "approve",
        "record_payment",
        "return",
    ]
    assert d.result_summary == "Đã đăng ký tạm trú"
    assert d.version == 7


def test_no_result_leaves_the_desk_before_its_fee_is_recorded(org, received, friday_16h):
    leader, handler, desk = org["lanhdao.vinhphu"], org["xuly.vinhphu"], org["tiepnhan.vinhphu"]
    d = dossier_assign(actor=leader, dossier=received, version=received.version, handler=handler)
    d = approved(d, handler=handler, leader=leader)
    assert allowed_actions(desk, d) == ["record_payment"]  # no "return" button yet

    with pytest.raises(InvalidState, match="chưa được ghi nhận nộp phí, lệ phí \\(15.000 đồng\\)"):
        dossier_return(actor=desk, dossier=d, version=d.version, method="desk")
    assert Dossier.objects.get(pk=d.pk).status == Status.RESULT_READY

    # An exempt applicant: the officer records the exemption and its reason; the result can go.
    d = dossier_record_payment(
        actor=desk, dossier=d, version=d.version, exempt=True, exempt_reason="Hộ nghèo"
    )
    assert "return" in allowed_actions(desk, d)
    d = dossier_return(actor=desk, dossier=d, version=d.version, method="desk")
    assert d.status == Status.RETURNED and d.fee_amount == 15000 and d.fee_exempt


def test_a_stale_version_is_refused_and_changes_nothing(org, received):
    leader = org["lanhdao.vinhphu"]
    dossier_assign(
        actor=leader, dossier=received, version=received.version, handler=org["xuly.vinhphu"]
    )
    with pytest.raises(StaleVersion):
        dossier_assign(
            actor=leader, dossier=received, version=received.version, handler=org["lanhdao.vinhphu"]
        )
    fresh = Dossier.objects.get(pk=received.pk)
    assert fresh.handler == org["xuly.vinhphu"]
    assert fresh.actions.count() == 2


def test_a_sibling_communes_leader_cannot_act(org, received):
    with pytest.raises(NotAllowed):
        dossier_assign(
            actor=org["lanhdao.thanhvinh"],
            dossier=received,
            version=received.version,
            handler=org["xuly.thanhvinh"],
        )
    assert allowed_actions(org["lanhdao.thanhvinh"], received) == []


def test_actions_from_the_wrong_state_are_refused(org, received):
    with pytest.raises(InvalidState, match="trạng thái"):
        dossier_return(actor=org["tiepnhan.vinhphu"], dossier=received, version=received.version)


def test_a_supplement_request_pauses_the_clock_and_restarts_it_from_zero(org, received, friday_16h):
    leader, handler = org["lanhdao.vinhphu"], org["xuly.vinhphu"]
    d = dossier_assign(actor=leader, dossier=received, version=received.version, handler=handler)
    friday_16h.move_to(vn(2026, 11, 30, 8, 0))  # 90 of 180 minutes used
    d = dossier_request_supplement(
        actor=handler,
        dossier=d,
        version=d.version,
        items=["Bản sao hợp đồng thuê nhà có công chứng"],
    )
    assert d.status == Status.SUPPLEMENT and d.supplement_late is False

    friday_16h.move_to(vn(2026, 12, 2, 14, 0))  # the citizen comes back two days later
    d = dossier_receive_supplement(actor=org["tiepnhan.vinhphu"], dossier=d, version=d.version)

    assert d.status == Status.PROCESSING
    assert d.due_at == vn(2026, 12, 2, 17, 0)  # a full 180 minutes again from 14:00
    assert d.original_due_at == vn(2026, 11, 30, 9, 30)


def test_a_supplement_request_later_than_3_working_days_is_flagged(org, received, friday_16h):
    v = publish(org, "1.000001", name="Cấp giấy xác nhận", time_value=10, time_unit="working_days")
    d = dossier_receive(
        actor=org["tiepnhan.vinhphu"],
        desk=received.desk,
        procedure_version=v,
        applicant={"name": "Lê Văn Tám", "id_number": "040085000111"},
        checklist=all_documents(),
    )
    d = dossier_assign(
        actor=org["lanhdao.vinhphu"], dossier=d, version=d.version, handler=org["xuly.vinhphu"]
    )
    friday_16h.move_to(vn(2026, 12, 3, 9, 0))  # Thursday: 3 working days after Friday 16:00 + 1h
    d = dossier_request_supplement(
        actor=org["xuly.vinhphu"], dossier=d, version=d.version, items=["Bản sao giấy khai sinh"]
    )
    assert d.supplement_late is True


def test_apology_gives_a_new_appointment_once_and_keeps_the_legal_due(org, received, friday_16h):
    leader = org["lanhdao.vinhphu"]
    new_due = vn(2026, 12, 1, 10, 0)
    d = dossier_apologise(
        actor=leader,
        dossier=received,
        version=received.version,
        new_due=new_due,
        reason="Chờ xác minh của Công an phường Thành Vinh",
    )
    assert d.extended_due_at == d.appointment_at == new_due
    # On time is still judged against the due the law sets.
    assert d.due_at == d.original_due_at == vn(2026, 11, 30, 9, 30)
    assert d.apology_late is True  # less than one working day before the deadline

    with pytest.raises(InvalidState, match="một lần"):
        dossier_apologise(
            actor=leader,
            dossier=d,
            version=d.version,
            new_due=new_due + timedelta(days=1),
            reason="Lần hai",
        )


def test_only_a_leader_may_apologise(org, received):
    with pytest.raises(NotAllowed):
        dossier_apologise(
            actor=org["xuly.vinhphu"],
            dossier=received,
            version=received.version,
            new_due=vn(2026, 12, 1, 10, 0),
            reason="Chậm",
        )


def test_the_applicant_may_withdraw_before_a_result_exists(org, received):
    d = dossier_stop(
        actor=org["tiepnhan.vinhphu"],
        dossier=received,
        version=received.version,
        reason="Công dân xin rút hồ sơ",
    )
    assert d.status == Status.STOPPED and d.finished_at is not None
    assert allowed_actions(org["lanhdao.vinhphu"], d) == []


def test_paper_sent_up_after_15h_is_due_next_morning_and_flagged_late(org, friday_16h):
    # A commune desk receives a PC06 procedure: the paper goes to the provincial department.
    v = publish(
        org,
        "1.000002",
        name="Cấp đổi thẻ căn cước",
        handling_units=["PC06"],
        time_value=7,
        time_unit="working_days",
    )
    d = dossier_receive(
        actor=org["tiepnhan.vinhphu"],
        desk=org.units["VINHPHU"].desks.get(),
        procedure_version=v,
        applicant={"name": "Hồ Thị Na", "id_number": "040301000222"},
        checklist=all_documents(),
    )
    assert d.status == Status.RECEIVED and d.handling_unit.code == "PC06"
    assert d.transfer_due_at == vn(2026, 11, 30, 11, 30)

    with time_machine.travel(vn(2026, 11, 30, 14, 0), tick=False):
        d = dossier_transfer(
            actor=org["tiepnhan.vinhphu"], dossier=d, version=d.version, mode="paper"
        )
    assert d.status == Status.ASSIGNING and d.transfer_late is True
    assert "assign" in allowed_actions(org["lanhdao.pc06"], d)
    assert "assign" not in allowed_actions(org["lanhdao.vinhphu"], d)


def test_no_second_apology_is_offered_after_the_first(org, received):
    leader = org["lanhdao.vinhphu"]
    assert "apologise" in allowed_actions(leader, received)
    d = dossier_apologise(
        actor=leader,
        dossier=received,
        version=received.version,
        new_due=vn(2026, 12, 1, 10, 0),
        reason="Chờ xác minh",
    )
    assert "apologise" not in allowed_actions(leader, d)
