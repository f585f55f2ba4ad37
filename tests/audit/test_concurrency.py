"""Audited writes and several sealers at once (the worker on two machines, an audit-verify run):
every row is sealed exactly once onto one unforked chain.

Real threads against the real database (PostgreSQL in CI's second run; SQLite serialises writers
with BEGIN IMMEDIATE).
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from motcua.audit.models import AuditEntry
from motcua.audit.services import audit_record, audit_seal, audit_seal_all, audit_verify
from tests.threads import in_thread

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_writers_and_sealers_build_one_chain(org):
    actor = org["tiepnhan.vinhphu"]

    @in_thread
    def work(n):
        if n % 4 == 0:
            return ("sealed", audit_seal(batch=7))
        audit_record(actor=actor, action="test.write", object_id=str(n), changes={"n": n})
        return ("written", 1)

    workers = 8 if connection.vendor == "postgresql" else 4
    with ThreadPoolExecutor(max_workers=workers) as pool:
        outcomes = list(pool.map(work, range(120)))

    written = sum(count for kind, count in outcomes if kind == "written")
    sealed = sum(count for kind, count in outcomes if kind == "sealed") + audit_seal_all()
    assert written == sealed == AuditEntry.objects.count() == 90
    assert audit_verify() == (90, 0)
    assert sorted(AuditEntry.objects.values_list("seq", flat=True)) == list(range(1, 91))
