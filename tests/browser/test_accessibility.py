"""The public pages pass axe-core with no serious or critical violation on a 360 px phone and a
1366 px desk screen (issue 11): the catalogue a poster's QR opens, the tracking look-up and its
result, the online payment round trip, the staff sign-in and the error page."""

import re
from concurrent.futures import ThreadPoolExecutor
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


@pytest.fixture
def citizen_world(org, settings, live_server):
    """The portal's world, built through the real services: the demo provider trusting this
    server, the units' signing keys, and a dossier of congdan1's (who signs in during the test)
    approved with a signed electronic result."""
    from motcua.eresults import demo as eresults_demo
    from tests.portal.oidc_flow import configure

    base = configure(settings, live_server)
    settings.PUBLIC_BASE_URL = base
    eresults_demo.seed()
    version = publish(org, "1.004194")
    return base, version


def test_the_portal_pages_have_no_serious_or_critical_violation(screen, citizen_world, org):
    from django.core.cache import cache
    from django.db import connection

    from motcua.dossiers.models import Dossier
    from motcua.dossiers.services import (
        dossier_approve,
        dossier_assign,
        dossier_receive,
        dossier_submit,
    )
    from motcua.org.demo import DEMO_PASSWORD
    from motcua.org.models import User
    from motcua.ratings.tokens import rating_path_for

    page, (base, version) = screen, citizen_world
    found: dict[str, list] = {}
    cache.clear()  # the one-time-code throttles

    def check(label):
        page.wait_for_load_state("load")
        assert page.locator("html").get_attribute("lang") == "vi", label
        if bad := violations(page):
            found[f"{label} ({page.url})"] = bad

    # Signing in: the choice, the one-time code asked for and typed (wrongly), the provider.
    page.goto(f"{base}/cong-dan/dang-nhap/")
    check("đăng nhập công dân")
    page.get_by_role("link", name="Đăng nhập bằng mã gửi qua e-mail hoặc tin nhắn").click()
    check("yêu cầu mã một lần")
    page.fill("#id_so_dinh_danh", "040190002468")
    page.fill("#id_ho_ten", "Phạm Thị Lan")
    page.fill("#id_lien_he", "lan@example.vn")
    page.get_by_role("button", name="Gửi mã").click()
    page.wait_for_url(re.compile(r"/xac-nhan/$"))
    check("nhập mã một lần")
    page.fill("#id_ma", "000000")
    page.get_by_role("button", name="Đăng nhập").click()
    check("nhập mã một lần, sai mã")

    page.goto(f"{base}/cong-dan/dang-nhap/")
    page.get_by_role("link", name="Đăng nhập bằng tài khoản định danh").click()
    page.wait_for_url(re.compile(r"/demo-idp/dang-nhap/\?next="))
    check("máy chủ định danh mô phỏng")
    page.fill("#id_username", "congdan1")
    page.fill("#id_password", "sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    check("máy chủ định danh mô phỏng, sai mật khẩu")
    page.fill("#id_username", "congdan1")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/cong-dan/")
    check("hồ sơ của tôi, chưa có hồ sơ")

    # The online form, a draft of it, and the dossier of congdan1 with its signed result.
    page.goto(f"{base}/cong-dan/nop/1.004194/")
    check("nộp hồ sơ trực tuyến")
    page.get_by_label("Bộ phận một cửa Công an phường Vinh Phú").check()
    page.get_by_test_id("save-draft").click()
    page.get_by_text("Đã lưu nháp.").wait_for()
    check("bản nháp hồ sơ trực tuyến")

    an = User.objects.get(id_number="040090001234")
    leader, handler = org["lanhdao.vinhphu"], org["xuly.vinhphu"]

    def dossier_with_eresult():
        # Signing runs asyncio.run(), which cannot run on the thread of Playwright's loop.
        try:
            with time_machine.travel(FRIDAY_16H, tick=True):
                d = dossier_receive(
                    actor=org["tiepnhan.vinhphu"],
                    desk=org.units["VINHPHU"].desks.get(),
                    procedure_version=version,
                    applicant=dict(CITIZEN, name=an.get_full_name(), id_number=an.id_number),
                    checklist=all_documents(),
                )
                Dossier.objects.filter(pk=d.pk).update(submitted_by=an)
                d.refresh_from_db()
                d = dossier_assign(actor=leader, dossier=d, version=d.version, handler=handler)
                d = dossier_submit(actor=handler, dossier=d, version=d.version, result="Đã đăng ký")
                return dossier_approve(actor=leader, dossier=d, version=d.version, e_result=True)
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        d = pool.submit(dossier_with_eresult).result()
    d.refresh_from_db()
    eresult = d.electronic_result
    assert eresult is not None

    page.goto(f"{base}/cong-dan/")
    assert page.get_by_test_id("my-dossier-code").count() == 1
    check("hồ sơ của tôi, có hồ sơ và thông báo")
    page.get_by_test_id("my-dossier-code").click()
    page.get_by_test_id("eresult").wait_for()
    check("trang hồ sơ của công dân")
    page.goto(f"{base}/cong-dan/thong-bao/")
    assert page.get_by_test_id("citizen-notice").count() >= 1
    check("thông báo của công dân")

    page.goto(f"{base}{rating_path_for(d)}")
    page.get_by_test_id("rating-form").wait_for()
    check("đánh giá hồ sơ")

    page.goto(f"{base}/xac-minh/")
    check("xác minh kết quả điện tử")
    page.goto(f"{base}/xac-minh/{eresult.public_id}/")
    check("một kết quả điện tử")

    page.goto(f"{base}/phan-anh-kien-nghi/")
    check("phản ánh, kiến nghị công khai")
    page.goto(f"{base}/phan-anh-kien-nghi/gui/")
    check("gửi phản ánh, kiến nghị")
    page.get_by_test_id("feedback-submit").click()  # empty: the browser or the page says why
    check("gửi phản ánh, kiến nghị, thiếu nội dung")
    page.goto(f"{base}/phan-anh-kien-nghi/theo-doi/")
    check("theo dõi phản ánh, kiến nghị")

    assert not found, "\n".join(f"{where}:\n{describe(bad)}" for where, bad in found.items())
