"""Fifty receptionists' clicks at once on one desk: fifty distinct, gapless codes.

Real threads against the real database (PostgreSQL in CI's second run; SQLite serialises writers
with BEGIN IMMEDIATE). Concurrent actions on one dossier: exactly one wins, the rest get a conflict.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from motcua.dossiers.errors import StaleVersion
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import dossier_assign, dossier_receive
from tests.dossiers.stories import CITIZEN, all_documents
from tests.threads import in_thread

pytestmark = pytest.mark.django_db(transaction=True)


def test_fifty_concurrent_intakes_get_fifty_gapless_codes(org, tam_tru, desk_vinhphu, friday_16h):
    receptionist = org["tiepnhan.vinhphu"]

    @in_thread
    def receive(n):
        return dossier_receive(
            actor=receptionist,
            desk=desk_vinhphu,
            procedure_version=tam_tru,
            applicant={**CITIZEN, "name": f"Công dân {n}"},
            checklist=all_documents(),
        ).code

    workers = 8 if connection.vendor == "postgresql" else 4
    with ThreadPoolExecutor(max_workers=workers) as pool:
        codes = list(pool.map(receive, range(50)))

    assert len(set(codes)) == 50
    assert sorted(int(c[-4:]) for c in codes) == list(range(1, 51))
    assert Dossier.objects.count() == 50


def test_concurrent_actions_on_one_dossier_apply_once(org, received):
    leader = org["lanhdao.vinhphu"]
    handlers = [org["xuly.vinhphu"], org["lanhdao.vinhphu"]] * 4

    @in_thread
    def assign(handler):
        try:
            dossier_assign(
                actor=leader, dossier=received, version=received.version, handler=handler
            )
            return "ok"
        except StaleVersion:
            return "conflict"

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(assign, handlers))

    assert outcomes.count("ok") == 1
    assert outcomes.count("conflict") == 7
    d = Dossier.objects.get(pk=received.pk)
    assert d.version == received.version + 1
    assert [a.action for a in d.actions.all()] == ["receive", "assign"]
