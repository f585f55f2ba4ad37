"""The demo catalogue: real police procedures, listed at the desks that receive them."""

import pytest

from motcua.catalog import demo
from motcua.catalog.models import Audience, Procedure, ProcedureVersion
from motcua.catalog.selectors import procedures_for_desk
from motcua.org.models import Desk, UnitKind


@pytest.fixture
def seeded(org):
    demo.seed()


def test_it_seeds_enough_public_internal_and_180_minute_procedures(seeded):
    published = Procedure.objects.published()
    public = published.filter(audience=Audience.PUBLIC)
    assert public.count() >= 25
    assert published.exclude(audience=Audience.PUBLIC).count() >= 5
    assert (
        public.filter(current_version__time_value=180, current_version__time_unit="minutes").count()
        >= 10
    )
    domains = set(public.values_list("domain__code", flat=True))
    assert {"CUTRU", "CANCUOC", "XNC", "DKX", "VKVLN", "CONDAU", "ANTT"} <= domains


def test_it_uses_the_times_and_fees_of_the_spec(seeded):
    residence = Procedure.objects.get(code="1.004194").current_version
    assert (residence.time_value, residence.time_unit) == (7, "working_days")
    assert residence.fees[0]["desk"] == 20000 and residence.fees[0]["online"] == 10000
    temporary = Procedure.objects.get(code="2.001159").current_version
    assert temporary.fees[0]["desk"] == 15000 and temporary.fees[0]["online"] == 7000
    recall = Procedure.objects.get(code="1.012503").current_version
    assert (recall.time_value, recall.time_unit) == (8, "working_hours")


def test_it_tells_the_180_minute_reform_as_two_versions(seeded):
    procedure = Procedure.objects.get(code="1.003676")
    first, second = procedure.versions.order_by("number")
    assert (first.time_value, first.time_unit) == (1, "working_days")
    assert (second.time_value, second.time_unit) == (180, "minutes")
    assert procedure.current_version == second
    # Before the 2025 reorganisation the old communes handled it; today the new wards do.
    assert "NGHIPHU" in first.handling_units.values_list("code", flat=True)
    assert "VINHPHU" in second.handling_units.values_list("code", flat=True)
    assert not second.handling_units.filter(valid_to__isnull=False).exists()


def test_it_is_idempotent(seeded):
    versions = ProcedureVersion.objects.count()
    demo.seed()
    assert ProcedureVersion.objects.count() == versions


def test_it_loads_the_catalogue_through_the_province_import(seeded):
    assert set(ProcedureVersion.objects.values_list("change_note", flat=True)) == {
        "Nhập từ tệp Excel."
    }


def test_it_lists_residence_and_id_procedures_at_commune_desks(seeded):
    for desk in Desk.objects.filter(unit__kind=UnitKind.COMMUNE_POLICE, is_active=True):
        domains = set(procedures_for_desk(desk, None).values_list("domain__code", flat=True))
        assert {"CUTRU", "CANCUOC"} <= domains, desk.code
        assert "XNC" in domains  # foreigners' temporary stay is declared at the commune too


def test_it_lists_pc06_pc08_and_pa08_procedures_at_the_provincial_desk(seeded):
    provincial = procedures_for_desk(Desk.objects.get(code="CANA-MC"), None)
    owners = set(provincial.values_list("owner_unit__code", flat=True))
    assert owners == {"PC06", "PC08", "PA08"}
    assert not provincial.exclude(audience=Audience.PUBLIC).exists()


def test_it_tells_citizens_when_each_open_desk_receives(seeded):
    open_desks = Desk.objects.filter(is_active=True)
    assert open_desks.filter(code__in=["CANA-MC", "VINHPHU-MC", "THANHVINH-MC"]).count() == 3
    for desk in open_desks:
        assert "sáng 7:30–11:30, chiều 13:30–17:00" in desk.opening_hours, desk.code
    # A merged unit's desk is closed: it keeps its records but receives nobody.
    assert not Desk.objects.get(code="NGHIPHU-MC").is_active
