"""The catalogue indicators (online procedures, online payment) of a hand-worked catalogue.

The catalogue, as published (timestamps set by hand), all procedures public unless said:
  P1 1.004194 v1, 01/09: online full, fee-bearing, handled by Vinh Phú (A) and Thành Vinh (B).
  P2 1.000001 v1, 01/09: not online, fee-bearing, handled by A.
  P3 1.000002 v1, 01/09: not online, free, handled by B; superseded 15/10 12:00 by v2: partly
     online, free, handled by A and B.
  P4 1.000003 v1, 01/09: internal (personnel), online full, fee-bearing, handled by A: an
     officers' procedure, not a public service, counted nowhere.
  P5 1.000004 v1, 05/11: online full, fee-bearing, handled by A: not yet in force in October.
Dossiers: two P1 dossiers at A, received online, approved and paid online on 05/10 and on
20/10. B has no dossier at all. The demo's payment simulator is on (settings_test), so every
fee-bearing procedure offers online payment.

Version 1 points: procedures online 6 (T 80%), fee-bearing procedures payable online 4
(T 80%), procedures with an online payment 2 (T 100%).
"""

from datetime import date
from decimal import Decimal

import pytest
from django.test import override_settings

from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.metrics.models import ProcedurePaidOnline
from motcua.metrics.scores import index_report, r2
from motcua.metrics.selectors import DrillDownRefused, procedures_behind
from motcua.metrics.services import facts_rebuild
from tests.dossiers.stories import procedure_content, publish
from tests.metrics.stories import vn

OCT = (date(2026, 10, 1), date(2026, 10, 31))
NOV = (date(2026, 11, 1), date(2026, 11, 30))
CODES = ("tthc_truc_tuyen", "tthc_tt_truc_tuyen", "tthc_co_giao_dich_tt")


def published_at(version, at):
    ProcedureVersion.objects.filter(pk=version.pk).update(published_at=at)
    Procedure.objects.filter(pk=version.procedure_id).update(published_at=at)


def build_catalogue(org, tam_tru):
    """P1..P5 above (P1 is the metrics fixtures' tam_tru); returns the versions by name."""
    from motcua.catalog.services import procedure_draft_save, procedure_publish

    sep = vn(2026, 9, 1, 8, 0)
    v = {"P1": tam_tru}
    v["P2"] = publish(
        org,
        "1.000001",
        name="Đăng ký thường trú",
        online_level="none",
        channels=["desk"],
        handling_units=["VINHPHU"],
    )
    v["P3v1"] = publish(
        org,
        "1.000002",
        name="Xác nhận thông tin cư trú",
        online_level="none",
        channels=["desk"],
        fees=[],
        handling_units=["THANHVINH"],
    )
    v["P4"] = publish(
        org,
        "1.000003",
        name="Nâng lương cán bộ",
        audience="internal_personnel",
        handling_units=["VINHPHU"],
    )
    v["P5"] = publish(org, "1.000004", name="Tách hộ", handling_units=["VINHPHU"])
    for name in ("P1", "P2", "P3v1", "P4"):
        published_at(v[name], sep)
    published_at(v["P5"], vn(2026, 11, 5, 8, 0))
    p3 = v["P3v1"].procedure
    procedure_draft_save(
        actor=org["danhmuc"],
        procedure=p3,
        content=procedure_content(
            name="Xác nhận thông tin cư trú",
            online_level="partial",
            fees=[],
            handling_units=["VINHPHU", "THANHVINH"],
        ),
    )
    v["P3v2"] = procedure_publish(actor=org["danhmuc"], procedure=p3)
    mid_october = vn(2026, 10, 15, 12, 0)
    ProcedureVersion.objects.filter(pk=v["P3v1"].pk).update(superseded_at=mid_october)
    published_at(v["P3v2"], mid_october)
    return v


@pytest.fixture
def catalogue(org, tam_tru, vinhphu):
    versions = build_catalogue(org, tam_tru)
    for day in (5, 20):
        d = vinhphu.receive(vn(2026, 10, day, 8, 0), channel="online")
        d = vinhphu.approve(d, vn(2026, 10, day, 9, 0))
        vinhphu.pay(d, vn(2026, 10, day, 9, 30), "online")
    return versions


def figures(result, code):
    i = result.indicator(code)
    return i.state, i.numerator, i.denominator, r2(i.points)


def scored(report, org, unit):
    result = report.for_unit(org.units[unit])
    return [figures(result, code) for code in CODES]


def test_october_unit_by_unit(catalogue, org):
    report = index_report(*OCT)
    # A at the end of October handles P1, P2, P3 (v2); P4 is internal, P5 not yet published.
    # Online P1, P3: 2/3 below 80% → 6 × (2/3) ÷ 0.8 = 5. Fee-bearing P1, P2, both payable
    # online: 2/2 → 4. Paid online: P1 (twice, counted once) of 2 → 2 × 0.5 = 1.
    assert scored(report, org, "VINHPHU") == [
        ("scored", 2, 3, Decimal("5")),
        ("scored", 2, 2, 4),
        ("scored", 1, 2, 1),
    ]
    # B, without a single dossier, still handles P1 and P3 (v2, partly online): 2/2 → 6;
    # fee-bearing P1 payable online 1/1 → 4; no online payment: 0/1 → 0.
    assert scored(report, org, "THANHVINH") == [
        ("scored", 2, 2, 6),
        ("scored", 1, 1, 4),
        ("scored", 0, 1, 0),
    ]
    b = report.for_unit(org.units["THANHVINH"])
    # Only these apply to B: 10 of 12 points → 83.33.
    assert b.applicable_max == 12
    assert r2(b.score) == Decimal("83.33")
    # The province: distinct procedures of its subtree, P1 and P3 once though both wards
    # handle them: the same as A (3 handled, not 5).
    assert scored(report, org, "CANA") == [
        ("scored", 2, 3, 5),
        ("scored", 2, 2, 4),
        ("scored", 1, 2, 1),
    ]
    # A ward handling no procedure: zero denominators, left out like any other.
    assert scored(report, org, "TRUONGVINH") == [("no_dossiers", 0, 0, None)] * 3


def test_a_version_superseded_mid_period_counts_as_it_stood_that_day(catalogue, org):
    # As of 10/10, P3 v1 (not online, handled by B only) was in force.
    report = index_report(*OCT, as_of=date(2026, 10, 10))
    # A: P1, P2; online P1: 1/2 → 6 × 0.5 ÷ 0.8 = 3.75; paid P1 on 05/10: 1/2 → 1.
    assert scored(report, org, "VINHPHU") == [
        ("scored", 1, 2, Decimal("3.75")),
        ("scored", 2, 2, 4),
        ("scored", 1, 2, 1),
    ]
    # B: P1, P3 v1; online P1 only: 1/2 → 3.75.
    assert scored(report, org, "THANHVINH")[0] == ("scored", 1, 2, Decimal("3.75"))


def test_november_counts_the_procedure_published_then(catalogue, org):
    # A: P1, P2, P3, P5; online P1, P3, P5: 3/4 = 75% → 6 × 0.75 ÷ 0.8 = 5.625 → 5.63;
    # fee-bearing P1, P2, P5 all payable: 3/3 → 4; no online payment in November: 0/3 → 0.
    assert scored(index_report(*NOV), org, "VINHPHU") == [
        ("scored", 3, 4, Decimal("5.63")),
        ("scored", 3, 3, 4),
        ("scored", 0, 3, 0),
    ]


def test_online_payments_are_counted_by_day_within_a_month(catalogue, org):
    # 06/10–19/10: neither payment (05/10, 20/10) lies in it.
    report = index_report(date(2026, 10, 6), date(2026, 10, 19))
    assert scored(report, org, "VINHPHU")[2] == ("scored", 0, 2, 0)
    # 20/10–15/11: the 20/10 payment; P5 in force by 15/11: 1/3 → 2 × (1/3) = 0.67.
    report = index_report(date(2026, 10, 20), date(2026, 11, 15))
    assert scored(report, org, "VINHPHU")[2] == ("scored", 1, 3, Decimal("0.67"))


@override_settings(DEMO_PAYMENT_SIMULATOR=False, VNPAY_URL="")
def test_without_a_payment_provider_no_procedure_is_payable_online(catalogue, org):
    report = index_report(*OCT)
    # Fee-bearing P1, P2, none payable online: 0/2 → 0; the paid-online indicator has no
    # procedure to count: left out (the officer-recorded "online" payments do not make a
    # procedure payable online).
    assert scored(report, org, "VINHPHU")[1:] == [("scored", 0, 2, 0), ("no_dossiers", 0, 0, None)]


def listed(actor, unit, formula, side, period=OCT):
    versions = procedures_behind(
        actor=actor, unit=unit, formula_code=formula, side=side, start=period[0], end=period[1]
    )
    return {(v.procedure.code, v.number) for v in versions}


@pytest.mark.parametrize(
    ("formula", "numerator", "denominator"),
    [
        (
            "tthc_truc_tuyen",
            {("1.004194", 1), ("1.000002", 2)},
            {("1.004194", 1), ("1.000001", 1), ("1.000002", 2)},
        ),
        (
            "tthc_tt_truc_tuyen",
            {("1.004194", 1), ("1.000001", 1)},
            {("1.004194", 1), ("1.000001", 1)},
        ),
        ("tthc_co_giao_dich_tt", {("1.004194", 1)}, {("1.004194", 1), ("1.000001", 1)}),
    ],
)
def test_drill_down_lists_exactly_the_procedures_counted(
    catalogue, org, formula, numerator, denominator
):
    for username, unit in (("lanhdao.vinhphu", "VINHPHU"), ("thanhtra", "CANA")):
        assert listed(org[username], org.units[unit], formula, "numerator") == numerator
        assert listed(org[username], org.units[unit], formula, "denominator") == denominator
        figure = index_report(*OCT).for_unit(org.units[unit]).indicator(formula)
        assert (figure.numerator, figure.denominator) == (len(numerator), len(denominator))


def test_another_wards_leader_cannot_drill_into_the_procedures(catalogue, org):
    with pytest.raises(DrillDownRefused):
        listed(org["lanhdao.thanhvinh"], org.units["VINHPHU"], "tthc_truc_tuyen", "numerator")


def test_the_payment_markers_rebuild_to_what_the_payments_wrote(catalogue, org):
    def markers():
        return set(
            ProcedurePaidOnline.objects.values_list("unit_id", "month", "procedure_id", "days")
        )

    written = markers()
    p1 = catalogue["P1"].procedure_id
    assert written == {(org.units["VINHPHU"].pk, date(2026, 10, 1), p1, 1 << 4 | 1 << 19)}
    ProcedurePaidOnline.objects.all().delete()
    facts_rebuild(actor="test")
    assert markers() == written


def test_the_scorecard_drills_down_to_the_procedures(catalogue, org):
    from django.test import Client

    client = Client()
    client.force_login(org["lanhdao.vinhphu"])
    page = client.get("/can-bo/chi-so/don-vi/VINHPHU/?ky=2026-10").content.decode()
    link = "/can-bo/chi-so/don-vi/VINHPHU/ho-so/?chi_tieu=tthc_truc_tuyen&amp;ve=mau&amp;ky=2026-10"
    assert link in page
    listing = client.get(link.replace("&amp;", "&"))
    assert listing.status_code == 200
    html = listing.content.decode()
    rows = html[html.index('data-testid="procedures"') :]
    for code in ("1.004194", "1.000001", "1.000002"):
        assert code in rows
    assert "1.000003" not in rows and "1.000004" not in rows
    assert "Xác nhận thông tin cư trú" in rows
