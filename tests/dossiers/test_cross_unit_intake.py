"""Where a dossier goes at intake: only to a handling unit of the procedure that the desk serves.
Vinh Phú's receptionist cannot drop a dossier into the queue of the sibling Thành Vinh (which
handles the same procedure from its own desk); the province's desk, serving several departments,
chooses among those that handle the procedure."""

import pytest

from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import dossier_receive, handling_units_for
from motcua.org.models import User
from motcua.org.roles import Role
from tests.dossiers.api_client import ApiAs, errors_of
from tests.dossiers.stories import CITIZEN, all_documents, publish
from tests.dossiers.test_views import INTAKE, intake_post, login


@pytest.fixture
def provincial(org):
    """A procedure handled by two departments the province's desk serves, and by a commune."""
    return publish(org, "2.000001", handling_units=["PC06", "PC08", "VINHPHU"])


@pytest.fixture
def province_receptionist(org):
    return User.objects.create_user("tiepnhan.cana", unit=org.units["CANA"], role=Role.RECEPTIONIST)


def test_a_commune_desk_may_send_only_to_its_own_unit(org, tam_tru, desk_vinhphu):
    assert [u.code for u in handling_units_for(desk_vinhphu, tam_tru)] == ["VINHPHU"]


def test_naming_a_sibling_commune_is_refused_and_receives_nothing(
    org, tam_tru, desk_vinhphu, friday_16h
):
    with pytest.raises(InvalidInput) as caught:
        dossier_receive(
            actor=org["tiepnhan.vinhphu"],
            desk=desk_vinhphu,
            procedure_version=tam_tru,
            applicant=dict(CITIZEN),
            checklist=all_documents(),
            handling_unit=org.units["THANHVINH"],
        )
    assert caught.value.fields == {"handling_unit": "Chỉ chọn được: Công an phường Vinh Phú."}
    assert not Dossier.objects.exists()


def test_naming_its_own_unit_is_accepted(org, tam_tru, desk_vinhphu, friday_16h):
    d = dossier_receive(
        actor=org["tiepnhan.vinhphu"],
        desk=desk_vinhphu,
        procedure_version=tam_tru,
        applicant=dict(CITIZEN),
        checklist=all_documents(),
        handling_unit=org.units["VINHPHU"],
    )
    assert d.handling_unit == org.units["VINHPHU"]


def test_the_api_refuses_a_sibling_commune(client, org, tam_tru, friday_16h):
    api = ApiAs(client, org["tiepnhan.vinhphu"])
    body = {
        "desk": "VINHPHU-MC",
        "procedure": "1.004194",
        "applicant": dict(CITIZEN),
        "checklist": all_documents(),
        "handling_unit": "THANHVINH",
    }
    status, answer = api.post("/dossiers", body)
    assert status == 422
    assert errors_of(answer) == {"handling_unit": "Chỉ chọn được: Công an phường Vinh Phú."}
    assert not Dossier.objects.exists()

    status, answer = api.post("/dossiers", dict(body, handling_unit="VINHPHU"))
    assert status == 201 and answer["handling_unit"]["code"] == "VINHPHU"


def test_the_intake_screen_refuses_a_posted_sibling_commune(
    client, org, tam_tru, desk_vinhphu, friday_16h
):
    response = login(client, org, "tiepnhan.vinhphu").post(
        INTAKE, intake_post(desk_vinhphu, handling_unit="THANHVINH")
    )
    assert response.status_code == 422
    assert "chỉ chuyển được đến: Công an phường Vinh Phú" in response.content.decode()
    assert not Dossier.objects.exists()

    response = client.post(INTAKE, intake_post(desk_vinhphu, handling_unit="KHONGCO"))
    assert response.status_code == 422
    assert not Dossier.objects.exists()


def test_the_provinces_desk_chooses_among_the_departments_that_handle_it(
    client, org, provincial, province_receptionist, friday_16h
):
    desk = org.units["CANA"].desks.get()
    assert [u.code for u in handling_units_for(desk, provincial)] == ["PC06", "PC08"]

    client.force_login(province_receptionist)
    page = client.get(INTAKE, {"desk": desk.pk, "procedure": "2.000001"}).content.decode()
    assert 'data-testid="handling-unit-choice"' in page
    assert '<option value="PC08">' in page and 'value="VINHPHU"' not in page

    data = intake_post(desk, handling_unit="PC08") | {"procedure": "2.000001"}
    response = client.post(INTAKE, data)
    assert response.status_code == 302
    assert Dossier.objects.get().handling_unit.code == "PC08"

    response = client.post(INTAKE, data | {"handling_unit": "VINHPHU"})
    assert response.status_code == 422
    assert Dossier.objects.count() == 1
