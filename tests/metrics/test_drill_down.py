"""Every figure opens onto exactly the dossiers it counts, and only for the caller's subtree."""

from datetime import date

import pytest

from motcua.metrics.scores import index_report
from motcua.metrics.selectors import DrillDownRefused, dossiers_behind

OCT = (date(2026, 10, 1), date(2026, 10, 31))


def codes_of(dossiers, names):
    return {dossiers[name].code for name in names}


def listed(actor, unit, formula, side, period=OCT):
    rows = dossiers_behind(
        actor=actor, unit=unit, formula_code=formula, side=side, start=period[0], end=period[1]
    )
    return {d.code for d in rows}


@pytest.mark.parametrize(
    ("formula", "numerator", "denominator"),
    [
        ("dung_han", ["A1", "A2", "A4"], ["A1", "A2", "A3", "A4", "A5"]),
        ("hs_truc_tuyen", ["A2", "A5"], ["A1", "A2", "A3", "A4", "A5"]),
        ("hs_tt_truc_tuyen", ["A2"], ["A1", "A2", "A3"]),
        ("ket_qua_dien_tu", ["A1", "A2"], ["A1", "A2", "A3"]),
        ("so_hoa_ket_qua", ["A1"], ["A1", "A2", "A3"]),
    ],
)
def test_it_lists_exactly_the_dossiers_counted(two_months, org, formula, numerator, denominator):
    leader, unit = org["lanhdao.vinhphu"], org.units["VINHPHU"]
    assert listed(leader, unit, formula, "numerator") == codes_of(two_months, numerator)
    assert listed(leader, unit, formula, "denominator") == codes_of(two_months, denominator)
    figure = index_report(*OCT).for_unit(unit).indicator(formula)
    assert (figure.numerator, figure.denominator) == (len(numerator), len(denominator))


def test_the_province_inspector_drills_into_any_ward(two_months, org):
    both = listed(org["thanhtra"], org.units["CANA"], "dung_han", "denominator")
    assert both == codes_of(two_months, ["A1", "A2", "A3", "A4", "A5", "B1", "B2", "B3"])
    assert listed(org["thanhtra"], org.units["THANHVINH"], "dung_han", "numerator") == codes_of(
        two_months, ["B1", "B2"]
    )


@pytest.mark.parametrize(
    ("username", "unit"),
    [
        ("lanhdao.thanhvinh", "VINHPHU"),
        ("tiepnhan.vinhphu", "THANHVINH"),
        ("xuly.vinhphu", "CANA"),
        ("lanhdao.pc06", "VINHPHU"),
    ],
)
def test_another_units_staff_cannot_drill_in(two_months, org, username, unit):
    with pytest.raises(DrillDownRefused):
        listed(org[username], org.units[unit], "dung_han", "denominator")


def test_figures_without_a_dossier_list_say_so(two_months, org):
    with pytest.raises(DrillDownRefused):
        listed(org["lanhdao.vinhphu"], org.units["VINHPHU"], "dong_bo_dvcqg", "numerator")
