"""A citizen on a 360 px phone signs in through the demo identity provider: the real
authorisation code flow with PKCE through the live server, nothing mocked. Or with a code."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import mail
from django.core.cache import cache

from motcua.org.demo import DEMO_PASSWORD
from motcua.org.models import User
from tests.portal.oidc_flow import configure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def base(settings, live_server):
    return configure(settings, live_server)


def test_a_citizen_signs_in_with_the_identity_provider(page, base, artifacts):
    page.goto(f"{base}/tra-cuu/")
    page.get_by_test_id("citizen-sign-in-link").click()
    page.wait_for_url(f"{base}/cong-dan/dang-nhap/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts / "citizen-sign-in-360.png"), full_page=True)
    page.get_by_role("link", name="Đăng nhập bằng tài khoản định danh").click()

    # The provider's own page, clearly not motcua's.
    page.wait_for_url(re.compile(r"/demo-idp/dang-nhap/\?next="))
    banner = page.get_by_test_id("demo-idp-banner").inner_text()
    assert banner == "Máy chủ định danh mô phỏng — chỉ dùng cho demo"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts / "demo-idp-login-360.png"), full_page=True)
    page.fill("#id_username", "congdan1")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    # The trusted demo application skips consent: straight back to motcua, signed in.
    page.wait_for_url(f"{base}/cong-dan/")
    assert page.get_by_test_id("signed-in-as").inner_text() == (
        "Bạn đang đăng nhập với tên Nguyễn Văn An."
    )
    assert page.get_by_test_id("my-dossiers-link").is_visible()
    assert User.objects.get(id_number="040090001234").is_citizen
    page.screenshot(path=str(artifacts / "citizen-signed-in-360.png"), full_page=True)

    page.get_by_test_id("citizen-sign-out").click()
    page.wait_for_url(re.compile(r"/cong-dan/dang-nhap/\?da_dang_xuat=1$"))
    page.goto(f"{base}/cong-dan/")
    assert "/cong-dan/dang-nhap/" in page.url


def sign_in_with_the_provider(page, base):
    page.goto(f"{base}/cong-dan/dang-nhap/")
    page.get_by_role("link", name="Đăng nhập bằng tài khoản định danh").click()
    page.wait_for_url(re.compile(r"/demo-idp/dang-nhap/\?next="))
    page.fill("#id_username", "congdan1")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/cong-dan/")


def test_signing_out_ends_the_providers_session_too(page, base):
    """On a shared phone, "Đăng xuất" must mean the next person is asked for a password: the
    provider's session ends with motcua's (RP-Initiated Logout), not just motcua's."""
    sign_in_with_the_provider(page, base)
    seen = []
    page.on("request", lambda request: seen.append(request.url))

    page.get_by_test_id("citizen-sign-out").click()
    page.wait_for_url(f"{base}/cong-dan/dang-nhap/?da_dang_xuat=1")
    assert any(url.startswith(f"{base}/demo-idp/logout/?id_token_hint=") for url in seen)
    page.goto(f"{base}/cong-dan/")
    assert "/cong-dan/dang-nhap/" in page.url

    # Signing in again asks for the password again, at the provider.
    page.goto(f"{base}/cong-dan/dang-nhap/")
    page.get_by_role("link", name="Đăng nhập bằng tài khoản định danh").click()
    page.wait_for_url(re.compile(r"/demo-idp/dang-nhap/\?next="))
    assert page.locator("#id_password").is_visible()
    page.goto(f"{base}/demo-idp/dang-nhap/")
    assert page.locator("#id_password").is_visible()  # nobody signed in at the provider


def test_a_tampered_state_is_refused(page, base):
    page.goto(f"{base}/cong-dan/dang-nhap/")
    page.get_by_role("link", name="Đăng nhập bằng tài khoản định danh").click()
    page.wait_for_url(re.compile(r"/demo-idp/dang-nhap/"))
    # Sign in at the provider with the browser's own cookies, but stop before the way back.
    token = page.locator("input[name=csrfmiddlewaretoken]").get_attribute("value")
    next_url = page.locator("input[name=next]").get_attribute("value")
    login = page.request.post(
        page.url,
        form={
            "csrfmiddlewaretoken": token,
            "username": "congdan1",
            "password": DEMO_PASSWORD,
            "next": next_url,
        },
        max_redirects=0,
    )
    assert login.status == 302
    authorize = page.request.get(base + login.headers["location"], max_redirects=0)
    callback = urlparse(authorize.headers["location"])
    query = parse_qs(callback.query)
    forged = "A" * len(query["state"][0])

    page.goto(f"{base}{callback.path}?code={query['code'][0]}&state={forged}")

    assert "Phiên đăng nhập không hợp lệ hoặc đã hết hạn" in (
        page.get_by_test_id("sign-in-error").inner_text()
    )
    assert not User.objects.filter(id_number="040090001234").exists()
    page.goto(f"{base}/cong-dan/")
    assert "/cong-dan/dang-nhap/" in page.url


def test_a_citizen_signs_in_with_a_code_sent_by_mail(page, live_server):
    cache.clear()
    page.goto(f"{live_server.url}/cong-dan/dang-nhap/")
    page.get_by_role("link", name="Đăng nhập bằng mã gửi qua e-mail hoặc tin nhắn").click()
    page.fill("#id_so_dinh_danh", "040190002468")
    page.fill("#id_ho_ten", "Phạm Thị Lan")
    page.fill("#id_lien_he", "lan@example.vn")
    page.get_by_role("button", name="Gửi mã").click()
    page.wait_for_url(re.compile(r"/xac-nhan/$"))

    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.fill("#id_ma", code)
    page.get_by_role("button", name="Đăng nhập").click()

    page.wait_for_url(f"{live_server.url}/cong-dan/")
    assert "Phạm Thị Lan" in page.get_by_test_id("signed-in-as").inner_text()
