import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_lets_a_commune_receptionist_log_in_and_see_their_unit(
    page, live_server, org, artifacts
):
    page.goto(f"{live_server.url}/dang-nhap/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("heading", name="Đăng nhập").is_visible()

    page.fill("#id_username", "tiepnhan.vinhphu")
    page.fill("#id_password", org.password)
    page.get_by_role("button", name="Đăng nhập").click()

    page.wait_for_url(f"{live_server.url}/can-bo/")
    assert page.get_by_test_id("unit-name").inner_text() == "Công an phường Vinh Phú"
    assert page.get_by_test_id("role").inner_text() == "Cán bộ tiếp nhận"
    # Nothing overflows sideways on a 360 px phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts / "staff-home-360.png"), full_page=True)


def test_it_shows_a_vietnamese_error_for_a_wrong_password(page, live_server, org):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", "tiepnhan.vinhphu")
    page.fill("#id_password", "sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in page.get_by_role("alert").inner_text()
