"""Who sees and does what, across two sibling wards under Công an tỉnh Nghệ An.

Vinh Phú and Thành Vinh are siblings: nobody in one may see the other, nor the units merged
into the other in 2025. Each sees the units merged into it (it keeps their records). The
provincial inspector and system administrator see everything.
"""

import pytest

from motcua.org.models import Unit, User
from motcua.org.roles import Cap, Role
from motcua.org.scoping import can_act_on

SIBLINGS = {"VINHPHU": "THANHVINH", "THANHVINH": "VINHPHU"}
MERGED_INTO = {
    "VINHPHU": {"NGHIPHU", "HAHUYTAP"},
    "THANHVINH": {"HUNGBINH", "LELOI", "QUANGTRUNG", "CUANAM"},
}

# role -> capabilities that role must have, and must not have
MATRIX = {
    Role.RECEPTIONIST: (
        {Cap.RECEIVE_DOSSIERS, Cap.VIEW_DOSSIERS},
        {
            Cap.PROCESS_DOSSIERS,
            Cap.APPROVE_DOSSIERS,
            Cap.EDIT_CATALOG,
            Cap.MANAGE_STAFF,
            Cap.ADMIN_SITE,
        },
    ),
    Role.HANDLER: (
        {Cap.PROCESS_DOSSIERS, Cap.VIEW_DOSSIERS},
        {
            Cap.RECEIVE_DOSSIERS,
            Cap.APPROVE_DOSSIERS,
            Cap.EDIT_CATALOG,
            Cap.MANAGE_STAFF,
            Cap.ADMIN_SITE,
        },
    ),
    Role.LEADER: (
        {Cap.APPROVE_DOSSIERS, Cap.PROCESS_DOSSIERS, Cap.PUBLISH_CATALOG},
        {Cap.RECEIVE_DOSSIERS, Cap.EDIT_CATALOG, Cap.MANAGE_STAFF, Cap.ADMIN_SITE},
    ),
    Role.INSPECTOR: (
        {Cap.VIEW_DOSSIERS, Cap.VIEW_REPORTS, Cap.VIEW_AUDIT},
        {
            Cap.RECEIVE_DOSSIERS,
            Cap.PROCESS_DOSSIERS,
            Cap.APPROVE_DOSSIERS,
            Cap.EDIT_CATALOG,
            Cap.PUBLISH_CATALOG,
            Cap.MANAGE_STAFF,
            Cap.ADMIN_SITE,
        },
    ),
    Role.CATALOG_ADMIN: (
        {Cap.EDIT_CATALOG, Cap.PUBLISH_CATALOG},
        {Cap.RECEIVE_DOSSIERS, Cap.PROCESS_DOSSIERS, Cap.MANAGE_STAFF},
    ),
    # Sentence cases are sensitive personal data: the system administrator does not read them.
    Role.SYSADMIN: (
        set(Cap) - {Cap.SUPERVISE_SENTENCES, Cap.VIEW_SENTENCES, Cap.COUNT_SENTENCES},
        {Cap.SUPERVISE_SENTENCES, Cap.VIEW_SENTENCES, Cap.COUNT_SENTENCES},
    ),
}

COMMUNE_PEOPLE = [
    (f"{prefix}.{commune.lower()}", commune)
    for prefix in ("tiepnhan", "xuly", "lanhdao")
    for commune in ("VINHPHU", "THANHVINH")
]


@pytest.mark.parametrize("role", list(MATRIX))
def test_it_gives_each_role_exactly_its_capabilities(org, role):
    person = next(p for p in org.people.values() if p.role == role)
    must, must_not = MATRIX[role]
    assert must <= person.capabilities
    assert not (must_not & person.capabilities)


@pytest.mark.parametrize(("username", "commune"), COMMUNE_PEOPLE)
def test_it_shows_commune_staff_their_own_unit_only(org, username, commune):
    person = org[username]
    sibling = org.units[SIBLINGS[commune]]

    units = set(Unit.objects.for_user(person).values_list("code", flat=True))
    staff = set(User.objects.for_user(person).values_list("unit__code", flat=True))

    assert units == {commune} | MERGED_INTO[commune]
    assert staff == {commune}
    assert can_act_on(person, org.units[commune])
    assert not can_act_on(person, sibling)
    assert not any(can_act_on(person, org.units[code]) for code in MERGED_INTO[sibling.code])
    assert not can_act_on(person, org.units["VINH"])


@pytest.mark.parametrize(("username", "commune"), COMMUNE_PEOPLE)
def test_it_hides_the_sibling_commune_on_pages_and_api(client, org, username, commune):
    client.force_login(org[username])
    sibling = org.units[SIBLINGS[commune]]

    units_page = client.get("/can-bo/don-vi/").content.decode()
    staff_page = client.get("/can-bo/nhan-su/").content.decode()
    api_units = {u["code"] for u in client.get("/api/v1/units").json()}

    assert org.units[commune].name in units_page
    assert sibling.name not in units_page
    assert org[username].get_full_name() in staff_page
    assert not any(
        p.get_full_name() in staff_page for p in org.people.values() if p.unit_id == sibling.id
    )
    assert api_units == {commune} | MERGED_INTO[commune]


def test_it_gives_a_ward_the_history_of_the_units_merged_into_it(org):
    leader = org["lanhdao.vinhphu"]
    nghi_phu = org.units["NGHIPHU"]

    assert nghi_phu.merged_into == org.units["VINHPHU"]
    assert not nghi_phu.is_active
    assert can_act_on(leader, nghi_phu)
    assert not can_act_on(leader, org.units["HUNGBINH"])  # merged into Thành Vinh


def test_it_lets_the_provincial_inspector_see_every_ward_and_its_history(org):
    inspector = org["thanhtra"]
    units = set(Unit.objects.for_user(inspector).values_list("code", flat=True))

    assert {"VINHPHU", "THANHVINH", "NGHIPHU", "HUNGBINH", "VINH", "PC06"} <= units
    assert "BCA" not in units
    assert not can_act_on(inspector, org.units["BCA"])


def test_it_lets_the_provincial_sysadmin_see_every_provincial_unit(org):
    admin = org["quantri"]
    assert Unit.objects.for_user(admin).count() == Unit.objects.count()


def test_it_shows_nothing_to_anonymous_or_disabled_users(org):
    from django.contrib.auth.models import AnonymousUser

    disabled = org["xuly.vinhphu"]
    disabled.is_active = False
    disabled.save()
    assert not Unit.objects.for_user(AnonymousUser()).exists()
    assert not Unit.objects.for_user(disabled).exists()
    assert disabled.capabilities == frozenset()


def test_it_keeps_non_admins_out_of_the_admin_site(client, org):
    client.force_login(org["lanhdao.vinhphu"])
    assert client.get("/quan-tri/").status_code == 302  # sent to the admin login
    client.force_login(org["quantri"])
    assert client.get("/quan-tri/").status_code == 200
