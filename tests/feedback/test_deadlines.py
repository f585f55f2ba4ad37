"""Deadlines in working time of the unit's calendar (default sessions 07:30–11:30, 13:30–17:00,
Monday–Friday; 24/11/2026 is a provisional holiday), each worked out by hand."""

from datetime import datetime

import time_machine

from motcua.feedback.models import DeadlineFlag, Feedback, State
from motcua.feedback.services import (
    feedback_answer,
    feedback_file,
    feedback_publish,
    feedback_receive_info,
    feedback_request_info,
)
from motcua.feedback.watch import feedback_watch
from motcua.worktime.core import VN_TZ


def vn(*args):
    return datetime(*args, tzinfo=VN_TZ)


def _about_vinhphu(at):
    return feedback_file(
        subject="unit",
        unit_code="VINHPHU",
        name="Trần Văn Bình",
        contact="binh@example.vn",
        content="Bộ phận một cửa đóng cửa sớm hơn giờ niêm yết.",
        at=at,
    )


def test_it_sets_every_due_from_a_friday_16h_filing(complaint):
    # Filed 16:00 Fri 27/11. Working days after it: Mon 30/11 (1), Tue 1/12 (2), Wed 2/12 (3),
    # Thu 3/12 (4), Fri 4/12 (5), then 7–11/12 (6–10) and 14–18/12 (11–15): same clock time.
    assert complaint.unit.code == "VINHPHU"
    assert complaint.filed_at == vn(2026, 11, 27, 16, 0)
    assert complaint.reject_due_at == vn(2026, 12, 1, 16, 0)
    assert complaint.info_due_at == vn(2026, 12, 4, 16, 0)
    assert complaint.answer_due_at == vn(2026, 12, 18, 16, 0)
    assert complaint.due_at == complaint.answer_due_at
    # A full day is 450 minutes; the last 20% of 15 days is 3 days: warn 12 days on, Tue 15/12.
    assert complaint.warn_at == vn(2026, 12, 15, 16, 0)
    assert complaint.publish_due_at is None


def test_the_provisional_24_november_holiday_is_skipped(org):
    # Filed 10:00 Mon 23/11: Tue 24/11 is off, so Wed 25 (1), Thu 26 (2), Fri 27 (3), Mon 30 (4),
    # Tue 1/12 (5), ... Fri 4/12 (8), Mon 7–Fri 11/12 (9–13), Mon 14 (14), Tue 15/12 (15).
    fb = _about_vinhphu(vn(2026, 11, 23, 10, 0))
    assert fb.reject_due_at == vn(2026, 11, 26, 10, 0)
    assert fb.info_due_at == vn(2026, 12, 1, 10, 0)
    assert fb.answer_due_at == vn(2026, 12, 15, 10, 0)


def test_a_weekend_filing_counts_from_monday_morning(org):
    # Filed Sat 28/11 09:00: the clock starts 07:30 Mon 30/11; 2 days on is 07:30 Wed 2/12, a
    # session start, written as the end of the session before: 17:00 Tue 1/12.
    fb = _about_vinhphu(vn(2026, 11, 28, 9, 0))
    assert fb.reject_due_at == vn(2026, 12, 1, 17, 0)
    assert fb.info_due_at == vn(2026, 12, 4, 17, 0)
    assert fb.answer_due_at == vn(2026, 12, 18, 17, 0)


def test_waiting_for_the_citizen_does_not_count(org, complaint, friday_16h):
    handler = org["xuly.vinhphu"]
    friday_16h.move_to(vn(2026, 11, 30, 8, 30))
    fb = feedback_request_info(actor=handler, feedback=complaint, request="Số giấy hẹn?")
    assert fb.state == State.INFO_REQUESTED
    assert fb.info_requested_on_time is True
    assert fb.due_at is None  # nothing is due while the citizen is asked

    # The wait, Mon 08:30 → Thu 3/12 10:00 in working minutes: 390 + 450 + 450 + 150 = 1440.
    # The answer's due moves on by 1440 minutes from 16:00 Fri 18/12: 60 that day, 450 on each
    # of Mon 21, Tue 22 and Wed 23 (1410), and 30 more: 08:00 Thu 24/12.
    friday_16h.move_to(vn(2026, 12, 3, 10, 0))
    fb = feedback_receive_info(feedback=fb, reply="Giấy hẹn số 0001.")
    assert fb.state == State.INFO_RECEIVED
    assert fb.answer_due_at == vn(2026, 12, 24, 8, 0)
    assert fb.due_at == fb.answer_due_at

    friday_16h.move_to(vn(2026, 12, 23, 16, 0))
    fb = feedback_answer(actor=handler, feedback=fb, answer="Đã trả kết quả ngày 30/11.")
    assert fb.answered_on_time is True  # past the first due, within the moved one


def test_a_complaint_answered_late_is_flagged_and_stored_as_late(
    org, complaint, friday_16h, django_capture_on_commit_callbacks
):
    leader, handler = org["lanhdao.vinhphu"], org["xuly.vinhphu"]
    friday_16h.move_to(vn(2026, 12, 15, 15, 59))
    assert feedback_watch().nearing == 0
    friday_16h.move_to(vn(2026, 12, 15, 16, 0))
    first, second = feedback_watch(), feedback_watch()
    assert (first.nearing, first.notices, second.nearing) == (1, 1, 0)  # the one leader, once
    assert Feedback.objects.get(pk=complaint.pk).deadline_flag == DeadlineFlag.NEARING

    friday_16h.move_to(vn(2026, 12, 18, 16, 1))
    first, second = feedback_watch(), feedback_watch()
    assert (first.overdue, second.overdue) == (1, 0)
    assert Feedback.objects.get(pk=complaint.pk).deadline_flag == DeadlineFlag.OVERDUE
    assert leader.notifications.filter(key__startswith="feedback-overdue:").count() == 1

    fb = feedback_answer(actor=handler, feedback=complaint, answer="Xin lỗi, đã trả kết quả.")
    assert fb.answered_on_time is False
    assert fb.handled_on_time is False
    # Publication: 2 working days from 16:01 Fri 18/12 is 16:01 Tue 22/12; its own clock.
    assert fb.publish_due_at == vn(2026, 12, 22, 16, 1)
    assert (fb.due_at, fb.deadline_flag) == (fb.publish_due_at, DeadlineFlag.OK)

    friday_16h.move_to(vn(2026, 12, 22, 16, 2))
    assert feedback_watch().overdue == 1
    fb = feedback_publish(
        actor=leader, feedback=fb, public_summary="Chậm trả kết quả.", public_answer="Xin lỗi."
    )
    assert fb.published_on_time is False
    assert fb.answered_on_time is False  # publishing does not change it


def test_two_workers_flag_a_row_once(org, complaint):
    with time_machine.travel(vn(2026, 12, 18, 16, 1), tick=False):
        results = [feedback_watch(), feedback_watch()]
    assert sum(r.overdue for r in results) == 1


def test_the_worker_command_flags_feedback_too(org, complaint, friday_16h):
    from io import StringIO

    from django.core.management import call_command

    friday_16h.move_to(vn(2026, 12, 18, 16, 1))
    out = StringIO()
    call_command("run_worker", "--once", stdout=out)
    call_command("run_worker", "--once", stdout=StringIO())
    assert "phản ánh quá hạn: 1" in out.getvalue()
    assert Feedback.objects.get(pk=complaint.pk).deadline_flag == DeadlineFlag.OVERDUE
    # No tick ran while it was only nearing: straight to overdue, one notice for both runs.
    assert org["lanhdao.vinhphu"].notifications.filter(key__startswith="feedback-").count() == 1
