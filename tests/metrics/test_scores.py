"""Scores of the hand-worked fixture (conftest.two_months), every figure worked out by hand.

Version 1 points that apply with motcua's own data: on time 20 (T 100%), online dossiers 6
(T 50%), fees paid online 4 (T 50%), e-results 6 (T 100%), digitised with e-result 4 (T 80%),
and satisfaction with procedures 6 (T 90%; ratings and feedback are registered sources, and with
none given it is 100% less the late rate): 46 in all; the two feedback indicators have a zero
denominator without feedback and are left out. The total is points ÷ applicable maximum × 100.
test_satisfaction adds ratings and feedback."""

from datetime import date
from decimal import Decimal

import pytest

from motcua.metrics.scores import index_report, r2

OCT = (date(2026, 10, 1), date(2026, 10, 31))
NOV = (date(2026, 11, 1), date(2026, 11, 30))


def figures(result, code):
    i = result.indicator(code)
    return i.state, i.numerator, i.denominator, r2(i.points)


@pytest.fixture
def october(two_months, org):
    report = index_report(*OCT)
    return report, report.for_unit(org.units["VINHPHU"]), report.for_unit(org.units["THANHVINH"])


def test_vinh_phu_october_indicator_by_indicator(october):
    _report, a, _b = october
    # On time: A1, A2 (early), A4 of 4 finished + A5 open and overdue: 3/5 = 60% → 20 × 0.6.
    assert figures(a, "dung_han") == ("scored", 3, 5, Decimal("12.00"))
    # Online: A2, A5 of 5 received = 40%, below T 50%: 6 × 0.4 ÷ 0.5 = 4.8.
    assert figures(a, "hs_truc_tuyen") == ("scored", 2, 5, Decimal("4.80"))
    # Fees: A2 online of A1, A2, A3 paid = 1/3, below 50%: 4 × (1/3) ÷ 0.5 = 8/3.
    assert figures(a, "hs_tt_truc_tuyen") == ("scored", 1, 3, Decimal("2.67"))
    # E-results: A1, A2 of 3 results = 2/3 of T 100%: 6 × 2/3 = 4.
    assert figures(a, "ket_qua_dien_tu") == ("scored", 2, 3, Decimal("4.00"))
    # Scanned with e-result: A1 only, 1/3 below 80%: 4 × (1/3) ÷ 0.8 = 5/3.
    assert figures(a, "so_hoa_ket_qua") == ("scored", 1, 3, Decimal("1.67"))
    # Satisfaction: 5 due less A3, A5 late = 3/5 = 60%, below T 90%: 6 × 0.6 ÷ 0.9 = 4.
    assert figures(a, "hai_long_tthc") == ("scored", 3, 5, Decimal("4.00"))
    assert figures(a, "pakn_dung_han") == ("no_dossiers", 0, 0, None)


def test_vinh_phu_october_total_band_and_rank(october):
    _report, a, _b = october
    # 12 + 24/5 + 8/3 + 4 + 5/3 + 4 = 437/15 points of 46 → 43700/690 = 63.333… of 100.
    assert a.applicable_max == 46
    assert r2(a.points) == Decimal("29.13")
    assert r2(a.score) == Decimal("63.33")
    assert a.band == "Trung bình"
    assert (a.rank_siblings.rank, a.rank_siblings.of) == (2, 2)
    assert (a.rank_kind.rank, a.rank_kind.of) == (2, 2)


def test_thanh_vinh_october_with_indicators_above_their_threshold(october):
    _report, _a, b = october
    # On time: B1, B2 of B1, B2, B3 (two supplement requests: late) = 2/3 → 40/3.
    assert figures(b, "dung_han") == ("scored", 2, 3, Decimal("13.33"))
    # Online 2/3 ≥ 50%: full 6. Fees 2/2 online: full 4.
    assert figures(b, "hs_truc_tuyen") == ("scored", 2, 3, Decimal("6.00"))
    assert figures(b, "hs_tt_truc_tuyen") == ("scored", 2, 2, Decimal("4.00"))
    assert figures(b, "ket_qua_dien_tu") == ("scored", 2, 3, Decimal("4.00"))
    assert figures(b, "so_hoa_ket_qua") == ("scored", 0, 3, Decimal("0.00"))
    # Satisfaction: 3 due less B3 late = 2/3, below 90%: 6 × (2/3) ÷ 0.9 = 40/9.
    assert figures(b, "hai_long_tthc") == ("scored", 2, 3, Decimal("4.44"))
    # 40/3 + 6 + 4 + 4 + 0 + 40/9 = 286/9 of 46 → 28600/414 = 69.082…
    assert r2(b.score) == Decimal("69.08")
    assert b.band == "Trung bình"
    assert (b.rank_siblings.rank, b.rank_siblings.of) == (1, 2)


def test_the_province_sums_its_subtree(october, org):
    report, _a, _b = october
    cana = report.for_unit(org.units["CANA"])
    # On time 5 of 7 finished + 1 open overdue = 5/8 → 12.5; online 4/8 = 50% → 6;
    # fees 3/5 online = 60% → 4; e-results 4/6 → 4; scanned 1/6 of 80% → 5/6.
    assert figures(cana, "dung_han") == ("scored", 5, 8, Decimal("12.50"))
    assert figures(cana, "hs_truc_tuyen") == ("scored", 4, 8, Decimal("6.00"))
    assert figures(cana, "hs_tt_truc_tuyen") == ("scored", 3, 5, Decimal("4.00"))
    assert figures(cana, "so_hoa_ket_qua") == ("scored", 1, 6, Decimal("0.83"))
    # Satisfaction: 8 due less A3, B3, A5 late = 5/8, below 90%: 6 × 0.625 ÷ 0.9 = 25/6.
    assert figures(cana, "hai_long_tthc") == ("scored", 5, 8, Decimal("4.17"))
    # 12.5 + 6 + 4 + 4 + 5/6 + 25/6 = 31.5 of 46 → 68.478…
    assert r2(cana.score) == Decimal("68.48")


def test_november_a_zero_denominator_leaves_the_indicator_out(two_months, org):
    report = index_report(*NOV)
    a = report.for_unit(org.units["VINHPHU"])
    # Only A5, stopped after its due: on time 0/1 → 0 points of 20.
    assert figures(a, "dung_han") == ("scored", 0, 1, Decimal("0.00"))
    # Nothing received, paid or issued in November: left out of the maximum.
    assert figures(a, "hs_truc_tuyen") == ("no_dossiers", 0, 0, None)
    assert figures(a, "ket_qua_dien_tu") == ("no_dossiers", 0, 0, None)
    # Satisfaction: A5 due and late: 0/1 → 0 of 6.
    assert figures(a, "hai_long_tthc") == ("scored", 0, 1, Decimal("0.00"))
    assert a.applicable_max == 26
    assert r2(a.score) == Decimal("0.00")
    assert a.band == "Yếu"
    # Thành Vinh did nothing in November: no score, no rank; Vinh Phú is 1st of 1.
    b = report.for_unit(org.units["THANHVINH"])
    assert b.score is None and b.rank_siblings is None
    assert (a.rank_siblings.rank, a.rank_siblings.of) == (1, 1)


def test_two_months_together(two_months, org):
    a = index_report(date(2026, 10, 1), date(2026, 11, 30)).for_unit(org.units["VINHPHU"])
    # A5 is no longer open at the end: finished late. 3 on time of 5 finished; satisfaction
    # 3/5 again (A3, A5 late) → 4. Same points as October: 437/15 of 46.
    assert figures(a, "dung_han") == ("scored", 3, 5, Decimal("12.00"))
    assert figures(a, "hai_long_tthc") == ("scored", 3, 5, Decimal("4.00"))
    assert r2(a.score) == Decimal("63.33")


def test_as_of_a_past_day_shows_what_was_known_then(two_months, org):
    # As of Mon 05/10 evening: A1 (on time) and A2 (early) only; A2 paid online, A1 cash.
    report = index_report(*OCT, as_of=date(2026, 10, 5))
    a = report.for_unit(org.units["VINHPHU"])
    assert figures(a, "dung_han") == ("scored", 2, 2, Decimal("20.00"))
    assert figures(a, "hs_truc_tuyen") == ("scored", 1, 2, Decimal("6.00"))


def test_indicators_without_data_are_shown_and_left_out(october):
    _report, a, _b = october
    synced = a.indicator("dong_bo_dvcqg")
    assert synced.state == "no_data"
    assert synced.missing_sources == ["national_portal"]
    assert a.indicator("hai_long_tthc").missing_sources == []
    assert a.indicator("csdl_dan_cu_hs").missing_sources == ["population_db"]
    assert sum(g.max_points for g in a.groups) == 100
