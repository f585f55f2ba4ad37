"""A suspended sentence from the court's decision to the completion certificate, across both
Tết breaks (2026: Mon 16–Fri 20 Feb; 2027: Thu 4–Wed 10 Feb), every timer worked out by hand."""

from datetime import date

import pytest

from motcua.sentences import services
from motcua.sentences.models import CaseStatus, Task, TaskKind
from motcua.sentences.services import SentenceError
from motcua.sentences.watch import sentence_watch
from motcua.worktime.core import VN_TZ
from tests.sentences.conftest import local


def due(case, kind, period=None):
    task = Task.objects.get(case=case, kind=kind, period=period)
    return task.due_at.astimezone(VN_TZ)


def test_it_walks_a_suspended_sentence_across_tet_to_the_certificate(people, new_case):
    officer = people["thaha.vinhphu"]
    # The decision arrives at Công an phường Vinh Phú at 09:00 on Thu 12/02/2026.
    case = new_case(actor="thaha.pc10")

    # 12 months counted from the day the commune receives the file: 12/02/2026–11/02/2027.
    assert (case.start_on, case.end_on) == (date(2026, 2, 12), date(2027, 2, 11))
    # Officer assigned within 3 working days: Fri 13/02 (1), Tết 16–20/02, Mon 23/02 (2),
    # Tue 24/02 (3) -> 09:00 on 24/02.
    assert due(case, TaskKind.ASSIGN) == local(2026, 2, 24, 9, 0)
    # The file goes back 3 working days before Thu 11/02/2027: 10, 9, 8/02 (Tết), 6–7
    # (weekend), 5, 4/02 (Tết), Wed 3 (1), Tue 2 (2), Mon 1/02 (3) -> 17:00 on Mon 01/02/2027.
    assert due(case, TaskKind.HANDBACK) == local(2027, 2, 1, 17, 0)
    # The certificate on the last day, a working Thursday.
    assert due(case, TaskKind.COMPLETION) == local(2027, 2, 11, 17, 0)
    # Check-ins: March 2026 to February 2027; assessments: February 2026 to January 2027.
    checkins = Task.objects.filter(case=case, kind=TaskKind.CHECKIN)
    assessments = Task.objects.filter(case=case, kind=TaskKind.ASSESSMENT)
    assert [t.period for t in checkins.order_by("period")][0] == date(2026, 3, 1)
    assert checkins.count() == 12 and assessments.count() == 12
    # 01/03/2026 is a Sunday: the window opens at 07:30 on Mon 02/03 and closes at 17:00 on
    # Fri 06/03 (5 working days). February's assessment is due in that same window.
    assert due(case, TaskKind.CHECKIN, date(2026, 3, 1)) == local(2026, 3, 6, 17, 0)
    assert due(case, TaskKind.ASSESSMENT, date(2026, 2, 1)) == local(2026, 3, 6, 17, 0)
    # February 2027's window: Mon 1, Tue 2, Wed 3, Tết 4–10, Thu 11 (4), Fri 12 (5).
    assert due(case, TaskKind.CHECKIN, date(2027, 2, 1)) == local(2027, 2, 12, 17, 0)
    assert due(case, TaskKind.ASSESSMENT, date(2027, 1, 1)) == local(2027, 2, 12, 17, 0)

    # Nobody assigned by Tue 24/02 09:00: the worker flags it once, and nothing else.
    assert sentence_watch(now=local(2026, 2, 24, 8, 59)) == 0
    assert sentence_watch(now=local(2026, 2, 24, 9, 0)) == 1
    assert sentence_watch(now=local(2026, 2, 24, 9, 0)) == 0
    services.case_assign(actor=people["thaha.vinhphu"], case=case, officer=officer)

    # The person reports at 14:00 on Wed 25/02: report within 3 working days (Thu 26, Fri 27,
    # Mon 02/03), plan within 5 (… Tue 03, Wed 04/03).
    code = services.case_receive(actor=officer, case=case, at=local(2026, 2, 25, 14, 0))
    assert len(code) == 6 and code.isdigit()
    assert due(case, TaskKind.RECEPTION_REPORT) == local(2026, 3, 2, 14, 0)
    assert due(case, TaskKind.PLAN) == local(2026, 3, 4, 14, 0)
    services.task_complete(actor=officer, case=case, kind=TaskKind.RECEPTION_REPORT)
    services.task_complete(actor=officer, case=case, kind=TaskKind.PLAN)

    # March: check-in at the office, February assessed Tốt.
    services.checkin_record(actor=officer, case=case, how="office", at=local(2026, 3, 3, 8, 15))
    services.assessment_record(
        actor=officer, case=case, period=date(2026, 2, 1), rating="tot", at=local(2026, 3, 4, 9, 0)
    )
    march = Task.objects.get(case=case, kind=TaskKind.CHECKIN, period=date(2026, 3, 1))
    assert march.done_at is not None and not march.overdue

    # A violation on Tue 13/10/2026, recorded at 10:00: the review meeting within 5 working
    # days -> 10:00 on Tue 20/10. October can then only be rated Kém.
    services.violation_record(
        actor=officer,
        case=case,
        on=date(2026, 10, 13),
        description="Không có mặt theo giấy triệu tập",
        at=local(2026, 10, 13, 10, 0),
    )
    assert due(case, TaskKind.REVIEW_MEETING, date(2026, 10, 13)) == local(2026, 10, 20, 10, 0)
    with pytest.raises(SentenceError, match="Kém"):
        services.assessment_record(actor=officer, case=case, period=date(2026, 10, 1), rating="kha")
    services.assessment_record(actor=officer, case=case, period=date(2026, 10, 1), rating="kem")

    # Not before the last day; on it, the certificate.
    with pytest.raises(SentenceError, match="11/02/2027"):
        services.case_complete(actor=officer, case=case, at=local(2027, 2, 10, 16, 0))
    services.case_complete(actor=officer, case=case, at=local(2027, 2, 11, 8, 0))
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
    assert Task.objects.get(case=case, kind=TaskKind.COMPLETION).done_at is not None


def test_it_withholds_the_certificate_while_revocation_is_pending(people, new_case):
    case = new_case()
    case.revocation_pending = True
    case.save()
    with pytest.raises(SentenceError, match="hủy bỏ"):
        services.case_complete(
            actor=people["thaha.vinhphu"], case=case, at=local(2027, 2, 11, 9, 0)
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.SUPERVISING


def test_it_counts_probation_from_the_release_certificate_with_quarterly_assessments(
    people, new_case
):
    case = new_case(
        kind="probation",
        term_months=24,
        release_on=date(2026, 3, 10),
        decision_date=date(2025, 6, 1),
    )
    assert (case.start_on, case.end_on) == (date(2026, 3, 10), date(2028, 3, 9))
    periods = sorted(
        Task.objects.filter(case=case, kind=TaskKind.ASSESSMENT).values_list("period", flat=True)
    )
    assert [p.month for p in periods] == [3, 6, 9, 12, 3, 6, 9, 12]
