import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def test_create_token_refuses_an_unknown_user_in_vietnamese(db):
    with pytest.raises(CommandError, match="Không tìm thấy cán bộ"):
        call_command("create_token", user="khongco")


def test_session_auth_works_for_the_logged_in_browser(client, org):
    client.force_login(org["lanhdao.hungbinh"])
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["unit_code"] == "HUNGBINH"


def test_anonymous_requests_get_401_with_a_stable_code(client, db):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
