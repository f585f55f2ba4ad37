"""The public pages pass axe-core with no serious or critical violation on a 360 px phone and a
1366 px desk screen (issue 11): the catalogue a poster's QR opens, the tracking look-up and its
result, the online payment round trip, the staff sign-in and the error page."""

from datetime import datetime

import pytest
import time_machine

from motcua.worktime.core import VN_TZ
from tests.browser.axe import assert_accessible, describe, violations
from tests.dossiers.stories import CITIZEN, all_documents, publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRIDAY_16H = datetime(2026, 11, 27, 16, 0, tzinfo=VN_TZ)
SCREENS = {"phone": (360, 740), "desk": (1366, 768)}


@pytest.fixture(params=list(SCREENS))
def screen(request, browser, live_server):
    width, height = SCREENS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def received(org, settings, live_server):
    """Đăng ký tạm trú published as the demo publishes it, and Lan's dossier received at the
    Vinh Phú desk with its fee unpaid."""
    # The payment simulator calls back this server's own address.
    settings.PUBLIC_BASE_URL = live_server.url
    version = publish(org, "1.004194")
    with time_machine.travel(FRIDAY_16H, tick=True):
        from motcua.dossiers.services import dossier_receive

        return dossier_receive(
            actor=org["tiepnhan.vinhphu"],
            desk=org.units["VINHPHU"].desks.get(),
            procedure_version=version,
            applicant=CITIZEN,
            checklist=all_documents(),
        )


def test_the_public_pages_have_no_serious_or_critical_violation(screen, live_server, received):
    page, base = screen, live_server.url
    found: dict[str, list] = {}

    def check(label):
        page.wait_for_load_state("load")
        assert page.locator("html").get_attribute("lang") == "vi", label
        if bad := violations(page):
            found[f"{label} ({page.url})"] = bad

    page.goto(f"{base}/")  # the site's root opens the staff sign-in
    check("trang chủ → đăng nhập")
    page.fill("#id_username", "tiepnhan.vinhphu")
    page.fill("#id_password", "sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    check("đăng nhập sai")

    page.goto(f"{base}/tthc/")
    check("danh sách thủ tục")
    page.goto(f"{base}/tthc/?q=dang+ky+tam+tru")
    check("tìm thủ tục")
    page.goto(f"{base}/tthc/1.004194/")
    check("trang thủ tục")
    page.goto(f"{base}/tthc/1.004194/v/1/")
    check("một phiên bản của thủ tục")
    page.goto(f"{base}/tthc/1.004194/lich-su/")
    check("lịch sử thủ tục")
    page.goto(f"{base}/tthc/1.004194/so-sanh/")
    # One version compared with itself: a row saying so, not a table without a data cell
    # (axe-core's th-has-data-cells, "needs review", serious).
    assert page.get_by_test_id("nothing-changed").is_visible()
    check("so sánh phiên bản")

    page.goto(f"{base}/tra-cuu/")
    check("tra cứu hồ sơ")
    page.fill("#ma_ho_so", "H40-000000-0000")
    page.locator("#ma_ho_so").press("Enter")
    page.wait_for_load_state("load")
    check("tra cứu mã không có")
    page.goto(f"{base}/tra-cuu/{received.code}/")
    check("kết quả tra cứu")
    page.fill("#ma_tra_cuu", "SAIMA123")
    page.get_by_role("button", name="Xem chi tiết").click()
    page.wait_for_load_state("load")
    check("kết quả tra cứu, sai mã bí mật")
    page.fill("#ma_tra_cuu", received.tracking_secret)
    page.get_by_role("button", name="Xem chi tiết").click()
    page.get_by_test_id("fee").wait_for()
    check("kết quả tra cứu, có mã bí mật")

    with time_machine.travel(FRIDAY_16H, tick=True):
        page.get_by_role("button", name="Thanh toán trực tuyến").click()
        page.wait_for_url(f"{base}/demo-vnpay/?**")
        check("cổng thanh toán (mô phỏng)")
        page.get_by_role("button", name="Thanh toán", exact=True).click()
        page.wait_for_url(f"{base}/thanh-toan/ket-qua/?**")
        page.get_by_test_id("payment-result").wait_for()
        check("kết quả thanh toán")

    page.goto(f"{base}/tthc/9.999999/")
    check("trang không tồn tại")

    assert not found, "\n".join(f"{where}:\n{describe(bad)}" for where, bad in found.items())


def test_the_staff_sign_in_page_passes_the_one_line_check(screen, live_server, db):
    # The check other tests add with one line for each new page.
    screen.goto(f"{live_server.url}/dang-nhap/")
    assert_accessible(screen)


def test_the_check_reports_a_serious_violation_readably(screen, live_server, db):
    # An image without text alternative and an unlabelled field: the check must see them.
    screen.goto(f"{live_server.url}/dang-nhap/")
    screen.evaluate(
        """() => {
            const main = document.querySelector('main') || document.body;
            main.insertAdjacentHTML('beforeend',
                '<img src="/static/x.png" id="no-alt"><input type="text" id="no-label">');
        }"""
    )
    bad = violations(screen)
    assert {"image-alt", "label"} <= {v["id"] for v in bad}
    text = describe(bad)
    assert "image-alt (critical)" in text and "#no-alt" in text and "#no-label" in text
