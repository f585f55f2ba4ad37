"""On time is judged against the due the law sets (domain spec sections 3.4 and 6), never against
the apology's new date. Worked by hand for Đăng ký tạm trú (180 working minutes) received at
16:00 on Friday 27/11/2026 at Công an phường Vinh Phú (sessions 07:30–11:30, 13:30–17:00):
60 minutes on Friday, 120 on Monday from 07:30, so the legal due is 09:30 on Monday 30/11."""

from datetime import datetime

import pytest

from motcua.dossiers.deadlines import correct_on_time_flags
from motcua.dossiers.models import Dossier, DossierAction, Status
from motcua.dossiers.printing import form_context
from motcua.dossiers.services import (
    dossier_apologise,
    dossier_assign,
    dossier_receive_supplement,
    dossier_record_payment,
    dossier_request_supplement,
    dossier_return,
    dossier_stop,
)
from motcua.dossiers.views import Clocks
from motcua.worktime.core import VN_TZ
from tests.dossiers.stories import approved

LEGAL_DUE = datetime(2026, 11, 30, 9, 30, tzinfo=VN_TZ)


def vn(*args):
    return datetime(*args, tzinfo=VN_TZ)


@pytest.fixture
def people(org):
    return org["lanhdao.vinhphu"], org["xuly.vinhphu"], org["tiepnhan.vinhphu"]


@pytest.fixture
def apologised(people, received, friday_16h):
    """Assigned on Friday; at 09:00 Monday the leader apologises for 16:00 Tuesday 01/12."""
    leader, handler, _desk = people
    d = dossier_assign(actor=leader, dossier=received, version=received.version, handler=handler)
    friday_16h.move_to(vn(2026, 11, 30, 9, 0))
    return dossier_apologise(
        actor=leader, dossier=d, version=d.version, new_due="01/12/2026 16:00", reason="Chờ"
    )


def late_story(d, people, clock):
    """Approved 14:00 Monday (after 09:30), returned 10:00 Tuesday (before the new date)."""
    leader, handler, desk = people
    clock.move_to(vn(2026, 11, 30, 14, 0))
    d = approved(d, handler=handler, leader=leader)
    d = dossier_record_payment(
        actor=desk, dossier=d, version=d.version, amount=d.fee_amount, channel="cash"
    )
    clock.move_to(vn(2026, 12, 1, 10, 0))
    return dossier_return(actor=desk, dossier=d, version=d.version, method="desk")


def test_it_counts_a_result_after_the_legal_due_as_late_whatever_the_apology_said(
    apologised, people, friday_16h
):
    assert apologised.due_at == LEGAL_DUE
    assert apologised.extended_due_at == vn(2026, 12, 1, 16, 0)
    d = late_story(apologised, people, friday_16h)

    assert d.status == Status.RETURNED
    assert d.finished_on_time is False
    assert d.returned_early is False


def test_the_control_slip_marks_every_step_after_the_legal_due_late(apologised, people, friday_16h):
    d = late_story(apologised, people, friday_16h)
    _template, context = form_context("control", d)
    results = {r["step"]: r["result"] for r in context["rows"]}
    assert results["Phê duyệt kết quả"] == "Quá hạn"
    assert results["Trả kết quả"] == "Quá hạn"
    assert {r["due"] for r in context["rows"]} == {"09:30 30/11/2026"}
    assert context["outcome"] == "Quá hạn"


def test_the_time_left_runs_out_at_the_legal_due_after_an_apology(apologised, friday_16h):
    # 10:30 Monday: an hour past 09:30; the apology's Tuesday 16:00 gives the unit no more time.
    left = Clocks(now=vn(2026, 11, 30, 10, 30)).left(apologised)
    assert left == {"text": "quá hạn 1 giờ", "tone": "late"}


def test_it_judges_the_restarted_due_after_a_supplement(people, received, friday_16h):
    leader, handler, desk = people
    d = dossier_assign(actor=leader, dossier=received, version=received.version, handler=handler)
    friday_16h.move_to(vn(2026, 11, 30, 8, 0))
    d = dossier_request_supplement(
        actor=handler, dossier=d, version=d.version, items=["Hợp đồng thuê nhà"]
    )
    friday_16h.move_to(vn(2026, 12, 1, 8, 0))
    d = dossier_receive_supplement(actor=desk, dossier=d, version=d.version)
    # The clock restarts from zero: 180 minutes from 08:00 Tuesday is 11:00 Tuesday.
    assert d.due_at == vn(2026, 12, 1, 11, 0)
    friday_16h.move_to(vn(2026, 12, 1, 10, 50))
    d = approved(d, handler=handler, leader=leader)
    assert d.finished_on_time is True  # a day after the first due, but within the new one


def test_waiting_for_the_applicant_does_not_count_when_they_withdraw(people, received, friday_16h):
    leader, handler, desk = people
    d = dossier_assign(actor=leader, dossier=received, version=received.version, handler=handler)
    friday_16h.move_to(vn(2026, 11, 30, 8, 0))  # 90 of 180 minutes used, before 09:30
    d = dossier_request_supplement(
        actor=handler, dossier=d, version=d.version, items=["Hợp đồng thuê nhà"]
    )
    friday_16h.move_to(vn(2026, 12, 4, 15, 0))  # the citizen gives up four days later
    d = dossier_stop(actor=desk, dossier=d, version=d.version, reason="Công dân rút hồ sơ")
    assert d.status == Status.STOPPED
    assert d.finished_on_time is True


def test_the_migration_corrects_dossiers_stored_before_the_fix(apologised, people, friday_16h):
    d = late_story(apologised, people, friday_16h)
    # What the code before the fix stored: the apology's date as the due, from the apology on,
    # and the flags judged against it; the clock did not keep the legal due.
    new_date = vn(2026, 12, 1, 16, 0)
    clock = {k: v for k, v in d.clock.items() if k != "legal_due"}
    Dossier.objects.filter(pk=d.pk).update(
        due_at=new_date, finished_on_time=True, returned_early=True, clock=clock
    )
    DossierAction.objects.filter(dossier=d, seq__gte=3).update(due_at=new_date)
    untouched = approved_on_time(people, friday_16h)

    assert correct_on_time_flags(Dossier, DossierAction) == 1

    fixed = Dossier.objects.get(pk=d.pk)
    assert (fixed.due_at, fixed.finished_on_time, fixed.returned_early) == (LEGAL_DUE, False, False)
    assert fixed.extended_due_at == new_date
    assert datetime.fromisoformat(fixed.clock["legal_due"]) == LEGAL_DUE
    _template, context = form_context("control", fixed)
    assert context["rows"][-1]["result"] == "Quá hạn"
    assert Dossier.objects.get(pk=untouched.pk).finished_on_time is True
    assert correct_on_time_flags(Dossier, DossierAction) == 0  # running it again changes nothing


def approved_on_time(people, clock):
    """Another dossier, finished in time: the migration leaves it as it is."""
    from motcua.dossiers.services import dossier_receive
    from tests.dossiers.stories import CITIZEN, all_documents

    leader, handler, desk = people
    d = dossier_receive(
        actor=desk,
        desk=desk.unit.desks.get(),
        procedure_version=Dossier.objects.first().procedure_version,
        applicant=dict(CITIZEN),
        checklist=all_documents(),
    )
    d = dossier_assign(actor=leader, dossier=d, version=d.version, handler=handler)
    return approved(d, handler=handler, leader=leader)


def test_the_migration_judges_a_dossier_stopped_during_a_wait_at_the_wait(
    people, received, friday_16h
):
    leader, handler, desk = people
    d = dossier_assign(actor=leader, dossier=received, version=received.version, handler=handler)
    friday_16h.move_to(vn(2026, 11, 30, 8, 0))
    d = dossier_request_supplement(actor=handler, dossier=d, version=d.version, items=["Hợp đồng"])
    friday_16h.move_to(vn(2026, 12, 4, 15, 0))
    d = dossier_stop(actor=desk, dossier=d, version=d.version, reason="Công dân rút hồ sơ")
    Dossier.objects.filter(pk=d.pk).update(finished_on_time=False)  # as judged before the fix

    assert correct_on_time_flags(Dossier, DossierAction) == 1
    assert Dossier.objects.get(pk=d.pk).finished_on_time is True
