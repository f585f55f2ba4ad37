"""ID numbers and phone numbers take ASCII digits only: "١" (Arabic-Indic one) or "²" look like
digits to str.isdigit() but are on no ID card, and int("²") raises."""

import pytest

from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.identity import personal_id_error
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import dossier_receive
from tests.dossiers.api_client import ApiAs, errors_of
from tests.dossiers.stories import CITIZEN, all_documents
from tests.dossiers.test_views import INTAKE, intake_post, login

ARABIC = "040١٩٠123456"  # 040, then Arabic-Indic 1 9 0
SUPERSCRIPT = "04²190123456"  # int("²") raises ValueError
FULLWIDTH = "０４０１９０１２３４５６"


@pytest.mark.parametrize("number", [ARABIC, SUPERSCRIPT, FULLWIDTH, "040190012345\n"])
def test_it_says_a_number_with_other_digits_is_not_an_id_number(number):
    assert personal_id_error(number) == "Số định danh cá nhân phải gồm đúng 12 chữ số."


def test_it_still_accepts_a_valid_ascii_number():
    assert personal_id_error("040190012345") is None


@pytest.mark.parametrize(
    "field, value",
    [
        ("id_number", ARABIC),
        ("id_number", SUPERSCRIPT),
        ("proxy_id_number", SUPERSCRIPT),
        ("phone", "091234567٨"),
    ],
)
def test_intake_refuses_non_ascii_digits_and_receives_nothing(
    org, tam_tru, desk_vinhphu, friday_16h, field, value
):
    applicant = dict(CITIZEN, **{field: value})
    if field == "proxy_id_number":
        applicant |= {"proxy_name": "Trần Văn Bình", "proxy_authorisation": "Số 12/UQ"}
    with pytest.raises(InvalidInput) as caught:
        dossier_receive(
            actor=org["tiepnhan.vinhphu"],
            desk=desk_vinhphu,
            procedure_version=tam_tru,
            applicant=applicant,
            checklist=all_documents(),
        )
    assert field in caught.value.fields
    assert not Dossier.objects.exists()


def test_the_intake_screen_shows_the_error_next_to_the_field(client, org, tam_tru, desk_vinhphu):
    response = login(client, org, "tiepnhan.vinhphu").post(
        INTAKE, intake_post(desk_vinhphu, id_number=SUPERSCRIPT)
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_id_number_error"' in html and "đúng 12 chữ số" in html
    assert not Dossier.objects.exists()


def test_the_api_answers_422_field_by_field(client, org, tam_tru):
    api = ApiAs(client, org["tiepnhan.vinhphu"])
    status, body = api.post(
        "/dossiers",
        {
            "desk": "VINHPHU-MC",
            "procedure": "1.004194",
            "applicant": dict(CITIZEN, id_number=ARABIC, phone="٠٩١٢٣٤٥٦٧٨"),
            "checklist": all_documents(),
        },
    )
    assert status == 422
    fields = errors_of(body)
    assert fields["applicant.id_number"] == "Số định danh cá nhân phải gồm đúng 12 chữ số."
    assert fields["applicant.phone"] == "Số điện thoại không hợp lệ."
    assert not Dossier.objects.exists()
