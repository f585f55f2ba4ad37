"""A citizen submits online on a 360x740 phone: from the procedure page (what the QR code opens)
to a saved draft, resumed and submitted; the receptionist of Công an phường Vinh Phú accepts it
from the online inbox; the citizen finds the dossier's code in "Hồ sơ của tôi".

The citizen's sign-in pages are another piece of work: here the citizen's session is made by
Django's own login and handed to the browser as its cookie."""

from datetime import datetime

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from motcua.dossiers.models import Channel, Dossier
from motcua.worktime.core import VN_TZ
from tests.browser.test_dossier_stories import fits_the_phone, log_in
from tests.dossiers.stories import publish
from tests.portal.online_story import PNG, lan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRIDAY_16H = datetime(2026, 11, 27, 16, 0, tzinfo=VN_TZ)
CODE = "1.004194"


def sign_in_as(page, live_server, citizen):
    client = Client()
    client.force_login(citizen)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def photo(name):
    return {"name": name, "mimeType": "image/png", "buffer": PNG}


def test_a_citizen_submits_from_the_qr_page_and_the_desk_accepts(
    page, browser, live_server, org, artifacts
):
    publish(org, CODE)
    citizen = lan()
    with time_machine.travel(FRIDAY_16H, tick=True):
        # Scanned the poster: the procedure page, then its online button.
        page.goto(f"{live_server.url}/tthc/{CODE}/")
        page.get_by_test_id("apply-online").click()
        page.wait_for_url(f"{live_server.url}/cong-dan/dang-nhap/?next=/cong-dan/nop/{CODE}/")

        sign_in_as(page, live_server, citizen)
        page.goto(f"{live_server.url}/cong-dan/nop/{CODE}/")
        assert page.locator("#f-name").input_value() == "Nguyễn Thị Lan"
        assert page.locator("#f-id").input_value() == "040190012345"
        assert page.locator("#f-phone").input_value() == "0912345678"
        assert fits_the_phone(page)
        page.get_by_label("Bộ phận một cửa Công an phường Vinh Phú").check()
        page.set_input_files("#file_0", photo("to-khai-ct01.png"))
        page.fill("#f-address", "Xóm 5, phường Vinh Phú, Nghệ An")
        page.get_by_test_id("save-draft").click()
        page.get_by_text("Đã lưu nháp.").wait_for()

        # Later: "Hồ sơ của tôi", the draft, resumed where it was left.
        page.get_by_test_id("my-dossiers-link").click()
        page.get_by_test_id("drafts").get_by_role("link", name="Đăng ký tạm trú").click()
        assert page.get_by_test_id("uploaded").inner_text().count("to-khai-ct01.png") == 1
        assert page.locator("#f-address").input_value() == "Xóm 5, phường Vinh Phú, Nghệ An"
        assert page.get_by_test_id("due-preview").inner_text() == (
            "Nếu được tiếp nhận bây giờ, hạn trả kết quả dự kiến: 09:30 30/11/2026"
        )
        page.set_input_files("#file_1", photo("giay-to-cho-o.png"))
        page.screenshot(path=str(artifacts / "online-form-360.png"), full_page=True)
        page.get_by_test_id("submit").click()
        assert page.get_by_test_id("app-status").inner_text() == "Đã nộp, chờ tiếp nhận"
        page.screenshot(path=str(artifacts / "online-submitted-360.png"), full_page=True)

        # The receptionist logs in through the staff login page and accepts from the inbox.
        desk = log_in(browser, live_server, org, "tiepnhan.vinhphu")
        desk.get_by_test_id("online-inbox-link").click()
        desk.get_by_test_id("inbox-row").get_by_role("link", name="Đăng ký tạm trú").click()
        assert desk.get_by_test_id("applicant-name").inner_text() == "Nguyễn Thị Lan"
        desk.get_by_test_id("accept").click()
        code = desk.get_by_test_id("dossier-code").inner_text()
        desk.context.close()

        dossier = Dossier.objects.get(code=code)
        assert dossier.channel == Channel.ONLINE and dossier.submitted_by == citizen

        page.get_by_test_id("my-dossiers-link").click()
        assert page.get_by_test_id("my-dossier-code").inner_text() == code
        assert fits_the_phone(page)
        page.get_by_test_id("my-dossier-code").click()
        assert page.get_by_test_id("status").inner_text() == "Chờ phân công"
        assert page.get_by_test_id("appointment").inner_text() == "09:30 30/11/2026"
        page.screenshot(path=str(artifacts / "online-my-dossier-360.png"), full_page=True)
