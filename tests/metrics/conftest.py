import pytest

from tests.dossiers.stories import publish
from tests.metrics.stories import Desk, vn


@pytest.fixture
def tam_tru(org):
    # A transactional test before this one (live_server) flushes the definition that migration
    # 0002 seeded; the index needs it.
    from motcua.metrics.definition import definition_v1_ensure

    definition_v1_ensure()
    return publish(org, "1.004194")


@pytest.fixture
def unit_keys(org):
    """The two wards' signing certificates: approvals with an electronic result sign it."""
    from motcua.eresults.keys import ensure_demo_pki

    ensure_demo_pki([org.units["VINHPHU"], org.units["THANHVINH"]])


@pytest.fixture
def vinhphu(org, tam_tru, unit_keys):
    return Desk(org, tam_tru, "VINHPHU")


@pytest.fixture
def thanhvinh(org, tam_tru, unit_keys):
    return Desk(org, tam_tru, "THANHVINH")


@pytest.fixture
def two_months(vinhphu, thanhvinh):
    """October and November 2026 at Vinh Phú (A) and Thành Vinh (B); outcomes in the comments.

    Returns the dossiers by name."""
    return build_two_months(vinhphu, thanhvinh)


def build_two_months(a, b):
    """The dossiers of `two_months` (also built off Playwright's thread by browser tests)."""
    d = {}
    # A1: desk, scanned, 08:00 Mon 05/10 (due 11:00), e-result 10:00: on time; paid cash.
    d["A1"] = a.approve(
        a.receive(vn(2026, 10, 5, 8, 0), scanned=True), vn(2026, 10, 5, 10, 0), e_result=True
    )
    d["A1"] = a.pay(d["A1"], vn(2026, 10, 5, 10, 30), "cash")
    # A2: online, 16:00 Mon 05/10 (due 09:30 Tue), e-result 16:30 Mon: early; paid online.
    d["A2"] = a.approve(
        a.receive(vn(2026, 10, 5, 16, 0), channel="online"), vn(2026, 10, 5, 16, 30), e_result=True
    )
    d["A2"] = a.pay(d["A2"], vn(2026, 10, 5, 16, 45), "online")
    # A3: desk, 08:00 Tue 06/10 (due 11:00), paper result 09:00 Wed 07/10: late; paid cash.
    d["A3"] = a.approve(a.receive(vn(2026, 10, 6, 8, 0)), vn(2026, 10, 7, 9, 0))
    d["A3"] = a.pay(d["A3"], vn(2026, 10, 7, 9, 30), "cash")
    # A4: desk, 08:00 Wed 07/10, refused 10:00: finished on time, no result.
    d["A4"] = a.refuse(a.receive(vn(2026, 10, 7, 8, 0)), vn(2026, 10, 7, 10, 0))
    # A5: online, 08:00 Thu 08/10 (due 11:00), open and overdue on 31/10; stopped 08:00
    # Mon 02/11: finished late in November.
    d["A5"] = a.receive(vn(2026, 10, 8, 8, 0), channel="online")
    d["A5"] = a.stop(d["A5"], vn(2026, 11, 2, 8, 0))
    # B1: online, 08:00 Mon 05/10, e-result 09:00: on time; paid online.
    d["B1"] = b.approve(
        b.receive(vn(2026, 10, 5, 8, 0), channel="online"), vn(2026, 10, 5, 9, 0), e_result=True
    )
    d["B1"] = b.pay(d["B1"], vn(2026, 10, 5, 9, 30), "online")
    # B2: online, 16:00 Tue 06/10 (due 09:30 Wed), e-result 16:30 Tue: early; paid online.
    d["B2"] = b.approve(
        b.receive(vn(2026, 10, 6, 16, 0), channel="online"), vn(2026, 10, 6, 16, 30), e_result=True
    )
    d["B2"] = b.pay(d["B2"], vn(2026, 10, 6, 16, 45), "online")
    # B3: desk, 08:00 Wed 07/10; two supplement requests (09:00→10:00, 14:00→15:00), result
    # 15:30 within the restarted due, but two requests count it late; fee unpaid.
    d["B3"] = b.receive(vn(2026, 10, 7, 8, 0))
    d["B3"] = b.supplement(d["B3"], vn(2026, 10, 7, 9, 0), vn(2026, 10, 7, 10, 0))
    d["B3"] = b.supplement(d["B3"], vn(2026, 10, 7, 14, 0), vn(2026, 10, 7, 15, 0))
    d["B3"] = b.approve(d["B3"], vn(2026, 10, 7, 15, 30))
    return d
