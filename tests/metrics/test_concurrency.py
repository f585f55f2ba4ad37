"""Counting at event time under concurrency: steps that add to the same (unit, day, fact) at the
same moment all land (INSERT ... ON CONFLICT DO UPDATE SET value = value + 1), and a step that
rolls back counts nothing. Real threads (PostgreSQL in the second run; SQLite serialises)."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.db import connection, transaction

from motcua.metrics.facts import facts_add
from motcua.metrics.models import DailyFact, MonthlyFact
from tests.metrics.stories import vn
from tests.threads import in_thread

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_adds_to_one_fact_all_land(org):
    unit = org.units["VINHPHU"]

    @in_thread
    def add(_n):
        for _ in range(25):
            with transaction.atomic():
                facts_add([(unit.pk, date(2026, 10, 5), "received", 1)])

    workers = 8 if connection.vendor == "postgresql" else 4
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(add, range(8)))

    assert DailyFact.objects.get(unit=unit, day=date(2026, 10, 5), code="received").value == 200
    month = MonthlyFact.objects.get(unit=unit, month=date(2026, 10, 1), code="received")
    assert month.value == 200


def test_concurrent_approvals_are_each_counted_once(vinhphu):
    at = vn(2026, 10, 5, 8, 0)
    submitted = []
    for _ in range(16):
        d = vinhphu.receive(at)
        submitted.append(vinhphu.act(d, "submit", vinhphu.handler, at=at, result="Xong"))

    @in_thread
    def approve(d):
        vinhphu.act(d, "approve", vinhphu.leader, at=vn(2026, 10, 5, 10, 0))

    workers = 8 if connection.vendor == "postgresql" else 4
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(approve, submitted))

    facts = {f.code: f.value for f in DailyFact.objects.filter(day=date(2026, 10, 5))}
    assert facts["finished_ontime"] == 16  # due 11:00, approved 10:00
    assert facts["result_issued"] == 16


def test_a_step_that_fails_after_counting_counts_nothing(vinhphu):
    """A listener after the metrics one fails: the whole step rolls back, its counts too."""
    from motcua.dossiers.signals import action_logged

    d = vinhphu.receive(vn(2026, 10, 5, 8, 0))
    before = {(f.code, f.day, f.value) for f in DailyFact.objects.all()}

    def broken(sender, action, dossier, **kwargs):
        raise RuntimeError("outbox down")

    action_logged.connect(broken, dispatch_uid="test.broken")
    try:
        with pytest.raises(RuntimeError):
            vinhphu.refuse(d, vn(2026, 10, 5, 9, 0))
    finally:
        action_logged.disconnect(dispatch_uid="test.broken")
    assert {(f.code, f.day, f.value) for f in DailyFact.objects.all()} == before
    assert not DailyFact.objects.filter(code="finished_ontime").exists()
