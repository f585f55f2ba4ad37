"""The demo's past dossiers: a few months of work at Vinh Phú and Thành Vinh, made through the
real services, so that queues and logbooks have something to show."""

import time
from datetime import datetime

import pytest
import time_machine

from motcua.dossiers import demo
from motcua.dossiers.models import DeadlineFlag, Dossier, DossierAction, IntakeSlip, Status
from motcua.worktime.core import VN_TZ

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=VN_TZ)


@pytest.fixture
def history(org):
    from motcua.catalog import demo as catalog_demo
    from motcua.worktime import demo as worktime_demo

    with time_machine.travel(NOW, tick=False):
        catalog_demo.seed()
        worktime_demo.seed()
    # CPU time of this process (SQLite runs in it): on the shared 2-core test machine the wall
    # clock mostly measures the other jobs' load (measured: 10-14 s of CPU took 45-67 s of wall
    # time at a load average of 15-21).
    started, wall = time.process_time(), time.perf_counter()
    with time_machine.travel(NOW, tick=True):
        stories = demo.seed()
    return stories, time.process_time() - started, time.perf_counter() - wall


def test_it_seeds_months_of_dossiers_in_every_state_within_a_minute(history):
    stories, seconds, wall = history
    dossiers = Dossier.objects.all()

    print(
        f"\n{stories} stories, {dossiers.count()} dossiers: {seconds:.1f} s CPU, {wall:.1f} s wall"
    )
    assert seconds < 60
    assert dossiers.count() >= 120
    assert set(dossiers.values_list("status", flat=True)) == set(Status.values)
    first = dossiers.order_by("received_at").first().received_at
    assert (NOW - first).days >= 80
    assert {"VINHPHU", "THANHVINH"} <= set(dossiers.values_list("receiving_unit__code", flat=True))
    # Late, early, apologised, supplemented, sent up to PC06:
    # one seeding serves all these checks, since it is the slow part of the test.
    assert dossiers.filter(finished_on_time=False).exists()  # decided after the due time
    assert dossiers.filter(deadline_flag=DeadlineFlag.OVERDUE).exists()  # open and late
    assert dossiers.filter(returned_early=True).exists()
    assert dossiers.filter(extended_due_at__isnull=False).exists()
    assert dossiers.filter(supplement_count__gt=0, status=Status.RETURNED).exists()
    assert dossiers.filter(handling_unit__code="PC06", status=Status.RETURNED).exists()
    assert {"incomplete", "refused"} <= set(IntakeSlip.objects.values_list("outcome", flat=True))
    assert not DossierAction.objects.filter(at__gt=NOW).exists()
    returned = Dossier.objects.filter(status=Status.RETURNED).first()
    actions = list(returned.actions.order_by("at", "id").values_list("action", flat=True))
    assert actions[0] == "receive" and actions[-1] == "return"
    assert "approve" in actions


def test_a_second_run_adds_nothing(history):
    counts = (Dossier.objects.count(), IntakeSlip.objects.count())

    with time_machine.travel(NOW, tick=False):
        assert demo.seed() == 0

    assert (Dossier.objects.count(), IntakeSlip.objects.count()) == counts
