"""The handler submits the draft result ("chờ phê duyệt"); only then may a leader approve it or
send it back with a reason. A leader who assigned the dossier to themselves does both."""

from datetime import datetime

import pytest

from motcua.dossiers.errors import InvalidInput, InvalidState, NotAllowed
from motcua.dossiers.models import DeadlineFlag, Dossier, Notification, Status
from motcua.dossiers.selectors import queue_counts
from motcua.dossiers.services import (
    allowed_actions,
    dossier_approve,
    dossier_assign,
    dossier_send_back,
    dossier_submit,
)
from motcua.dossiers.watch import deadline_watch
from motcua.worktime.core import VN_TZ


@pytest.fixture
def leader(org):
    return org["lanhdao.vinhphu"]


@pytest.fixture
def handler(org):
    return org["xuly.vinhphu"]


@pytest.fixture
def assigned(received, leader, handler):
    return dossier_assign(actor=leader, dossier=received, version=received.version, handler=handler)


def submit(d, handler, result="Đã đăng ký tạm trú"):
    return dossier_submit(actor=handler, dossier=d, version=d.version, result=result)


def test_it_refuses_to_approve_a_dossier_nobody_submitted(assigned, leader):
    assert "approve" not in allowed_actions(leader, assigned)
    with pytest.raises(InvalidState, match="đang xử lý"):
        dossier_approve(actor=leader, dossier=assigned, version=assigned.version, result="Đồng ý")
    fresh = Dossier.objects.get(pk=assigned.pk)
    assert (fresh.status, fresh.version, fresh.result_summary) == (Status.PROCESSING, 2, "")


def test_the_handler_submits_and_the_leader_approves_the_draft(assigned, leader, handler):
    assert "submit" in allowed_actions(handler, assigned)
    d = submit(assigned, handler)
    assert d.status == Status.PENDING_APPROVAL and d.result_summary == "Đã đăng ký tạm trú"
    assert Notification.objects.filter(user=leader, key__startswith="submitted:").exists()
    assert allowed_actions(handler, d) == []
    assert {"approve", "send_back", "refuse"} <= set(allowed_actions(leader, d))

    d = dossier_approve(actor=leader, dossier=d, version=d.version)
    assert d.status == Status.RESULT_READY and d.result_summary == "Đã đăng ký tạm trú"


def test_only_the_assigned_handler_submits(assigned, leader):
    # The leader may process (the role has the capability) but did not take this dossier.
    assert "submit" not in allowed_actions(leader, assigned)
    with pytest.raises(NotAllowed, match="cán bộ được phân công"):
        submit(assigned, leader)
    assert Dossier.objects.get(pk=assigned.pk).status == Status.PROCESSING


def test_the_leader_sends_the_draft_back_with_a_reason(assigned, leader, handler):
    d = submit(assigned, handler)
    with pytest.raises(InvalidInput, match="lý do"):
        dossier_send_back(actor=leader, dossier=d, version=d.version, reason="  ")
    d = dossier_send_back(
        actor=leader, dossier=d, version=d.version, reason="Thiếu xác nhận của chủ hộ"
    )
    assert d.status == Status.PROCESSING
    assert d.actions.last().note == "Thiếu xác nhận của chủ hộ"
    assert Notification.objects.filter(user=handler, key__startswith="sent_back:").exists()
    assert "approve" not in allowed_actions(leader, d)
    assert "submit" in allowed_actions(handler, d)


def test_a_leader_who_assigned_themselves_submits_and_approves(received, leader):
    d = dossier_assign(actor=leader, dossier=received, version=received.version, handler=leader)
    d = submit(d, leader)
    d = dossier_approve(actor=leader, dossier=d, version=d.version)
    assert d.status == Status.RESULT_READY


def test_waiting_for_approval_has_its_queue_and_its_clock_keeps_running(
    assigned, leader, handler, friday_16h
):
    d = submit(assigned, handler)
    assert queue_counts(leader)["to_approve"] == 1
    assert queue_counts(leader)["in_progress"] == 0
    friday_16h.move_to(datetime(2026, 11, 30, 9, 31, tzinfo=VN_TZ))
    assert deadline_watch().overdue == 1
    assert Dossier.objects.get(pk=d.pk).deadline_flag == DeadlineFlag.OVERDUE
    assert queue_counts(leader)["overdue"] == 1
