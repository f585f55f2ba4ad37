"""The admin in Vietnamese: Django's vi catalogue lacks its newer strings and django-axes ships
none, so locale/vi fills them in. The system administrator (`quantri`) should read no English."""

import pytest
from django.test import Client


@pytest.fixture
def admin_client(client, org):
    client.force_login(org["quantri"])
    return client


def html_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_admin_home_offers_skip_link_and_theme_switch_in_vietnamese(admin_client):
    html = html_of(admin_client, "/quan-tri/")
    assert "Chuyển đến nội dung chính" in html
    assert "Đổi giao diện sáng, tối" in html
    assert "Skip to main content" not in html and "Toggle theme" not in html


def test_the_login_throttling_pages_speak_vietnamese(admin_client, org):
    Client().post("/dang-nhap/", {"username": "tiepnhan.vinhphu", "password": "sai mật khẩu"})
    html = html_of(admin_client, "/quan-tri/axes/accessattempt/")
    assert "tiepnhan.vinhphu" in html  # the failed login is listed
    for label in ("Các lần đăng nhập", "Địa chỉ IP", "Trình duyệt (User Agent)", "Đang bị khóa"):
        assert label in html, label
    for english in ("access attempts", "IP Address", "User Agent</a>", "Locked Out"):
        assert english not in html, english
    html = html_of(admin_client, "/quan-tri/axes/accesslog/")
    assert "Thời điểm đăng xuất" in html and "Logout Time" not in html
