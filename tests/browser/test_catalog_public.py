"""A citizen with a cheap phone (360 × 740) searches the catalogue without diacritics and reads
the procedure page a poster's QR opens."""

import pytest
from django.utils import timezone

from motcua.catalog.models import Domain
from tests.catalog.factories import make_content, publish_new, republish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def residence(org):
    Domain.objects.create(code="CUTRU", name="Đăng ký, quản lý cư trú")
    admin = org["danhmuc"]
    procedure = publish_new(admin, "1.004194", org.units["PC06"], make_content())
    publish_new(
        admin, "2.001159", org.units["PC06"], make_content(name="Đăng ký tạm trú", time_value=3)
    )
    return republish(
        admin,
        procedure,
        time_value=180,
        time_unit="minutes",
        note="Rút ngắn thời hạn giải quyết xuống 180 phút.",
    )


def test_it_lets_a_citizen_find_and_read_a_procedure_on_a_phone(
    page, live_server, residence, artifacts
):
    page.goto(f"{live_server.url}/tthc/")
    assert page.locator("html").get_attribute("lang") == "vi"

    page.get_by_label("Tìm thủ tục (gõ có dấu hoặc không dấu)").fill("dang ky thuong tru")
    page.get_by_role("button", name="Tìm", exact=True).click()
    assert page.get_by_test_id("result-count").inner_text().startswith("1 thủ tục")
    page.get_by_role("link", name="Đăng ký thường trú").click()

    page.wait_for_url(f"{live_server.url}/tthc/1.004194/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_test_id("procedure-name").inner_text() == "Đăng ký thường trú"
    updated = timezone.localtime(residence.current_version.published_at).strftime("%d/%m/%Y")
    assert f"Cập nhật {updated}" in page.get_by_test_id("updated").inner_text()
    assert page.get_by_test_id("processing-time").inner_text().startswith("180 phút")
    # Nothing overflows sideways on a 360 px phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts / "tthc-procedure-360.png"), full_page=True)

    page.get_by_role("link", name="Phiên bản 2 (2 phiên bản)").click()
    page.get_by_role("link", name="Phiên bản 1").click()
    assert "không còn hiệu lực" in page.get_by_test_id("superseded").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts / "tthc-old-version-360.png"), full_page=True)
