"""The demo OpenID provider: answers only when DEMO_IDP is on, publishes its discovery document
(RS256 keys, PKCE S256), and `check --deploy` refuses it in production."""

import subprocess

import pytest
from django.core.management import call_command
from oauth2_provider.models import Application

from motcua.demo_idp import demo
from motcua.demo_idp.checks import demo_idp_off
from motcua.demo_idp.models import DemoIdentity
from motcua.org.models import User
from tests.test_cli_and_server import MOTCUA, _env

DISCOVERY = "/demo-idp/.well-known/openid-configuration"


def test_check_deploy_refuses_the_demo_provider(settings):
    settings.DEMO_IDP = True
    assert [e.id for e in demo_idp_off(None)] == ["motcua.demo_idp.E001"]
    settings.DEMO_IDP = False
    assert demo_idp_off(None) == []


def test_check_deploy_with_production_settings_fails_when_demo_idp_is_on(tmp_path):
    env = _env(
        tmp_path,
        DEBUG="false",
        HTTPS="true",
        SECRET_KEY="x" * 60 + "production-secret-key-for-the-check",
        ALLOWED_HOSTS="motcua.example.vn",
        DEMO_IDP="true",
    )
    result = subprocess.run(
        [*MOTCUA, "check", "--deploy"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "motcua.demo_idp.E001" in result.stderr + result.stdout
    assert (tmp_path / "demo-idp-key.pem").exists()  # generated at first use, under var/


def test_its_addresses_do_not_exist_when_it_is_off(client, db, settings):
    settings.DEMO_IDP = False
    for url in (DISCOVERY, "/demo-idp/authorize/", "/demo-idp/token/", "/demo-idp/dang-nhap/"):
        assert client.get(url).status_code == 404, url


def test_discovery_publishes_pkce_s256_and_rs256(client, db):
    document = client.get(DISCOVERY).json()

    assert document["issuer"] == "http://testserver/demo-idp"
    assert document["authorization_endpoint"] == "http://testserver/demo-idp/authorize/"
    assert document["token_endpoint"] == "http://testserver/demo-idp/token/"
    assert "S256" in document["code_challenge_methods_supported"]
    assert "RS256" in document["id_token_signing_alg_values_supported"]
    assert "id_number" in document["claims_supported"]
    keys = client.get(document["jwks_uri"].removeprefix("http://testserver")).json()["keys"]
    assert [k["kty"] for k in keys] == ["RSA"]


def test_its_login_page_says_it_is_only_for_the_demo(client, db):
    page = client.get("/demo-idp/dang-nhap/").content.decode()
    assert "Máy chủ định danh mô phỏng — chỉ dùng cho demo" in page


def test_seeding_twice_leaves_the_same_accounts(db):
    demo.seed()
    demo.seed()
    assert sorted(DemoIdentity.objects.values_list("username", flat=True)) == [
        "congdan1",
        "congdan2",
        "congdan3",
    ]
    for identity in DemoIdentity.objects.select_related("user"):
        assert not identity.user.has_usable_password()  # no staff-login door
        assert identity.user.unit_id is None and identity.user.role == ""
    assert not User.objects.filter(id_number__startswith="040").exists()  # no citizen yet


@pytest.mark.parametrize("identity", demo.IDENTITIES)
def test_the_demo_id_numbers_are_valid(identity):
    from motcua.dossiers.identity import personal_id_error

    assert personal_id_error(identity[2]) is None


def test_setup_registers_motcua_for_each_address(db, settings, capsys):
    call_command(
        "demo_idp_setup",
        "--base-url",
        "http://127.0.0.1:8000",
        "--base-url",
        "http://localhost:8000/",
    )
    call_command("demo_idp_setup", "--base-url", "http://127.0.0.1:9000")

    app = Application.objects.get(client_id="motcua-demo")
    assert app.redirect_uris == "http://127.0.0.1:9000/cong-dan/dang-nhap/dinh-danh/xong/"
    assert app.skip_authorization and app.algorithm == "RS256"
    assert Application.objects.count() == 1
    assert "congdan1" in capsys.readouterr().out


def test_the_staff_login_form_does_not_open_for_a_demo_identity(client, db):
    demo.seed()
    response = client.post("/dang-nhap/", {"username": "idp-congdan1", "password": "MotCua@2026"})
    assert response.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in client.session
