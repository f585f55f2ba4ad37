"""Odd input is refused with a clear Vietnamese answer, never a server error.

A NUL character cannot be stored in PostgreSQL text: wherever it comes in (path, query, form
field, cookie, JSON string), the request is answered 400 before any view or query sees it.
"""

import json

import pytest
from django.core.management import call_command
from django.test import Client

from motcua.dossiers.models import Dossier
from tests.dossiers.stories import CITIZEN, all_documents


@pytest.fixture
def token(org, capsys):
    call_command("create_token", user="tiepnhan.vinhphu")
    return capsys.readouterr().out.strip()


@pytest.fixture
def api(token):
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {token}")


def _json(response):
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def test_it_answers_a_nul_in_an_api_query_with_a_json_400(api):
    response = api.get("/api/v1/dossiers", {"q": "\x00"})
    assert response.status_code == 400
    assert _json(response) == {
        "code": "bad_request",
        "message": "Dữ liệu gửi lên chứa ký tự không hợp lệ.",
    }


def test_it_answers_a_nul_in_a_page_path_with_the_vietnamese_error_page(db):
    response = Client(raise_request_exception=False).get("/tra-cuu/%00/")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_it_refuses_an_applicant_name_with_a_nul_and_receives_nothing(api, tam_tru):
    body = {
        "desk": "VINHPHU-MC",
        "procedure": "1.004194",
        "applicant": {**CITIZEN, "name": "Nguyễn\u0000Thị Lan"},
        "checklist": all_documents(),
    }
    response = api.post("/api/v1/dossiers", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert _json(response)["code"] == "bad_request"
    assert not Dossier.objects.exists()


def test_it_still_accepts_a_json_string_that_only_spells_backslash_u0000(api, tam_tru):
    # "\\u0000" in JSON is a backslash followed by the text u0000: harmless, not a NUL.
    body = {
        "desk": "VINHPHU-MC",
        "procedure": "1.004194",
        "applicant": CITIZEN,
        "checklist": all_documents(),
        "request_summary": "C:\\u0000",
    }
    response = api.post("/api/v1/dossiers", json.dumps(body), content_type="application/json")
    assert response.status_code == 201
    assert Dossier.objects.get().request_summary == "C:\\u0000"


def test_it_refuses_a_nul_in_a_form_field(org):
    client = Client(raise_request_exception=False)
    response = client.post("/dang-nhap/", {"username": "tiepnhan\x00", "password": "x"})
    assert response.status_code == 400
    assert "Dữ liệu gửi lên không hợp lệ." in response.content.decode()


def test_it_refuses_a_nul_in_a_cookie(db):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "abc\x00def"
    assert client.get("/dang-nhap/").status_code == 400


@pytest.mark.parametrize("secret", ["ÉÉÉ", "²²²²²²²²", "\u202etrắng"])
def test_it_answers_a_non_ascii_tracking_secret_as_a_wrong_one(client, received, secret):
    response = client.post(f"/tra-cuu/{received.code}/", {"ma_tra_cuu": secret})
    assert response.status_code == 200
    assert "Mã tra cứu không đúng" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "tu=01/12/9999&den=31/12/9999",
        "tu=01/01/0001&den=02/01/0001",
        "tu=31/12/2100&den=01/01/2101",
    ],
)
@pytest.mark.parametrize("export", ["", "VINHPHU-MC.pdf", "VINHPHU-MC.xlsx"])
def test_it_explains_that_a_logbook_range_must_lie_between_1900_and_2100(org, export, query):
    client = Client(raise_request_exception=False)
    client.force_login(org["tiepnhan.vinhphu"])
    response = client.get(f"/can-bo/ho-so/so-theo-doi/{export}?{query}")
    assert response.status_code in (400, 422)
    assert "Năm phải từ 1900 đến 2100" in response.content.decode() or (
        "năm từ 1900 đến 2100" in response.content.decode()
    )


@pytest.mark.parametrize("offset", ["9223372036854775808", "-1", "1000000000001"])
def test_it_refuses_an_api_offset_outside_its_range_with_a_422(api, offset):
    response = api.get("/api/v1/dossiers", {"offset": offset})
    assert response.status_code == 422
    assert _json(response)["errors"][0]["field"] == "offset"


def test_it_refuses_a_procedure_list_offset_beyond_any_page_with_a_422(api):
    response = api.get("/api/v1/procedures", {"offset": "9223372036854775808"})
    assert response.status_code == 422


@pytest.mark.parametrize(
    "url",
    [
        "/can-bo/ho-so/?trang=99999999999999999999999",
        "/can-bo/ho-so/tiep-nhan/?ban=99999999999999999999999",
        "/can-bo/ho-so/tiep-nhan/?ban=²",
    ],
)
def test_it_treats_an_absurd_number_in_a_staff_page_query_as_absent(org, url):
    client = Client(raise_request_exception=False)
    client.force_login(org["tiepnhan.vinhphu"])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("value", ["99999999999999999999999", "²", "-3", "1e3"])
def test_it_answers_not_found_to_an_absurd_version_number_in_a_comparison(client, tam_tru, value):
    response = client.get(f"/tthc/1.004194/so-sanh/?tu={value}&den=1")
    assert response.status_code in (200, 404)


def test_it_answers_an_id_number_with_a_superscript_digit_as_invalid(api, tam_tru):
    body = {
        "desk": "VINHPHU-MC",
        "procedure": "1.004194",
        "applicant": {**CITIZEN, "id_number": "04019001234²"},
        "checklist": all_documents(),
    }
    response = api.post("/api/v1/dossiers", json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    assert "applicant.id_number" in {e["field"] for e in _json(response)["errors"]}


def test_it_documents_the_400_of_a_malformed_body_on_every_api_operation(api):
    document = api.get("/api/v1/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert "400" in operation["responses"], f"{method.upper()} {path}"
    response = api.post("/api/v1/dossiers", "{", content_type="application/json")
    assert response.status_code == 400 and _json(response)["code"] == "bad_request"
