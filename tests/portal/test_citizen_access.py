"""A signed-in citizen is no staff member: the staff pages refuse them, and they see their own
dossiers only. The header offers citizens their own sign-in, not the staff one."""

import pytest

from motcua.dossiers.models import Dossier
from motcua.portal.citizens import citizen_upsert

STAFF_PAGES = [
    "/can-bo/don-vi/",
    "/can-bo/nhan-su/",
    "/can-bo/thong-bao/",
    "/can-bo/nhat-ky/",
    "/can-bo/ho-so/",
    "/can-bo/ho-so/tiep-nhan/",
    "/can-bo/ho-so/so-theo-doi/",
    "/can-bo/ho-so/tim-kiem/?q=Lan",
    "/can-bo/tthc/",
]


@pytest.fixture
def lan(db):
    return citizen_upsert(id_number="040190012345", full_name="Nguyễn Thị Lan", email="l@x.vn")


@pytest.fixture
def binh(db):
    return citizen_upsert(id_number="040185004321", full_name="Trần Thị Bình")


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_refuse_a_citizen(client, org, lan, url):
    client.force_login(lan)
    response = client.get(url)
    assert response.status_code in (403, 404) or (
        response.status_code == 302 and not response["Location"].startswith(url.split("?")[0])
    ), (url, response.status_code)
    assert "Nguyễn Thị Lan" not in response.content.decode() or response.status_code == 403


def test_the_staff_home_sends_a_citizen_to_their_own_page(client, org, lan):
    client.force_login(lan)
    assert client.get("/can-bo/")["Location"] == "/cong-dan/"


def test_a_dossiers_page_of_someone_else_is_not_found(client, received, lan):
    client.force_login(lan)
    response = client.get(f"/can-bo/ho-so/{received.code}/")
    assert response.status_code in (403, 404)
    assert received.applicant_name not in response.content.decode()


def test_the_admin_site_refuses_a_citizen(client, org, lan):
    client.force_login(lan)
    response = client.get("/quan-tri/")
    assert response.status_code == 302 and response["Location"].startswith("/quan-tri/login/")


def test_a_citizen_sees_only_the_dossiers_they_submitted(received, lan, binh):
    Dossier.objects.filter(pk=received.pk).update(submitted_by=lan)

    assert list(Dossier.objects.for_user(lan)) == [received]
    assert list(Dossier.objects.for_user(binh)) == []


def test_the_header_shows_the_citizen_sign_in_to_visitors(client, db):
    page = client.get("/tra-cuu/").content.decode()
    assert 'href="/cong-dan/dang-nhap/" data-testid="citizen-sign-in-link">Đăng nhập<' in page


def test_the_header_shows_a_citizen_their_page_and_sign_out(client, lan):
    client.force_login(lan)
    page = client.get("/tra-cuu/").content.decode()
    assert "Hồ sơ của tôi" in page and 'action="/cong-dan/dang-xuat/"' in page
    assert "/can-bo/don-vi/" not in page and "/can-bo/nhan-su/" not in page


def test_signing_out_ends_the_citizens_session(client, lan):
    client.force_login(lan)
    response = client.post("/cong-dan/dang-xuat/")
    assert response["Location"] == "/cong-dan/dang-nhap/?da_dang_xuat=1"
    assert "Bạn đã đăng xuất." in client.get(response["Location"]).content.decode()
    assert client.get("/cong-dan/")["Location"].startswith("/cong-dan/dang-nhap/")


def test_the_sign_in_page_offers_both_ways(client, db, settings):
    settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID = "http://127.0.0.1:9/demo-idp", "motcua-demo"
    page = client.get("/cong-dan/dang-nhap/").content.decode()
    assert "Đăng nhập bằng tài khoản định danh" in page
    assert "Đăng nhập bằng mã gửi qua e-mail hoặc tin nhắn" in page


def test_without_a_provider_configured_only_the_code_is_offered(client, db, settings):
    settings.OIDC_ISSUER = settings.OIDC_CLIENT_ID = ""
    page = client.get("/cong-dan/dang-nhap/").content.decode()
    assert "Đăng nhập bằng tài khoản định danh" not in page
    response = client.get("/cong-dan/dang-nhap/dinh-danh/")
    assert response.status_code == 400
    assert "Chưa cấu hình đăng nhập bằng tài khoản định danh." in response.content.decode()


def test_an_unreachable_provider_gets_a_vietnamese_message_not_a_500(client, db, settings):
    from motcua.portal import oidc

    oidc._discovered.clear()
    settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID = "http://127.0.0.1:9/demo-idp", "motcua-demo"
    response = client.get("/cong-dan/dang-nhap/dinh-danh/")
    assert response.status_code == 503
    assert "Không kết nối được máy chủ định danh" in response.content.decode()


def test_the_staff_password_login_still_works(client, org):
    response = client.post(
        "/dang-nhap/", {"username": "tiepnhan.vinhphu", "password": org.password}
    )
    assert response.status_code == 302
    assert client.get("/can-bo/").status_code == 200
