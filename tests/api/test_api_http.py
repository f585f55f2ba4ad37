"""The API over real HTTP (live server): health, tokens, errors, OpenAPI and docs."""

import json

import pytest
from django.core.management import call_command

from motcua.api.models import ApiToken
from tests.api.http import http

pytestmark = pytest.mark.django_db(transaction=True)


def make_token(username, capsys):
    call_command("create_token", user=username)
    return capsys.readouterr().out.strip()


def test_health_checks_the_database(live_server):
    status, body, _ = http(f"{live_server.url}/api/v1/health")
    assert status == 200
    assert json.loads(body)["status"] == "ok"


def test_a_token_authenticates_and_is_scoped_to_the_unit(live_server, org, capsys):
    token = make_token("tiepnhan.vinhphu", capsys)
    assert token.startswith("mc_")
    # Only a hash is stored.
    assert not ApiToken.objects.filter(key_hash=token).exists()

    status, body, _ = http(f"{live_server.url}/api/v1/me", token)
    me = json.loads(body)
    assert status == 200
    assert me["unit_name"] == "Công an phường Vinh Phú"
    assert "dossiers.receive" in me["capabilities"]

    status, body, _ = http(f"{live_server.url}/api/v1/units", token)
    # The ward and the units merged into it in 2025, whose records it keeps.
    assert {u["code"] for u in json.loads(body)} == {"VINHPHU", "NGHIPHU", "HAHUYTAP"}


def test_a_revoked_or_wrong_token_gets_a_vietnamese_401(live_server, org, capsys):
    token = make_token("xuly.thanhvinh", capsys)
    call_command("revoke_token", token[:10])

    for bad in (token, "mc_not-a-token"):
        status, body, headers = http(f"{live_server.url}/api/v1/me", bad)
        error = json.loads(body)
        assert status == 401
        assert headers["Content-Type"].startswith("application/json")
        assert error["code"] == "unauthenticated"
        assert "đăng nhập" in error["message"]


def test_unknown_paths_get_a_json_error_code(live_server, org, capsys):
    token = make_token("tiepnhan.vinhphu", capsys)
    status, body, _ = http(f"{live_server.url}/api/v1/khong-co", token)
    assert status == 404


def test_openapi_and_docs_are_served_without_any_cdn(live_server):
    status, body, _ = http(f"{live_server.url}/api/v1/openapi.json")
    schema = json.loads(body)
    assert status == 200
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/health" in schema["paths"]

    status, body, _ = http(f"{live_server.url}/api/v1/docs")
    html = body.decode()
    assert status == 200
    assert "swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
