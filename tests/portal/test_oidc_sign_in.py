"""Citizens sign in through OpenID Connect: the real authorisation code flow with PKCE between
motcua and the demo provider on the live server, over HTTP. The claims make a citizen account."""

from urllib.parse import parse_qs, urljoin, urlparse

import pytest
import requests

from motcua.audit.models import AuditEntry
from motcua.demo_idp.models import DemoIdentity
from motcua.org.models import User
from motcua.org.roles import Role
from tests.portal.oidc_flow import configure, follow, idp_login, sign_in, start


@pytest.fixture
def base(settings, live_server):
    return configure(settings, live_server)


@pytest.fixture
def browser():
    with requests.Session() as session:
        yield session


def test_it_signs_a_citizen_in_from_the_providers_claims(base, browser):
    page = sign_in(browser, base, "congdan1")

    assert page.status_code == 200
    assert page.url == f"{base}/cong-dan/"
    assert "Bạn đang đăng nhập với tên Nguyễn Văn An." in page.text
    citizen = User.objects.get(id_number="040090001234")
    assert citizen.is_citizen and citizen.unit_id is None
    assert (citizen.last_name, citizen.first_name) == ("Nguyễn Văn", "An")
    assert (citizen.email, citizen.phone) == ("congdan1@demo.motcua.vn", "0912000001")
    assert not citizen.has_usable_password()
    # The provider's own account is another row, which motcua never signs in.
    assert citizen != DemoIdentity.objects.get(username="congdan1").user
    assert AuditEntry.objects.filter(action="citizen.create", object_id=str(citizen.pk)).exists()
    signed_in = AuditEntry.objects.get(action="citizen.sign_in", object_id=str(citizen.pk))
    assert signed_in.changes == {"method": "oidc"}


def test_the_authorisation_request_carries_pkce_s256_and_the_citizen_scopes(base, browser):
    response = browser.get(f"{base}/cong-dan/dang-nhap/dinh-danh/", allow_redirects=False)

    query = parse_qs(urlparse(response.headers["Location"]).query)
    assert response.headers["Location"].startswith(f"{base}/demo-idp/authorize/")
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert query["scope"] == ["openid profile email phone"]
    assert query["client_id"] == ["motcua-demo"]


def test_the_provider_refuses_a_request_without_pkce(base, browser):
    page = start(browser, base)
    idp_login(browser, page, "congdan1")  # signed in at the provider
    response = browser.get(
        f"{base}/demo-idp/authorize/",
        params={
            "response_type": "code",
            "client_id": "motcua-demo",
            "redirect_uri": f"{base}/cong-dan/dang-nhap/dinh-danh/xong/",
            "scope": "openid",
            "state": "x" * 32,
            "nonce": "y" * 32,
        },
        allow_redirects=False,
    )
    location = response.headers.get("Location", "")
    assert "code=" not in location
    assert "error=invalid_request" in location


def test_a_second_sign_in_updates_the_same_account(base, browser):
    sign_in(browser, base, "congdan1")
    DemoIdentity.objects.filter(username="congdan1").update(phone="0988777666")
    with requests.Session() as again:
        sign_in(again, base, "congdan1")

    assert User.objects.filter(id_number="040090001234").count() == 1
    assert User.objects.get(id_number="040090001234").phone == "0988777666"


def test_it_goes_back_to_a_safe_next_page_only(base, browser):
    assert sign_in(browser, base, "congdan2", next_url="/tra-cuu/").url == f"{base}/tra-cuu/"
    with requests.Session() as other:
        page = sign_in(other, base, "congdan3", next_url="https://evil.example/")
    assert page.url == f"{base}/cong-dan/"


def test_a_staff_members_id_number_is_refused(base, browser, org):
    staff = org["tiepnhan.vinhphu"]
    User.objects.filter(pk=staff.pk).update(id_number="040090001234")

    page = sign_in(browser, base, "congdan1")

    assert page.status_code == 403
    assert "Số định danh này thuộc một tài khoản cán bộ." in page.text
    assert "Bạn đang đăng nhập" not in follow(browser, f"{base}/cong-dan/").text
    staff.refresh_from_db()
    assert (staff.role, staff.unit_id) == (Role.RECEPTIONIST, org.units["VINHPHU"].pk)


def test_claims_without_an_id_number_are_refused(base, browser):
    DemoIdentity.objects.filter(username="congdan1").update(id_number="")

    page = sign_in(browser, base, "congdan1")

    assert page.status_code == 403
    assert "không cung cấp số định danh cá nhân" in page.text
    assert not User.objects.filter(role=Role.CITIZEN).exists()


def test_a_tampered_state_is_refused(base, browser):
    back = idp_login(browser, start(browser, base), "congdan1")
    callback = urlparse(urljoin(base, back.headers["Location"]))
    query = parse_qs(callback.query)
    forged = f"{base}{callback.path}?code={query['code'][0]}&state=forged{query['state'][0][6:]}"

    page = browser.get(forged, allow_redirects=False)

    assert page.status_code == 400
    assert "Phiên đăng nhập không hợp lệ hoặc đã hết hạn" in page.text
    assert not User.objects.filter(role=Role.CITIZEN).exists()


def test_a_code_replayed_after_use_is_refused(base, browser):
    back = idp_login(browser, start(browser, base), "congdan1")
    callback = urljoin(base, back.headers["Location"])
    assert follow(browser, callback).url == f"{base}/cong-dan/"

    with requests.Session() as thief:
        page = thief.get(callback, allow_redirects=False)
    assert page.status_code in (302, 400, 403)
    assert "Bạn đang đăng nhập" not in follow(requests.Session(), f"{base}/cong-dan/").text


def test_a_wrong_idp_password_keeps_you_at_the_provider(base, browser):
    page = start(browser, base)
    token = page.text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = browser.post(
        page.url,
        data={"csrfmiddlewaretoken": token, "username": "congdan1", "password": "sai"},
        headers={"Referer": page.url},
        allow_redirects=False,
    )
    assert response.status_code == 422
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.text


def test_signing_in_at_the_provider_does_not_sign_in_to_motcua(base, browser):
    idp_login(browser, start(browser, base), "congdan1")

    assert "Bạn đang đăng nhập" not in follow(browser, f"{base}/cong-dan/").text
    assert {c.name: c.path for c in browser.cookies}["demo_idp_session"] == "/demo-idp/"


def test_signing_out_signs_out_at_the_provider_too(base, browser):
    sign_in(browser, base, "congdan1")
    page = follow(browser, f"{base}/cong-dan/")
    token = page.text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]

    response = browser.post(
        f"{base}/cong-dan/dang-xuat/",
        data={"csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/cong-dan/"},
        allow_redirects=False,
    )

    assert response.status_code == 302
    logout = urlparse(response.headers["Location"])
    assert f"{logout.scheme}://{logout.netloc}{logout.path}" == f"{base}/demo-idp/logout/"
    query = parse_qs(logout.query)
    assert query["client_id"] == ["motcua-demo"]
    assert query["post_logout_redirect_uri"] == [f"{base}/cong-dan/dang-nhap/?da_dang_xuat=1"]
    assert query["id_token_hint"][0].count(".") == 2  # the ID token motcua was given
    # The provider ends its session without asking (the token is its signed-in person's) and
    # sends the citizen back to motcua's sign-in page.
    back = browser.get(response.headers["Location"], allow_redirects=False)
    assert back.status_code == 302
    assert back.headers["Location"] == f"{base}/cong-dan/dang-nhap/?da_dang_xuat=1"
    assert "Bạn đang đăng nhập" not in follow(browser, f"{base}/cong-dan/").text
    # Signing in again stops at the provider's password form.
    again = start(browser, base)
    assert urlparse(again.url).path == "/demo-idp/dang-nhap/"
    assert 'name="password"' in again.text


def test_a_citizen_signed_in_with_a_code_just_signs_out(base, client, settings):
    from motcua.portal.citizens import citizen_upsert

    citizen = citizen_upsert(id_number="040090009999", full_name="Lê Thị Hoa", email="", phone="")
    client.force_login(citizen)

    response = client.post("/cong-dan/dang-xuat/")

    assert response.status_code == 302
    assert response.headers["Location"] == "/cong-dan/dang-nhap/?da_dang_xuat=1"
