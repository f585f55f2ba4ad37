"""Each step of a feedback: who may take it, from which state, and what it leaves behind (the
feedback's own action log and the audit log)."""

import pytest

from motcua.audit.models import AuditEntry
from motcua.dossiers.errors import InvalidInput, InvalidState, NotAllowed
from motcua.feedback.models import Feedback, FeedbackAction, State
from motcua.feedback.services import (
    allowed_actions,
    feedback_answer,
    feedback_file,
    feedback_publish,
    feedback_rate,
    feedback_receive_info,
    feedback_reject,
    feedback_request_info,
)
from tests.feedback.conftest import COMPLAINT


def _log(fb):
    return list(FeedbackAction.objects.filter(feedback=fb).values_list("action", "to_state"))


def _audited(fb):
    return list(
        AuditEntry.objects.filter(object_type="feedback.feedback", object_id=str(fb.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_filing_about_a_dossier_gives_a_code_and_secret_and_goes_to_its_handling_unit(
    complaint, received
):
    assert complaint.code == "PAKN-261127-0001"
    assert len(complaint.secret) == 8
    assert complaint.dossier == received
    assert complaint.unit == received.handling_unit
    assert complaint.state == State.RECEIVED
    assert complaint.content == COMPLAINT
    assert _log(complaint) == [("file", "received")]
    assert _audited(complaint) == ["feedback.file"]


def test_codes_count_up_within_a_day(complaint):
    second = feedback_file(
        subject="unit",
        unit_code="THANHVINH",
        name="Lê Văn C",
        contact="0987654321",
        content="Nội dung thứ hai đủ dài.",
    )
    assert second.code == "PAKN-261127-0002"
    assert second.unit.code == "THANHVINH"


def test_a_procedure_feedback_goes_to_the_named_handling_unit_or_the_owner(org, tam_tru):
    code = tam_tru.procedure.code
    named = feedback_file(
        subject="procedure",
        procedure_code=code,
        unit_code="THANHVINH",
        name="A B",
        contact="0912000111",
        content="Thủ tục yêu cầu quá nhiều giấy tờ.",
    )
    owner = feedback_file(
        subject="procedure",
        procedure_code=code,
        unit_code="PC08",
        name="A B",
        contact="0912000111",
        content="Thủ tục yêu cầu quá nhiều giấy tờ.",
    )
    assert named.unit.code == "THANHVINH"
    assert owner.unit.code == "CANA"  # PC08 does not handle it: the owner answers


def test_reject_within_two_working_days(org, complaint, friday_16h):
    from tests.feedback.test_deadlines import vn

    friday_16h.move_to(vn(2026, 12, 1, 16, 0))
    fb = feedback_reject(actor=org["xuly.vinhphu"], feedback=complaint, reason="Trùng lặp.")
    assert (fb.state, fb.rejected_on_time, fb.due_at) == (State.REJECTED, True, None)
    assert fb.handled_on_time is True
    assert _log(fb)[-1] == ("reject", "rejected")
    assert _audited(fb)[-1] == "feedback.reject"
    with pytest.raises(InvalidState):
        feedback_answer(actor=org["xuly.vinhphu"], feedback=fb, answer="Muộn rồi.")


def test_reject_after_two_working_days_is_late(org, complaint, friday_16h):
    from tests.feedback.test_deadlines import vn

    friday_16h.move_to(vn(2026, 12, 1, 16, 1))
    fb = feedback_reject(actor=org["xuly.vinhphu"], feedback=complaint, reason="Trùng lặp.")
    assert fb.rejected_on_time is False


def test_ask_for_information_after_five_days_is_late(org, complaint, friday_16h):
    from tests.feedback.test_deadlines import vn

    friday_16h.move_to(vn(2026, 12, 4, 16, 1))
    fb = feedback_request_info(actor=org["xuly.vinhphu"], feedback=complaint, request="Ảnh?")
    assert fb.info_requested_on_time is False


def test_the_whole_happy_path_is_logged_and_audited(org, complaint):
    handler, leader = org["xuly.vinhphu"], org["lanhdao.vinhphu"]
    fb = feedback_request_info(actor=handler, feedback=complaint, request="Ngày hẹn trên giấy?")
    fb = feedback_receive_info(actor=handler, feedback=fb, reply="Công dân gọi điện: 30/11.")
    fb = feedback_answer(actor=handler, feedback=fb, answer="Kết quả đã có, mời nhận.")
    assert allowed_actions(handler, fb) == []  # publishing is the leader's
    assert allowed_actions(leader, fb) == ["publish"]
    fb = feedback_publish(
        actor=leader,
        feedback=fb,
        public_summary="Hỏi về ngày trả kết quả.",
        public_answer="Kết quả đã có.",
    )
    assert fb.state == State.PUBLISHED
    assert (fb.answered_on_time, fb.published_on_time) == (True, True)
    assert [a for a, _ in _log(fb)] == ["file", "request_info", "receive_info", "answer", "publish"]
    assert _audited(fb) == [
        "feedback.file",
        "feedback.request_info",
        "feedback.receive_info",
        "feedback.answer",
        "feedback.publish",
    ]


def test_the_citizen_rates_the_answer_once(org, complaint):
    fb = feedback_answer(actor=org["xuly.vinhphu"], feedback=complaint, answer="Đã xử lý.")
    fb = feedback_rate(feedback=fb, satisfied=False)
    assert fb.satisfied is False
    with pytest.raises(InvalidState):
        feedback_rate(feedback=fb, satisfied=True)
    assert Feedback.objects.get(pk=fb.pk).satisfied is False
    assert [a for a, _ in _log(fb)].count("rate") == 1


def test_no_rating_before_an_answer(complaint):
    with pytest.raises(InvalidState):
        feedback_rate(feedback=complaint, satisfied=True)
    assert Feedback.objects.get(pk=complaint.pk).satisfied is None


def test_a_sibling_unit_cannot_act_a_parent_leader_can_see(org, complaint):
    from motcua.feedback.selectors import inbox_for

    sibling = org["xuly.thanhvinh"]
    with pytest.raises(NotAllowed):
        feedback_answer(actor=sibling, feedback=complaint, answer="Không phải việc của tôi.")
    assert list(inbox_for(sibling)) == []
    assert list(inbox_for(org["xuly.vinhphu"])) == [complaint]
    assert list(inbox_for(org["thanhtra"])) == [complaint]  # the province sees its subtree
    with pytest.raises(NotAllowed):  # an inspector reads and changes nothing
        feedback_answer(actor=org["thanhtra"], feedback=complaint, answer="Đọc thôi.")
    with pytest.raises(NotAllowed):  # a receptionist has no handling capability
        feedback_reject(actor=org["tiepnhan.vinhphu"], feedback=complaint, reason="Không.")
    assert Feedback.objects.get(pk=complaint.pk).state == State.RECEIVED


def test_a_wrong_dossier_secret_or_unknown_code_is_refused_the_same_way(received):
    messages = []
    for code, secret in ((received.code, "ZZZZZZZZ"), ("000.84.15.H40-261127-9999", "ABCDEFGH")):
        with pytest.raises(InvalidInput) as error:
            feedback_file(
                subject="dossier",
                dossier_code=code,
                dossier_secret=secret,
                name="X Y",
                contact="0912345678",
                content="Một phản ánh đủ dài.",
            )
        messages.append(error.value.message)
    assert messages[0] == messages[1]
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "  "),
        ("contact", "<script>alert(1)</script>"),
        ("contact", "12"),
        ("content", "ngắn"),
        ("subject", "other"),
    ],
)
def test_bad_fields_are_refused_and_nothing_is_stored(org, field, value):
    data = {
        "subject": "unit",
        "unit_code": "VINHPHU",
        "name": "Trần Văn Bình",
        "contact": "0912345678",
        "content": "Một phản ánh đủ dài.",
    }
    data[field] = value
    with pytest.raises(InvalidInput) as error:
        feedback_file(**data)
    assert error.value.message
    assert not Feedback.objects.exists()
