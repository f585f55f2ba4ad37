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
    call_command("create_token", user="tiepnhan.nghiphu")
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
        "desk": "NGHIPHU-MC",
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
        "desk": "NGHIPHU-MC",
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
