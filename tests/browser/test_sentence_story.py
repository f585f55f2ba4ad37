"""A suspended sentence in a real browser at 360 px: the provincial agency creates the case, the
ward's officer declares a purpose, receives the person and prints the minutes, the person checks
in on the phone page, the officer assesses, grants an absence and issues the certificate on the
last day. Time is frozen (ticking) around each part; the live server shares the clock."""

import re
from datetime import datetime

import pytest
import time_machine

from motcua.sentences.models import Case, CaseStatus, CheckIn
from motcua.sentences.services import case_create
from motcua.worktime.core import VN_TZ
from tests.browser.test_dossier_stories import PHONE, fits_the_phone, log_in
from tests.sentences.conftest import case_data, people  # noqa: F401  (the fixture: PC10 and the officers)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def at(*args):
    return datetime(*args, tzinfo=VN_TZ)


def open_case(page, live_server, code):
    page.get_by_test_id("sentences-link").click()
    page.goto(f"{live_server.url}/can-bo/thi-hanh-an/ho-so/")
    page.get_by_role("link", name=code).click()
    page.wait_for_url("**/muc-dich/")
    page.get_by_label("Theo dõi, quản lý người chấp hành án").check()
    page.get_by_test_id("purpose-submit").click()
    page.wait_for_selector("[data-testid=case-code]")


@pytest.mark.usefixtures("people")
def test_a_suspended_sentence_from_decision_to_certificate(browser, live_server, org):
    with time_machine.travel(at(2026, 2, 12, 9, 0), tick=True):
        agency = log_in(browser, live_server, org, "thaha.pc10")
        agency.get_by_test_id("sentences-link").click()
        agency.goto(f"{live_server.url}/can-bo/thi-hanh-an/ho-so/")
        agency.get_by_test_id("new-case").click()
        agency.select_option("#commune", label="Công an phường Vinh Phú")
        for field, value in {
            "#full_name": "Nguyễn Văn An",
            "#birth_date": "17/05/1990",
            "#id_number": "040090012345",
            "#address": "Khối 3, phường Vinh Phú",
            "#court": "Tòa án nhân dân khu vực 1 - Nghệ An",
            "#decision_number": "15/2026/HS-ST",
            "#decision_date": "20/01/2026",
            "#term_months": "12",
            "#file_received_on": "12/02/2026",
        }.items():
            agency.fill(field, value)
        agency.select_option("#kind", "suspended")
        agency.get_by_test_id("create-case").click()
        agency.wait_for_url("**/thi-hanh-an/ho-so/")
        assert fits_the_phone(agency)
    case = Case.objects.get()

    with time_machine.travel(at(2026, 2, 25, 14, 0), tick=True):
        officer = log_in(browser, live_server, org, "thaha.vinhphu")
        open_case(officer, live_server, case.code)
        assert officer.get_by_test_id("term").inner_text() == "12/02/2026 – 11/02/2027"
        officer.get_by_test_id("action-assign").click()
        officer.get_by_test_id("submit-assign").click()
        officer.get_by_test_id("action-receive").click()
        officer.get_by_test_id("submit-receive").click()
        message = officer.locator(".messages").inner_text()
        code = re.search(r"(\d{6})$", message.strip()).group(1)
        link = officer.get_by_test_id("checkin-url").inner_text()
        href = officer.get_by_test_id("reception-pdf").get_attribute("href")
        minutes = officer.request.get(live_server.url + href)
        assert minutes.ok and minutes.body().startswith(b"%PDF")
        assert fits_the_phone(officer)

    with time_machine.travel(at(2026, 3, 3, 7, 45), tick=True):
        phone = browser.new_context(viewport=PHONE, locale="vi-VN").new_page()
        phone.goto(link)
        phone.fill("#code", code)
        phone.get_by_test_id("checkin-submit").click()
        assert "Đã ghi nhận trình diện" in phone.get_by_test_id("checked-in").inner_text()
        assert fits_the_phone(phone)
    assert CheckIn.objects.filter(case=case, how="phone").count() == 1

    with time_machine.travel(at(2026, 3, 4, 9, 0), tick=True):
        officer = log_in(browser, live_server, org, "thaha.vinhphu")
        open_case(officer, live_server, case.code)
        officer.get_by_test_id("action-assess").click()
        officer.fill("#period", "02/2026")
        officer.select_option("#rating", "tot")
        officer.get_by_test_id("submit-assess").click()
        officer.get_by_test_id("action-absence").click()
        assert "còn 121 ngày" in officer.get_by_test_id("absence-left").inner_text()
        officer.fill("#a-start", "01/04/2026")
        officer.fill("#a-end", "10/04/2026")
        officer.fill("#a-dest", "Hà Nội")
        officer.fill("#a-reason", "Thăm người thân")
        officer.get_by_test_id("submit-absence").click()
        assert "Đồng ý" in officer.get_by_test_id("absences").inner_text()

    with time_machine.travel(at(2027, 2, 11, 8, 0), tick=True):
        officer = log_in(browser, live_server, org, "thaha.vinhphu")
        open_case(officer, live_server, case.code)
        officer.get_by_test_id("action-complete").click()
        officer.get_by_test_id("submit-complete").click()
        assert officer.get_by_test_id("status").inner_text() == "Đã chấp hành xong"
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_the_officer_adds_a_document_to_the_case_file(browser, live_server, org, people):  # noqa: F811
    with time_machine.travel(at(2026, 3, 4, 9, 0), tick=True):
        case = case_create(actor=people["thaha.vinhphu"], **case_data(org))
        officer = log_in(browser, live_server, org, "thaha.vinhphu")
        open_case(officer, live_server, case.code)
        assert "Chưa có tài liệu." in officer.content()

        # A Word file (whatever the browser's file picker allows) is refused by its content,
        # with the reason, and what was typed is kept.
        officer.get_by_test_id("action-document").click()
        officer.select_option("#d-kind", "decision")
        officer.fill("#d-title", "Quyết định thi hành án 15/2026")
        officer.set_input_files(
            "#d-file",
            files=[
                {"name": "quyet-dinh.docx", "mimeType": "application/pdf", "buffer": b"PK\x03\x04"}
            ],
        )
        officer.get_by_test_id("submit-document").click()
        error = officer.get_by_test_id("action-error").inner_text()
        assert error == "Tệp 'quyet-dinh.docx' không phải PDF, JPEG hay PNG."
        assert officer.input_value("#d-title") == "Quyết định thi hành án 15/2026"
        assert not case.documents.exists()
        assert fits_the_phone(officer)

        # The scanned PDF is accepted, listed, and downloads as the same bytes.
        officer.set_input_files(
            "#d-file",
            files=[{"name": "quyet-dinh.pdf", "mimeType": "application/pdf", "buffer": PDF}],
        )
        officer.get_by_test_id("submit-document").click()
        officer.wait_for_selector("[data-testid=documents]")
        assert (
            "Đã lưu tài liệu: Quyết định thi hành án 15/2026."
            in officer.locator(".messages").inner_text()
        )
        listed = officer.get_by_test_id("documents").inner_text()
        assert "Quyết định thi hành án 15/2026" in listed
        assert "Bản án, quyết định thi hành án" in listed
        with officer.expect_download() as download:
            officer.get_by_test_id("document-link").click()
        assert download.value.suggested_filename == f"{case.code}-{case.documents.get().pk}.pdf"
        with open(download.value.path(), "rb") as handle:
            assert handle.read() == PDF
        assert fits_the_phone(officer)
    document = case.documents.get()
    assert case.reads.filter(what=f"document:{document.pk}", user__username="thaha.vinhphu")
