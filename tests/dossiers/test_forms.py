"""Printed forms: each form rendered once for a story at Công an xã Nghi Phú, its text read back
with poppler's pdftotext, the receipt's QR code decoded with zbarimg."""

import io
import os
import re
import shutil
import subprocess
from datetime import date, datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from motcua.dossiers import printing
from motcua.dossiers.errors import InvalidState
from motcua.dossiers.services import (
    dossier_apologise,
    dossier_approve,
    dossier_assign,
    dossier_process,
    dossier_receive,
    dossier_record_payment,
    dossier_refuse,
    dossier_request_supplement,
    dossier_return,
    dossier_stop,
    dossier_submit,
    intake_incomplete,
    intake_refuse,
)
from motcua.worktime.core import VN_TZ
from tests.dossiers.stories import CITIZEN, all_documents, approved

POPPLER = ("pdftotext", "pdfinfo")
needs_poppler = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in POPPLER),
    reason="poppler-utils (pdftotext, pdfinfo) is not installed: apt-get install poppler-utils",
)
needs_zbar = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("zbarimg") is None,
    reason="pdftoppm (poppler-utils) or zbarimg (zbar-tools) is not installed",
)

A5 = (148, 210)  # millimetres, width x height
A4_LANDSCAPE = (297, 210)


def vn(*args):
    return datetime(*args, tzinfo=VN_TZ)


def _dump(name: str, pdf: bytes) -> None:
    """MOTCUA_FORMS_DIR=/some/dir keeps the rendered files, to look at them."""
    if folder := os.environ.get("MOTCUA_FORMS_DIR"):
        with open(os.path.join(folder, name), "wb") as f:
            f.write(pdf)


def lines_of(pdf: bytes) -> list[str]:
    """The lines of a PDF laid out as printed (pdftotext -layout), runs of spaces squeezed."""
    out = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [re.sub(r"\s+", " ", line).strip() for line in out.splitlines() if line.strip()]


def text_of(pdf: bytes) -> str:
    """All the text on one line: a sentence wrapped over two printed lines still matches."""
    return " ".join(lines_of(pdf))


def page_size(pdf: bytes) -> tuple[int, int]:
    """Width and height of the first page in whole millimetres (pdfinfo: 'Page size: 419.528 x
    595.276 pts (A5)')."""
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    found = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info.stdout.decode())
    return tuple(round(float(pts) * 25.4 / 72) for pts in found.groups())


def pages(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    return int(re.search(r"Pages:\s+(\d+)", info.stdout.decode()).group(1))


def qr_of(pdf: bytes, tmp_path) -> str:
    source = tmp_path / "form.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", str(source), str(tmp_path / "p")],
        check=True,
    )
    (image,) = tmp_path.glob("p*.png")
    out = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, check=True
    )
    return out.stdout.decode().strip()


# ---------------------------------------------------------------- the stories


@pytest.fixture
def leader(org):
    return org["lanhdao.nghiphu"]


@pytest.fixture
def handler(org):
    return org["xuly.nghiphu"]


@pytest.fixture
def receptionist(org):
    return org["tiepnhan.nghiphu"]


def _assigned(received, leader, handler):
    return dossier_assign(actor=leader, dossier=received, version=received.version, handler=handler)


# ---------------------------------------------------------------- receipt


@needs_poppler
@needs_zbar
def test_it_prints_the_receipt_with_times_code_applicant_and_a_qr_to_the_tracking_page(
    received, tmp_path
):
    pdf = printing.render_dossier_form("receipt", received)
    _dump("receipt.pdf", pdf)
    text = text_of(pdf)

    assert page_size(pdf) == A5 and pages(pdf) == 1
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "CÔNG AN XÃ NGHI PHÚ" in text and "BỘ PHẬN MỘT CỬA" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert f"Số: {received.code}" in text and f"Mã hồ sơ: {received.code}" in text
    assert "Nghi Phú, ngày 27 tháng 11 năm 2026" in text
    assert "Nguyễn Thị Lan" in text
    assert "Số định danh cá nhân: 040190012345" in text
    assert "Xóm 5, xã Nghi Phú, thành phố Vinh, Nghệ An" in text
    assert "0912345678" in text and "lan.nguyen@example.vn" in text
    assert "Đăng ký tạm trú" in text
    assert "Tờ khai thay đổi thông tin cư trú (CT01)" in text
    assert "Giấy tờ chứng minh chỗ ở hợp pháp" in text
    assert "Thời gian giải quyết hồ sơ theo quy định: 180 phút" in text
    assert "Thời gian nhận hồ sơ: 16:00 27/11/2026" in text
    assert "Thời gian trả kết quả giải quyết hồ sơ: 09:30 30/11/2026" in text
    assert "Bộ phận một cửa Công an xã Nghi Phú" in text
    assert "Phí, lệ phí: 15.000 đồng" in text
    assert "Vào Sổ theo dõi hồ sơ năm 2026, số thứ tự: 1" in text
    url = f"{settings.PUBLIC_BASE_URL}/tra-cuu/{received.code}/"
    assert url in text
    assert f"Mã tra cứu: {received.tracking_secret}" in text
    assert "NGƯỜI NỘP HỒ SƠ" in text and "NGƯỜI TIẾP NHẬN HỒ SƠ" in text
    assert "Hoàng Thị Thu" in text  # the receptionist signs

    assert qr_of(pdf, tmp_path) == url


def test_the_receipt_keeps_the_due_printed_at_receipt_after_an_apology(received, leader):
    dossier_apologise(
        actor=leader,
        dossier=received,
        version=received.version,
        new_due=vn(2026, 12, 1, 10, 0),
        reason="Chờ xác minh",
    )
    received.refresh_from_db()
    _template, context = printing.form_context("receipt", received)
    assert context["due"] == "09:30 30/11/2026"
    assert context["received"] == "16:00 27/11/2026"


def test_the_receipt_names_an_organisation_and_its_proxy(org, tam_tru, desk_nghiphu, friday_16h):
    from django.template.loader import render_to_string

    d = dossier_receive(
        actor=org["tiepnhan.nghiphu"],
        desk=desk_nghiphu,
        procedure_version=tam_tru,
        applicant={
            "kind": "organisation",
            "name": "Công ty TNHH Thủy sản Cửa Hội",
            "org_code": "2901234567",
            "proxy_name": "Đặng Văn Hùng",
            "proxy_id_number": "040088000444",
            "proxy_authorisation": "Giấy ủy quyền số 12/UQ ngày 20/11/2026",
        },
        checklist=all_documents()[:2],
        request_summary="Đăng ký tạm trú cho 3 công nhân tại nhà tập thể",
    )
    template, context = printing.form_context("receipt", d)
    html = render_to_string(template, context)

    assert 'Tổ chức: <span class="value">Công ty TNHH Thủy sản Cửa Hội</span>' in html
    assert "Mã số tổ chức: 2901234567" in html
    assert "Đặng Văn Hùng" in html and "Giấy ủy quyền số 12/UQ ngày 20/11/2026" in html
    # The summary already names the procedure: printed once, not "Đăng ký tạm trú: Đăng ký…".
    assert (
        'Nội dung yêu cầu giải quyết: <span class="value">Đăng ký tạm trú cho 3 công nhân tại '
        "nhà tập thể</span>" in html
    )
    assert [doc["name"] for doc in context["documents"]] == all_documents()[:2]
    assert context["sign_left"]["name"] == "Đặng Văn Hùng"  # the proxy signs for the company


# ---------------------------------------------------------------- supplement and refusals


@needs_poppler
def test_it_prints_the_request_to_complete_after_appraisal_with_every_item(
    received, leader, handler, friday_16h
):
    d = _assigned(received, leader, handler)
    friday_16h.move_to(vn(2026, 11, 30, 8, 0))
    d = dossier_request_supplement(
        actor=handler,
        dossier=d,
        version=d.version,
        items=["Bản sao hợp đồng thuê nhà có công chứng", "Văn bản đồng ý của chủ hộ"],
        note="Giấy tờ chỗ ở chưa thể hiện thời hạn thuê",
    )
    pdf = printing.render_dossier_form("supplement", d)
    _dump("supplement.pdf", pdf)
    text = text_of(pdf)

    assert page_size(pdf) == A5
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert f"Mã hồ sơ: {d.code}" in text
    assert "Nghi Phú, ngày 30 tháng 11 năm 2026" in text
    assert "1. Bản sao hợp đồng thuê nhà có công chứng" in text
    assert "2. Văn bản đồng ý của chủ hộ" in text
    assert "Lý do: Giấy tờ chỗ ở chưa thể hiện thời hạn thuê" in text
    assert "Trần Thị Mai" in text  # the handler who asks, and signs


@needs_poppler
def test_it_prints_the_request_to_complete_of_an_incomplete_intake(
    org, tam_tru, desk_nghiphu, receptionist, friday_16h
):
    slip = intake_incomplete(
        actor=receptionist,
        desk=desk_nghiphu,
        procedure_version=tam_tru,
        applicant=dict(CITIZEN),
        missing=["Giấy tờ chứng minh chỗ ở hợp pháp", "Tờ khai CT01 có chữ ký của chủ hộ"],
    )
    pdf = printing.render_intake_slip(slip)
    _dump("intake-incomplete.pdf", pdf)
    text = text_of(pdf)

    assert page_size(pdf) == A5
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert f"Số: {slip.number}" in text
    assert "Nguyễn Thị Lan" in text and "Đăng ký tạm trú" in text
    assert "1. Giấy tờ chứng minh chỗ ở hợp pháp" in text
    assert "2. Tờ khai CT01 có chữ ký của chủ hộ" in text
    assert "liên hệ với Hoàng Thị Thu, Bộ phận một cửa Công an xã Nghi Phú" in text
    assert "NGƯỜI HƯỚNG DẪN" in text


@needs_poppler
def test_it_prints_the_refusal_at_intake_with_its_reasons(
    org, tam_tru, desk_nghiphu, receptionist, friday_16h
):
    slip = intake_refuse(
        actor=receptionist,
        desk=desk_nghiphu,
        procedure_version=tam_tru,
        applicant=dict(CITIZEN),
        reasons=["Chỗ ở đề nghị đăng ký thuộc địa bàn phường Hưng Bình, không thuộc xã Nghi Phú"],
    )
    pdf = printing.render_intake_slip(slip)
    _dump("intake-refusal.pdf", pdf)
    text = text_of(pdf)

    assert page_size(pdf) == A5
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert "Số định danh cá nhân: 040190012345" in text
    assert "thông báo không tiếp nhận, giải quyết hồ sơ này" in text
    assert "1. Chỗ ở đề nghị đăng ký thuộc địa bàn phường Hưng Bình" in text


@needs_poppler
def test_it_prints_the_refusal_after_appraisal_signed_by_the_head(
    received, leader, handler, friday_16h
):
    d = _assigned(received, leader, handler)
    friday_16h.move_to(vn(2026, 11, 30, 9, 0))
    d = dossier_refuse(
        actor=leader,
        dossier=d,
        version=d.version,
        reasons="Công dân đã đăng ký thường trú tại chính chỗ ở này",
    )
    pdf = printing.render_dossier_form("refusal", d)
    _dump("refusal.pdf", pdf)
    text = text_of(pdf)

    assert page_size(pdf) == A5
    assert "PHIẾU TỪ CHỐI GIẢI QUYẾT HỒ SƠ" in text
    assert f"Mã hồ sơ: {d.code}" in text
    assert "1. Công dân đã đăng ký thường trú tại chính chỗ ở này" in text
    assert "TRƯỞNG CÔNG AN XÃ" in text and "Nguyễn Văn Hải" in text


# ---------------------------------------------------------------- apology and stop


@needs_poppler
def test_it_prints_the_apology_with_the_old_and_new_due_signed_by_the_head(received, leader):
    d = dossier_apologise(
        actor=leader,
        dossier=received,
        version=received.version,
        new_due=vn(2026, 12, 1, 10, 0),
        reason="Chờ kết quả xác minh của Công an phường Hưng Bình",
    )
    pdf = printing.render_dossier_form("apology", d)
    _dump("apology.pdf", pdf)
    text = text_of(pdf)

    assert page_size(pdf) == A5
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert "Kính gửi: Ông/bà Nguyễn Thị Lan" in text
    assert "Ngày 27/11/2026, Công an xã Nghi Phú tiếp nhận" in text
    assert f"Mã hồ sơ: {d.code}" in text
    assert "Thời gian hẹn trả kết quả giải quyết hồ sơ: 09:30 30/11/2026" in text
    assert "Lý do: Chờ kết quả xác minh của Công an phường Hưng Bình" in text
    assert "10:00 01/12/2026" in text
    assert "TRƯỞNG CÔNG AN XÃ" in text and "Nguyễn Văn Hải" in text


def test_forms_that_do_not_apply_yet_are_refused_in_vietnamese(received):
    for name, words in [
        ("apology", "xin lỗi"),
        ("supplement", "bổ sung"),
        ("refusal", "từ chối"),
        ("stop", "dừng"),
    ]:
        with pytest.raises(InvalidState, match=words):
            printing.render_dossier_form(name, received)
    with pytest.raises(KeyError):
        printing.render_dossier_form("giay-khen", received)
    assert [name for name, _title in printing.available_forms(received)] == ["receipt", "control"]


@needs_poppler
def test_it_prints_the_notice_of_stopping_at_the_applicants_request(
    received, receptionist, friday_16h
):
    friday_16h.move_to(vn(2026, 11, 27, 16, 45))
    d = dossier_stop(
        actor=receptionist,
        dossier=received,
        version=received.version,
        reason="Công dân xin rút hồ sơ để bổ sung hợp đồng thuê nhà",
    )
    pdf = printing.render_dossier_form("stop", d)
    _dump("stop.pdf", pdf)
    text = text_of(pdf)

    assert page_size(pdf) == A5
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text
    assert f"Mã hồ sơ: {d.code}" in text
    assert "Theo đề nghị của ông/bà" in text
    assert "16:45 27/11/2026" in text
    assert "Công dân xin rút hồ sơ để bổ sung hợp đồng thuê nhà" in text


# ---------------------------------------------------------------- process control slip


@needs_poppler
def test_the_control_slip_lists_each_step_early_on_time_or_late(
    received, leader, handler, receptionist, friday_16h
):
    # Due 09:30 Mon 30/11. Assigned the same Friday (early), processed Monday 09:00 (on the due
    # date: on time), submitted 09:20 (on time), approved 10:00 and returned 10:30 (after the
    # due: late).
    friday_16h.move_to(vn(2026, 11, 27, 16, 5))
    d = dossier_record_payment(
        actor=receptionist, dossier=received, version=received.version, amount=15000, channel="cash"
    )
    friday_16h.move_to(vn(2026, 11, 27, 16, 10))
    d = _assigned(d, leader, handler)
    friday_16h.move_to(vn(2026, 11, 30, 9, 0))
    d = dossier_process(actor=handler, dossier=d, version=d.version, note="Đã xác minh nơi ở")
    friday_16h.move_to(vn(2026, 11, 30, 9, 20))
    d = dossier_submit(actor=handler, dossier=d, version=d.version, result="Đã đăng ký tạm trú")
    friday_16h.move_to(vn(2026, 11, 30, 10, 0))
    d = dossier_approve(actor=leader, dossier=d, version=d.version)
    friday_16h.move_to(vn(2026, 11, 30, 10, 30))
    d = dossier_return(actor=receptionist, dossier=d, version=d.version, method="desk")

    _template, context = printing.form_context("control", d)
    assert [(r["step"], r["result"]) for r in context["rows"]] == [
        ("Tiếp nhận hồ sơ", "Trước hạn"),
        ("Ghi nhận nộp phí, lệ phí", "Trước hạn"),
        ("Phân công xử lý", "Trước hạn"),
        ("Ghi nhận xử lý", "Đúng hạn"),
        ("Trình lãnh đạo phê duyệt", "Đúng hạn"),
        ("Phê duyệt kết quả", "Quá hạn"),
        ("Trả kết quả", "Quá hạn"),
    ]

    pdf = printing.render_dossier_form("control", d)
    _dump("control.pdf", pdf)
    text = text_of(pdf)
    assert page_size(pdf) == A5
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert f"Mã hồ sơ: {d.code}" in text
    assert "Cơ quan (bộ phận) giải quyết hồ sơ: Công an xã Nghi Phú" in text
    assert "Tiếp nhận lúc: 16:00 27/11/2026. Hẹn trả kết quả: 09:30 30/11/2026" in text
    lines = lines_of(pdf)

    def line_with(words):
        return next(line for line in lines if words in line)

    assert "Trước hạn" in line_with("Tiếp nhận hồ sơ 16:00 27/11/2026")
    assert "Trước hạn" in line_with("Phân công xử lý 16:10 27/11/2026")
    assert "Đúng hạn" in line_with("Ghi nhận xử lý 09:00 30/11/2026")
    assert "Quá hạn" in line_with("Phê duyệt kết quả 10:00 30/11/2026")
    assert "Quá hạn" in line_with("Trả kết quả 10:30 30/11/2026")
    # Each hand-over is signed on paper by the one who gives and the one who receives.
    assert text.count("Người giao:") == text.count("Người nhận:") == len(context["rows"])
    assert context["rows"][1]["note"] == "15.000 đồng (tiền mặt)"
    assert context["rows"][2]["note"] == "Cán bộ xử lý: Trần Thị Mai"
    assert context["rows"][5]["note"] == "Kết quả: Đã đăng ký tạm trú"
    assert "Đã xác minh nơi ở" in text


# ---------------------------------------------------------------- the logbook


@pytest.fixture
def logbook_story(org, tam_tru, desk_nghiphu, received, receptionist, leader, handler, friday_16h):
    """Three dossiers at Nghi Phú: Friday 16:00 (returned Monday), Monday 08:15 (open), and one
    at Hưng Bình the same Monday, which Nghi Phú's book must not show."""
    d = dossier_record_payment(
        actor=receptionist, dossier=received, version=received.version, amount=15000, channel="cash"
    )
    d = _assigned(d, leader, handler)
    friday_16h.move_to(vn(2026, 11, 30, 8, 0))
    d = approved(d, handler=handler, leader=leader)
    friday_16h.move_to(vn(2026, 11, 30, 8, 15))
    dossier_return(actor=receptionist, dossier=d, version=d.version, method="desk")
    second = dossier_receive(
        actor=receptionist,
        desk=desk_nghiphu,
        procedure_version=tam_tru,
        applicant={
            "name": "Lê Văn Tám",
            "id_number": "040085000111",
            "address": "Xóm 2, xã Nghi Phú",
            "phone": "0987654321",
        },
        checklist=all_documents(),
    )
    dossier_receive(
        actor=org["tiepnhan.hungbinh"],
        desk=org.units["HUNGBINH"].desks.get(),
        procedure_version=tam_tru,
        applicant={"name": "Phạm Văn Bình", "id_number": "040080000333"},
        checklist=all_documents(),
    )
    return [received, second]


@needs_poppler
def test_the_logbook_pdf_is_a4_landscape_with_one_row_per_dossier(org, desk_nghiphu, logbook_story):
    first, second = logbook_story
    with time_machine.travel(vn(2026, 12, 1, 8, 0), tick=False):
        pdf = printing.render_logbook_pdf(
            org["tiepnhan.nghiphu"], desk_nghiphu, date(2026, 11, 27), date(2026, 11, 30)
        )
    _dump("logbook.pdf", pdf)
    text = text_of(pdf)

    assert page_size(pdf) == A4_LANDSCAPE
    assert "SỔ THEO DÕI HỒ SƠ" in text
    assert "Từ ngày 27/11/2026 đến ngày 30/11/2026 — 2 hồ sơ" in text
    assert first.code in text and second.code in text
    assert "Nguyễn Thị Lan" in text and "Lê Văn Tám" in text
    assert "Phạm Văn Bình" not in text
    assert "Tại bộ phận" in text  # how the first one was returned
    # Times sit above their dates in the narrow columns.
    lines = lines_of(pdf)
    row = next(i for i, line in enumerate(lines) if first.code in line)
    assert re.search(r"\b1 .*Nguyễn Thị Lan.* 16:00 09:30 08:15", lines[row])
    assert "27/11/2026 30/11/2026 30/11/2026" in lines[row + 1]


def test_the_logbook_xlsx_has_the_same_rows(org, desk_nghiphu, logbook_story):
    from openpyxl import load_workbook

    first, second = logbook_story
    data = printing.render_logbook_xlsx(
        org["tiepnhan.nghiphu"], desk_nghiphu, date(2026, 11, 27), date(2026, 11, 30)
    )
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))

    assert rows[0][:4] == ("STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Người nộp hồ sơ")
    assert len(rows) == 3
    assert rows[1][:4] == (1, first.code, "Đăng ký tạm trú", "Nguyễn Thị Lan")
    assert rows[1][6:10] == (
        datetime(2026, 11, 27, 16, 0),
        datetime(2026, 11, 30, 9, 30),
        datetime(2026, 11, 30, 8, 15),
        "Tại bộ phận một cửa",
    )
    assert rows[2][:4] == (2, second.code, "Đăng ký tạm trú", "Lê Văn Tám")
    assert rows[2][4] == "Xóm 2, xã Nghi Phú; ĐT: 0987654321"
    assert rows[2][5] == "Công an xã Nghi Phú"
    assert rows[2][8] is None
    # Monday 08:15 + 180 working minutes (the lunch break does not count) -> 11:15.
    assert rows[2][7] == datetime(2026, 11, 30, 11, 15)
    assert sheet.page_setup.orientation == "landscape"


def test_a_later_period_keeps_the_yearly_entry_numbers(org, desk_nghiphu, logbook_story):
    _first, second = logbook_story
    from motcua.dossiers.logbook import logbook_rows  # what both the PDF and the XLSX print

    (row,) = logbook_rows(
        org["tiepnhan.nghiphu"], desk_nghiphu, date(2026, 11, 30), date(2026, 11, 30)
    )
    assert (row.code, row.number) == (second.code, 2)
    _template, context = printing.form_context("receipt", second)
    assert (context["logbook_year"], context["logbook_entry"]) == (2026, 2)


# ---------------------------------------------------------------- the views


def _login(client, org, username):
    client.force_login(org[username])
    return client


def test_the_form_view_serves_the_pdf_inline(client, org, received):
    _login(client, org, "lanhdao.nghiphu")
    url = reverse("dossier-form", args=[received.code, "control"])
    assert url == f"/can-bo/ho-so/{received.code}/bieu-mau/control.pdf"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'inline; filename="phieu-kiem-soat-{received.code}.pdf"'
    )
    assert response.content.startswith(b"%PDF")


def test_the_views_hide_a_sibling_communes_dossiers_slips_and_desks(
    client, org, received, tam_tru, desk_nghiphu
):
    slip = intake_refuse(
        actor=org["tiepnhan.nghiphu"],
        desk=desk_nghiphu,
        procedure_version=tam_tru,
        applicant=dict(CITIZEN),
        reasons=["Không thuộc địa bàn"],
    )
    _login(client, org, "tiepnhan.hungbinh")
    for url in [
        reverse("dossier-form", args=[received.code, "receipt"]),
        reverse("intake-slip-pdf", args=[slip.number]),
        reverse("logbook-pdf", args=[desk_nghiphu.code]) + "?tu=27/11/2026&den=27/11/2026",
        reverse("logbook-xlsx", args=[desk_nghiphu.code]) + "?tu=27/11/2026&den=27/11/2026",
    ]:
        assert client.get(url).status_code == 404, url

    _login(client, org, "tiepnhan.nghiphu")
    response = client.get(reverse("intake-slip-pdf", args=[slip.number]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'inline; filename="phieu-{slip.number}.pdf"'


def test_an_unknown_form_or_dossier_is_404_and_an_early_form_409(client, org, received):
    _login(client, org, "tiepnhan.nghiphu")
    assert client.get(reverse("dossier-form", args=[received.code, "giay-khen"])).status_code == 404
    assert client.get(reverse("dossier-form", args=["KHONG-CO", "receipt"])).status_code == 404
    response = client.get(reverse("dossier-form", args=[received.code, "apology"]))
    assert response.status_code == 409
    assert "xin lỗi" in response.content.decode()


def test_the_views_need_a_login(client, received):
    response = client.get(reverse("dossier-form", args=[received.code, "receipt"]))
    assert response.status_code == 302 and "next=" in response["Location"]


def test_bad_logbook_dates_are_a_400_in_vietnamese(client, org, desk_nghiphu):
    _login(client, org, "tiepnhan.nghiphu")
    base = reverse("logbook-xlsx", args=[desk_nghiphu.code])
    for query in [
        "?tu=2026-11-27&den=30/11/2026",
        "?tu=31/02/2026",
        "?tu=30/11/2026&den=1/11/2026",
    ]:
        response = client.get(base + query)
        assert response.status_code == 400, query
        assert "ngày" in response.content.decode().lower()


def test_the_logbook_views_serve_pdf_and_xlsx(client, org, desk_nghiphu, received):
    _login(client, org, "thanhtra.vinh")  # an inspector of the city sees its communes' books
    query = "?tu=27/11/2026&den=30/11/2026"
    response = client.get(reverse("logbook-xlsx", args=[desk_nghiphu.code]) + query)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="so-theo-doi-NGHIPHU-MC-20261127-20261130.xlsx"'
    )
    assert response.content.startswith(b"PK")


def test_a_receipt_printed_from_an_english_session_is_in_vietnamese(received):
    from django.utils import translation

    from motcua.dossiers.printing import render_dossier_form

    with translation.override("en"):
        pdf = render_dossier_form("receipt", received)
    text = text_of(pdf)
    assert "180 phút" in text
    assert "minutes" not in text


@pytest.mark.parametrize(
    "name",
    ['=HYPERLINK("http://x.example","Lan")', "+84 Lan", "-Lan", "@SUM(A1)"],
)
def test_the_logbook_xlsx_writes_a_formula_like_name_as_plain_text(
    org, desk_nghiphu, tam_tru, friday_16h, name
):
    from openpyxl import load_workbook

    dossier_receive(
        actor=org["tiepnhan.nghiphu"],
        desk=desk_nghiphu,
        procedure_version=tam_tru,
        applicant={**CITIZEN, "name": name, "address": "=1+1"},
        checklist=all_documents(),
    )
    data = printing.render_logbook_xlsx(
        org["tiepnhan.nghiphu"], desk_nghiphu, date(2026, 11, 27), date(2026, 11, 27)
    )
    row = load_workbook(io.BytesIO(data)).active[5]
    assert (row[3].value, row[3].data_type) == (name, "s")
    assert row[4].value.startswith("=1+1") and row[4].data_type == "s"
