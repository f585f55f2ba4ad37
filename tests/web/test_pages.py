import pytest
from django.test import override_settings


def test_the_login_page_is_in_vietnamese(client, db):
    html = client.get("/dang-nhap/").content.decode()
    assert '<html lang="vi">' in html
    assert "Tên đăng nhập" in html and "Mật khẩu" in html


def test_the_root_sends_visitors_to_login(client, db):
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/dang-nhap/")


def test_home_shows_name_unit_role_and_next_steps(client, org):
    client.force_login(org["lanhdao.vinhphu"])
    html = client.get("/can-bo/").content.decode()
    assert "Nguyễn Văn Hải" in html
    assert "Công an phường Vinh Phú" in html
    assert "Lãnh đạo đơn vị" in html
    assert "Phân công xử lý và phê duyệt hồ sơ" in html
    assert "Tiếp nhận hồ sơ mới" not in html  # not a leader's job


def test_the_language_switch_changes_the_page_language(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/dang-nhap/"}, follow=True)
    assert '<html lang="en">' in response.content.decode()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_logins_are_throttled_after_repeated_failures(client, org):
    for _ in range(3):
        client.post("/dang-nhap/", {"username": "tiepnhan.vinhphu", "password": "sai"})
    response = client.post(
        "/dang-nhap/", {"username": "tiepnhan.vinhphu", "password": org.password}
    )
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_login_form_is_csrf_protected(org):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/dang-nhap/", {"username": "quantri", "password": org.password})
    assert response.status_code == 403


@pytest.mark.parametrize("url", ["/can-bo/", "/can-bo/don-vi/", "/can-bo/nhan-su/"])
def test_staff_pages_need_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/")


def test_unknown_pages_get_a_vietnamese_404(client, db):
    response = client.get("/khong-ton-tai/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_passwords_are_hashed_with_argon2_in_production_settings():
    from motcua import settings

    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(client, db):
    html = client.get("/dang-nhap/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in html
    assert '<option value="vi" selected>' in html
