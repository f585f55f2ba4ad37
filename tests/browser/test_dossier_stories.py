"""Dossier stories in a real browser at 360 px: intake to return, and an apology before the
deadline. Time is frozen (and ticking) around each story; the live server runs in a thread of
this process, so it sees the same clock."""

import re
import subprocess
from datetime import datetime

import pytest
import time_machine

from motcua.worktime.core import VN_TZ
from tests.dossiers.stories import CITIZEN, DOCUMENTS, all_documents, publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
FRIDAY_16H = datetime(2026, 11, 27, 16, 0, tzinfo=VN_TZ)
MONDAY_9H = datetime(2026, 11, 30, 9, 0, tzinfo=VN_TZ)


def log_in(browser, live_server, org, username, page=None):
    """A staff member logs in through /dang-nhap/ in a browser context of their own."""
    if page is None:
        context = browser.new_context(viewport=PHONE, locale="vi-VN")
        page = context.new_page()
        page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", org.password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/can-bo/")
    return page


def fits_the_phone(page) -> bool:
    page.wait_for_load_state("load")  # the stylesheets too: a page without them is wider
    wide = page.evaluate(
        """w => document.documentElement.scrollWidth <= w ? [] :
            Array.from(document.querySelectorAll("body *"))
            .filter(e => e.getBoundingClientRect().right > w).slice(0, 5)
            .map(e => e.tagName + "." + e.className + ": " + e.textContent.slice(0, 40))""",
        PHONE["width"],
    )
    assert not wide, f"wider than the phone: {wide}"
    return True


def open_action(page, action):
    page.get_by_test_id(f"action-{action}").click()
    return page.locator(f"details[data-action={action}]")


def pdf_text(page, url) -> str:
    response = page.request.get(url)
    assert response.ok, f"{url}: {response.status}"
    assert response.headers["content-type"].startswith("application/pdf")
    done = subprocess.run(
        ["pdftotext", "-", "-"], input=response.body(), capture_output=True, check=True
    )
    return " ".join(done.stdout.decode().split())  # lines and justified spaces as single spaces


def test_a_receptionist_receives_at_16h_friday_and_the_dossier_goes_all_the_way_back(
    page, browser, live_server, org, artifacts
):
    publish(org, "1.004194")
    with time_machine.travel(FRIDAY_16H, tick=True):
        # The receptionist of Công an phường Vinh Phú receives through the intake screen.
        log_in(browser, live_server, org, "tiepnhan.vinhphu", page=page)
        page.get_by_role("link", name="Hồ sơ", exact=True).click()
        page.get_by_role("link", name="Tiếp nhận hồ sơ").click()
        page.wait_for_url(f"{live_server.url}/can-bo/ho-so/tiep-nhan/")
        search = page.locator("#id_q")
        assert search.evaluate("el => el === document.activeElement")
        search.press_sequentially("dang ky tam tru")
        page.get_by_test_id("procedure-option").filter(has_text="Đăng ký tạm trú").wait_for()
        search.press("Enter")  # picks the first match; it does not submit the dossier
        assert page.get_by_test_id("due-preview").inner_text() == "30/11/2026 09:30"
        for doc in DOCUMENTS[:2]:
            page.locator("input[name=checklist]").and_(page.get_by_label(doc["name"])).check()
        page.fill("#id_name", CITIZEN["name"])
        page.fill("#id_id_number", CITIZEN["id_number"])
        page.fill("#id_phone", CITIZEN["phone"])
        page.fill("#id_address", CITIZEN["address"])
        page.fill("#id_request_summary", "Đăng ký tạm trú tại xóm 5, phường Vinh Phú")
        assert fits_the_phone(page)
        page.screenshot(path=str(artifacts / "dossier-intake-360.png"), full_page=True)
        page.locator("#id_phone").press("Enter")  # Enter receives the dossier

        page.wait_for_url(re.compile(r"/can-bo/ho-so/[^/]+/\?moi=1$"))
        code = page.get_by_test_id("dossier-code").inner_text()
        assert page.get_by_test_id("due").inner_text().startswith("30/11/2026 09:30")
        assert fits_the_phone(page)
        page.screenshot(path=str(artifacts / "dossier-received-360.png"), full_page=True)
        receipt = page.get_by_test_id("receipt-link").get_attribute("href")
        assert "09:30 30/11/2026" in pdf_text(page, live_server.url + receipt)
        dossier_url = f"{live_server.url}/can-bo/ho-so/{code}/"

        # The leader assigns it, the handler processes and submits, the leader approves.
        leader = log_in(browser, live_server, org, "lanhdao.vinhphu")
        leader.goto(dossier_url)
        form = open_action(leader, "assign")
        form.get_by_label("Cán bộ xử lý").select_option(label="Trần Thị Mai — Cán bộ")
        form.get_by_test_id("submit-assign").click()
        leader.get_by_text("Đã thực hiện: Phân công xử lý.").wait_for()

        handler = log_in(browser, live_server, org, "xuly.vinhphu")
        handler.goto(dossier_url)
        assert handler.locator("details[data-action=approve]").count() == 0
        form = open_action(handler, "process")
        form.get_by_label("Nội dung xử lý, thẩm định").fill(
            "Đã xác minh nơi ở thực tế, đủ điều kiện"
        )
        form.get_by_test_id("submit-process").click()
        handler.get_by_text("Đã thực hiện: Ghi nhận xử lý.").wait_for()

        # Nothing to approve before the handler submits: no button, and a direct POST fails.
        leader.goto(dossier_url)
        assert leader.locator("details[data-action=approve]").count() == 0
        token = next(c["value"] for c in leader.context.cookies() if c["name"] == "csrftoken")
        early = leader.request.post(
            f"{dossier_url}thao-tac/approve/",
            form={"csrfmiddlewaretoken": token, "version": "3", "result": "Đồng ý"},
        )
        assert early.status == 409 and "đang xử lý" in early.text()

        form = open_action(handler, "submit")
        form.get_by_label("Dự thảo kết quả giải quyết").fill("Xác nhận đăng ký tạm trú")
        form.get_by_test_id("submit-submit").click()
        handler.get_by_text("Đã thực hiện: Trình lãnh đạo phê duyệt.").wait_for()
        assert handler.get_by_test_id("status").inner_text() == "Chờ phê duyệt"

        leader.goto(f"{live_server.url}/can-bo/ho-so/")
        assert leader.get_by_test_id("count-to_approve").inner_text() == "1"
        leader.goto(dossier_url)
        form = open_action(leader, "approve")
        assert form.get_by_label("Kết quả giải quyết").input_value() == "Xác nhận đăng ký tạm trú"
        assert fits_the_phone(leader)
        leader.screenshot(path=str(artifacts / "dossier-approve-360.png"), full_page=True)
        form.get_by_test_id("submit-approve").click()
        leader.get_by_text("Đã thực hiện: Phê duyệt kết quả.").wait_for()

        # Back at the desk: no result leaves before the fee is recorded, then it is returned.
        page.goto(dossier_url)
        assert page.get_by_test_id("action-return").count() == 0
        form = open_action(page, "record_payment")
        assert form.get_by_label("Số tiền (đồng)").input_value() == "15000"
        form.get_by_test_id("submit-record_payment").click()
        page.get_by_text("Đã thực hiện: Ghi nhận nộp phí, lệ phí.").wait_for()
        form = open_action(page, "return")
        form.get_by_test_id("submit-return").click()
        page.get_by_text("Đã thực hiện: Trả kết quả.").wait_for()

        assert page.get_by_test_id("status").inner_text() == "Đã trả kết quả"
        steps = page.get_by_test_id("timeline").locator(":scope > li")
        assert [s.get_attribute("data-step") for s in steps.all()] == [
            "receive",
            "assign",
            "process",
            "submit",
            "approve",
            "record_payment",
            "return",
        ]
        timeline = page.get_by_test_id("timeline").inner_text()
        for who in ("Hoàng Thị Thu", "Nguyễn Văn Hải", "Trần Thị Mai"):
            assert who in timeline
        assert "Đã xác minh nơi ở thực tế" in timeline
        assert fits_the_phone(page)
        page.screenshot(path=str(artifacts / "dossier-detail-360.png"), full_page=True)

        # The day's logbook of the desk lists it, returned.
        page.get_by_role("link", name="Hồ sơ", exact=True).click()
        page.get_by_role("link", name="Sổ theo dõi").click()
        assert code in page.get_by_test_id("logbook").inner_text()
        assert fits_the_phone(page)
        page.screenshot(path=str(artifacts / "dossier-logbook-360.png"), full_page=True)
        leader.context.close()
        handler.context.close()


def test_a_leader_apologises_once_for_a_dossier_nearing_its_deadline(
    page, browser, live_server, org, artifacts
):
    from motcua.dossiers.services import dossier_assign, dossier_receive
    from motcua.dossiers.watch import deadline_watch

    version = publish(org, "1.004194")
    with time_machine.travel(FRIDAY_16H, tick=False):
        d = dossier_receive(
            actor=org["tiepnhan.vinhphu"],
            desk=org.units["VINHPHU"].desks.get(),
            procedure_version=version,
            applicant=dict(CITIZEN),
            checklist=all_documents(),
        )
        d = dossier_assign(
            actor=org["lanhdao.vinhphu"], dossier=d, version=d.version, handler=org["xuly.vinhphu"]
        )

    with time_machine.travel(MONDAY_9H, tick=True):
        assert deadline_watch().nearing == 1  # 30 working minutes before 09:30
        log_in(browser, live_server, org, "lanhdao.vinhphu", page=page)
        page.goto(f"{live_server.url}/can-bo/ho-so/")
        assert page.get_by_test_id("count-nearing").inner_text() == "1"
        page.get_by_test_id("tab-nearing").click()
        row = page.locator(f"tr[data-code='{d.code}']")
        assert "còn 30 phút làm việc" in row.inner_text()
        assert fits_the_phone(page)
        page.screenshot(path=str(artifacts / "dossier-queue-nearing-360.png"), full_page=True)

        row.get_by_role("link", name=d.code).click()
        form = open_action(page, "apologise")
        new_due = form.get_by_label(re.compile(r"^Hẹn trả mới"))
        new_due.fill("06/12/2026 16:00")  # a Sunday
        form.get_by_label("Lý do chậm trễ").fill(
            "Chờ kết quả xác minh của Công an phường Thành Vinh"
        )
        form.get_by_test_id("submit-apologise").click()
        assert "Ngày 06/12/2026 (Chủ nhật) không phải ngày làm việc" in form.inner_text()
        form.get_by_label(re.compile(r"^Hẹn trả mới")).fill("01/12/2026")  # no time
        form.get_by_test_id("submit-apologise").click()
        # The leader sees the date read back, the end of Tuesday's last session, and confirms.
        preview = form.get_by_test_id("preview-apologise").inner_text()
        assert "Ngày hẹn trả mới: 17:00 thứ Ba, ngày 01/12/2026" in preview
        assert page.get_by_test_id("appointment").inner_text().startswith("30/11/2026 09:30")
        form.get_by_test_id("confirm-apologise").click()
        page.get_by_text("Đã thực hiện: Xin lỗi và hẹn lại ngày trả.").wait_for()
        assert page.get_by_test_id("appointment").inner_text().startswith("01/12/2026 17:00")
        assert page.get_by_test_id("due").inner_text() == "30/11/2026 09:30"

        # The date may be moved only once: no button, and a direct POST is refused.
        assert page.locator("details[data-action=apologise]").count() == 0
        token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
        response = page.request.post(
            f"{live_server.url}/can-bo/ho-so/{d.code}/thao-tac/apologise/",
            form={
                "csrfmiddlewaretoken": token,
                "version": str(d.version + 1),
                "new_due": "02/12/2026 16:00",
                "reason": "Lần hai",
            },
        )
        assert response.status == 409
        assert "chỉ được hẹn lại một lần" in response.text()


def test_a_late_dossier_returned_before_the_apologys_date_shows_as_late_everywhere(
    page, browser, live_server, org
):
    """Due 09:30 Monday by law; the leader apologises for 16:00 Tuesday; the result is approved
    Monday 14:00 and returned Tuesday 10:00: before the new date, after the legal due. Late."""
    from motcua.dossiers.services import (
        dossier_apologise,
        dossier_assign,
        dossier_receive,
        dossier_record_payment,
        dossier_return,
    )
    from tests.dossiers.stories import approved

    version = publish(org, "1.004194")
    leader, handler, desk = org["lanhdao.vinhphu"], org["xuly.vinhphu"], org["tiepnhan.vinhphu"]
    with time_machine.travel(FRIDAY_16H, tick=False) as clock:
        d = dossier_receive(
            actor=desk,
            desk=org.units["VINHPHU"].desks.get(),
            procedure_version=version,
            applicant=dict(CITIZEN),
            checklist=all_documents(),
        )
        d = dossier_assign(actor=leader, dossier=d, version=d.version, handler=handler)
        clock.move_to(MONDAY_9H)
        d = dossier_apologise(
            actor=leader,
            dossier=d,
            version=d.version,
            new_due="01/12/2026 16:00",
            reason="Chờ xác minh",
        )
        clock.move_to(datetime(2026, 11, 30, 14, 0, tzinfo=VN_TZ))
        d = approved(d, handler=handler, leader=leader)
        d = dossier_record_payment(
            actor=desk, dossier=d, version=d.version, amount=15000, channel="cash"
        )
        clock.move_to(datetime(2026, 12, 1, 10, 0, tzinfo=VN_TZ))
        d = dossier_return(actor=desk, dossier=d, version=d.version, method="desk")

    with time_machine.travel(datetime(2026, 12, 1, 10, 5, tzinfo=VN_TZ), tick=True):
        log_in(browser, live_server, org, "tiepnhan.vinhphu", page=page)
        dossier_url = f"{live_server.url}/can-bo/ho-so/{d.code}/"
        page.goto(dossier_url)
        assert page.get_by_test_id("time-left").inner_text() == "có kết quả, quá hạn"
        assert page.get_by_test_id("due").inner_text() == "30/11/2026 09:30"
        assert page.get_by_test_id("appointment").inner_text().startswith("01/12/2026 16:00")
        returned = page.locator("[data-testid=timeline] li[data-step=return]").inner_text()
        assert "Trả sau hạn giải quyết" in returned and "Trả trước hạn" not in returned

        control = pdf_text(page, f"{dossier_url}bieu-mau/control.pdf")
        assert "kết quả giải quyết: Quá hạn" in control
        assert "Hạn: 09:30 30/11/2026" in control and "Hạn: 16:00 01/12/2026" not in control
        # Early: receipt and assignment only. Late: the apology (under a working day before
        # the due), submission, approval, payment and return, and the dossier itself.
        assert (control.count("Trước hạn"), control.count("Quá hạn")) == (2, 6)

        page.goto(f"{live_server.url}/can-bo/ho-so/so-theo-doi/?tu=27/11/2026&den=01/12/2026")
        assert "(quá hạn)" in page.get_by_test_id(f"returned-{d.code}").inner_text()

        api = page.request.get(f"{live_server.url}/api/v1/dossiers/{d.code}")
        assert api.ok
        body = api.json()
        assert body["finished_on_time"] is False
        assert body["due_at"].startswith("2026-11-30T09:30")
        assert body["extended_due_at"].startswith("2026-12-01T16:00")
