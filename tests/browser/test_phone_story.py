"""Issue 11's bar for done, on a 360x740 phone and all real: a citizen scans the poster of a
fee-bearing procedure, signs in through the local OpenID provider (authorisation code + PKCE),
fills the form with a photo, saves a draft, resumes it from "Hồ sơ của tôi" and submits; the
receptionist accepts from the online inbox; the citizen pays through the VNPay simulator
(redirect → pay → return → IPN); the leader assigns, the handler submits, the leader approves.
At each step the citizen's own pages say where the dossier is, the e-mails arrive at a local
SMTP server and the text messages at her phone number (a recording sender, tests/sms.py)."""

import re
from datetime import datetime

import pytest
import time_machine

from motcua.dossiers.models import Channel, Dossier
from motcua.org.demo import DEMO_PASSWORD
from motcua.worktime.core import VN_TZ
from tests.browser.test_dossier_stories import fits_the_phone, log_in, open_action
from tests.dossiers.stories import publish
from tests.portal.oidc_flow import configure
from tests.portal.online_story import PNG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRIDAY_16H = datetime(2026, 11, 27, 16, 0, tzinfo=VN_TZ)
CODE = "1.004194"  # Đăng ký tạm trú: 15.000 đồng at the desk, 7.000 đồng online
AN = {
    "name": "Nguyễn Văn An",
    "id_number": "040090001234",
    "email": "congdan1@demo.motcua.vn",
    "phone": "0912000001",
}


def photo(name):
    return {"name": name, "mimeType": "image/png", "buffer": PNG}


def my_dossiers(page, base):
    page.goto(f"{base}/cong-dan/")
    return page


def mails_to(box, address):
    return [m for m in box.messages if address in m.to]


def vn_when(value) -> str:
    return value.astimezone(VN_TZ).strftime("%H:%M ngày %d/%m/%Y")


def assert_private(texts, dossier):
    """A text message is read on a lock screen or a shared phone: never the tracking secret (with
    the code it opens the dossier's details) nor the ID number."""
    for text in texts:
        assert dossier.tracking_secret not in text
        assert AN["id_number"] not in text


def test_a_citizen_does_it_all_on_her_phone(
    page, browser, live_server, org, smtp, sms, artifacts, settings
):
    base = configure(settings, live_server)
    settings.PUBLIC_BASE_URL = base  # the gateway's IPN and the e-mails' links point here
    publish(org, CODE)
    with time_machine.travel(FRIDAY_16H, tick=True):
        # The poster's QR code opens the procedure page; its online button asks for a sign-in.
        page.goto(f"{base}/tthc/{CODE}/")
        assert fits_the_phone(page)
        page.get_by_test_id("apply-online").click()
        page.wait_for_url(f"{base}/cong-dan/dang-nhap/?next=/cong-dan/nop/{CODE}/")
        page.get_by_role("link", name="Đăng nhập bằng tài khoản định danh").click()

        # The local OpenID provider's own page; back to the form with the identity's details.
        page.wait_for_url(re.compile(r"/demo-idp/dang-nhap/\?next="))
        page.fill("#id_username", "congdan1")
        page.fill("#id_password", DEMO_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(f"{base}/cong-dan/nop/{CODE}/")
        assert page.locator("#f-name").input_value() == AN["name"]
        assert page.locator("#f-id").input_value() == AN["id_number"]
        assert page.locator("#f-email").input_value() == AN["email"]
        assert fits_the_phone(page)

        # Fill, a photo of the declaration, save a draft.
        page.get_by_label("Bộ phận một cửa Công an phường Vinh Phú").check()
        page.set_input_files("#file_0", photo("to-khai-ct01.png"))
        page.fill("#f-address", "Số 12 đường Lê Lợi, phường Vinh Phú, Nghệ An")
        page.get_by_test_id("save-draft").click()
        page.get_by_text("Đã lưu nháp.").wait_for()

        # Later, from "Hồ sơ của tôi": the draft, resumed as it was left; then submitted.
        my_dossiers(page, base)
        assert "Nguyễn Văn An" in page.get_by_test_id("signed-in-as").inner_text()
        page.get_by_test_id("drafts").get_by_role("link", name="Đăng ký tạm trú").click()
        assert page.get_by_test_id("uploaded").inner_text().count("to-khai-ct01.png") == 1
        assert page.locator("#f-address").input_value() == (
            "Số 12 đường Lê Lợi, phường Vinh Phú, Nghệ An"
        )
        page.set_input_files("#file_1", photo("giay-to-cho-o.png"))
        page.get_by_test_id("submit").click()
        assert page.get_by_test_id("app-status").inner_text() == "Đã nộp, chờ tiếp nhận"
        my_dossiers(page, base)
        assert page.get_by_test_id("drafts").count() == 0
        waiting = page.get_by_test_id("applications").inner_text()
        assert "Đăng ký tạm trú" in waiting and "Đã nộp, chờ tiếp nhận" in waiting
        assert mails_to(smtp, AN["email"]) == []  # nothing is received yet
        assert sms.to(AN["phone"]) == []

        # The receptionist signs in on the staff page and accepts from the online inbox.
        desk = log_in(browser, live_server, org, "tiepnhan.vinhphu")
        desk.get_by_test_id("online-inbox-link").click()
        desk.get_by_test_id("inbox-row").get_by_role("link", name="Đăng ký tạm trú").click()
        assert desk.get_by_test_id("applicant-name").inner_text() == AN["name"]
        desk.get_by_test_id("accept").click()
        code = desk.get_by_test_id("dossier-code").inner_text()
        dossier = Dossier.objects.get(code=code)
        assert dossier.channel == Channel.ONLINE
        assert dossier.submitted_by.id_number == AN["id_number"]

        # The citizen sees it received, with its code, and the e-mail saying so.
        my_dossiers(page, base)
        assert page.get_by_test_id("my-dossier-code").inner_text() == code
        assert "Chờ phân công" in page.get_by_test_id("open-dossiers").inner_text()
        notices = page.get_by_test_id("citizen-notices").inner_text()
        assert f"Hồ sơ {code} đã được tiếp nhận" in notices
        received = mails_to(smtp, AN["email"])
        assert [m.subject for m in received] == [f"Hồ sơ {code} đã được tiếp nhận"]
        assert f"{base}/tra-cuu/{code}/" in received[0].message.get_content()
        # And the text message: the code, the appointment, the tracking link; nothing private.
        assert sms.to(AN["phone"]) == [
            f"Hồ sơ {code} đã được tiếp nhận. Hẹn trả kết quả: "
            f"{vn_when(dossier.appointment_at)}. Tra cứu: {base}/tra-cuu/{code}/"
        ]
        assert_private(sms.to(AN["phone"]), dossier)
        assert fits_the_phone(page)
        page.screenshot(path=str(artifacts / "phone-story-received-360.png"), full_page=True)

        # She pays the fee from her dossier page: the simulator, then back to motcua.
        page.get_by_test_id("my-dossier-code").click()
        assert page.get_by_test_id("status").inner_text() == "Chờ phân công"
        assert page.get_by_test_id("fee").inner_text() == "7.000 đồng, chưa nộp"
        page.get_by_test_id("pay").click()
        page.wait_for_url(f"{base}/demo-vnpay/?**")
        assert page.get_by_test_id("amount").inner_text() == "7.000 đồng"
        page.get_by_role("button", name="Thanh toán", exact=True).click()
        page.wait_for_url(f"{base}/thanh-toan/ket-qua/?**")
        assert page.get_by_test_id("payment-result").inner_text() == (
            f"Đã nộp 7.000 đồng phí, lệ phí cho hồ sơ {code}. Cảm ơn bạn."
        )
        dossier.refresh_from_db()
        assert dossier.fee_paid_at is not None  # the IPN reached motcua
        page.goto(f"{base}/cong-dan/ho-so/{code}/")
        assert page.get_by_test_id("fee").inner_text() == "7.000 đồng, đã nộp (Trực tuyến)"
        assert page.get_by_test_id("pay").count() == 0

        # The leader assigns, the handler submits, the leader approves.
        dossier_url = f"{base}/can-bo/ho-so/{code}/"
        leader = log_in(browser, live_server, org, "lanhdao.vinhphu")
        leader.goto(dossier_url)
        form = open_action(leader, "assign")
        form.get_by_label("Cán bộ xử lý").select_option(label="Trần Thị Mai — Cán bộ")
        form.get_by_test_id("submit-assign").click()
        leader.get_by_text("Đã thực hiện: Phân công xử lý.").wait_for()

        page.reload()
        assert page.get_by_test_id("status").inner_text() == "Đang xử lý"

        handler = log_in(browser, live_server, org, "xuly.vinhphu")
        handler.goto(dossier_url)
        form = open_action(handler, "submit")
        form.get_by_label("Dự thảo kết quả giải quyết").fill("Xác nhận đăng ký tạm trú")
        form.get_by_test_id("submit-submit").click()
        handler.get_by_text("Đã thực hiện: Trình lãnh đạo phê duyệt.").wait_for()

        page.reload()
        assert page.get_by_test_id("status").inner_text() == "Chờ phê duyệt"

        leader.goto(dossier_url)
        form = open_action(leader, "approve")
        form.get_by_test_id("submit-approve").click()
        leader.get_by_text("Đã thực hiện: Phê duyệt kết quả.").wait_for()

        # The citizen: result ready on her dossier page, in "Hồ sơ của tôi", and by e-mail.
        page.reload()
        assert page.get_by_test_id("status").inner_text() == "Có kết quả, chờ trả"
        assert "Xác nhận đăng ký tạm trú" in page.locator("main").inner_text()
        assert fits_the_phone(page)
        page.screenshot(path=str(artifacts / "phone-story-result-360.png"), full_page=True)
        my_dossiers(page, base)
        assert "Có kết quả, chờ trả" in page.get_by_test_id("open-dossiers").inner_text()
        assert f"Hồ sơ {code} đã có kết quả" in page.get_by_test_id("citizen-notices").inner_text()
        subjects = [m.subject for m in mails_to(smtp, AN["email"])]
        assert subjects == [f"Hồ sơ {code} đã được tiếp nhận", f"Hồ sơ {code} đã có kết quả"]
        # Paid online already, so the result's message asks for nothing more.
        texts = sms.to(AN["phone"])
        assert texts[1:] == [
            f"Hồ sơ {code} đã có kết quả, chờ trả kết quả. Tra cứu: {base}/tra-cuu/{code}/"
        ]
        assert_private(texts, dossier)

        page.goto(f"{base}/cong-dan/thong-bao/")
        assert page.get_by_test_id("citizen-notice").count() == 2
        for other in (desk, leader, handler):
            other.context.close()
