import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def test_create_token_refuses_an_unknown_user_in_vietnamese(db):
    with pytest.raises(CommandError, match="Không tìm thấy cán bộ"):
        call_command("create_token", user="khongco")


def test_session_auth_works_for_the_logged_in_browser(client, org):
    client.force_login(org["lanhdao.thanhvinh"])
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["unit_code"] == "THANHVINH"


def test_anonymous_requests_get_401_with_a_stable_code(client, db):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_a_post_with_a_bad_token_is_401_not_a_csrf_403(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/dossiers",
        data={},
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer mc_wrong",
    )
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_an_oversized_body_is_a_json_413(client, org, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(org["tiepnhan.vinhphu"])
    response = client.post(
        "/api/v1/dossiers", data={"x": "a" * 5000}, content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
