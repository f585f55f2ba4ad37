"""Cases from a spreadsheet: a bad row is named with its error, and then nothing is written."""

import io
from datetime import date

import pytest
from openpyxl import Workbook

from motcua.sentences.importing import ImportRejected, cases_import
from motcua.sentences.models import Case, Task

HEADER = [
    "ma_xa",
    "ho_ten",
    "ngay_sinh",
    "so_dinh_danh",
    "noi_cu_tru",
    "toa_an",
    "so_ban_an",
    "ngay_ban_an",
    "loai_hinh_phat",
    "thang",
    "ngay",
    "ngay_nhan_ho_so",
    "toi_danh",
]
GOOD = [
    "VINHPHU",
    "Nguyễn Văn An",
    "17/05/1990",
    "040090012345",
    "Khối 3, Vinh Phú",
    "TAND khu vực 1",
    "15/2026/HS-ST",
    "20/01/2026",
    "Án treo",
    24,
    0,
    date(2026, 2, 12),
    "Trộm cắp tài sản",
]


def sheet(*rows) -> bytes:
    book = Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_it_imports_good_rows(people):
    second = list(GOOD)
    second[1], second[3], second[2] = "Trần Thị Bình", "040301012345", "02/01/2001"
    second[8], second[9] = "reform", 6
    created = cases_import(actor=people["thaha.pc10"], content=sheet(GOOD, second))
    assert [(c.kind, c.start_on, c.end_on) for c in created] == [
        ("suspended", date(2026, 2, 12), date(2028, 2, 11)),
        ("reform", date(2026, 2, 12), date(2026, 8, 11)),
    ]
    assert Case.objects.get(full_name="Nguyễn Văn An").id_number == "040090012345"


def test_one_bad_row_writes_nothing_and_says_where(people):
    wrong_id = list(GOOD)
    wrong_id[3] = "04009001234"
    too_long = list(GOOD)
    too_long[9] = 61
    sibling = list(GOOD)
    sibling[0] = "NOWHERE"
    with pytest.raises(ImportRejected) as caught:
        cases_import(
            actor=people["thaha.vinhphu"], content=sheet(GOOD, wrong_id, too_long, sibling)
        )
    errors = [(e.row, e.column, e.message) for e in caught.value.errors]
    assert errors == [
        (3, "-", "Số định danh cá nhân phải gồm đúng 12 chữ số."),
        (4, "-", "Thời hạn án treo vượt mức tối đa luật định (60 tháng)."),
        (5, "ma_xa", "Không có Công an cấp xã mã 'NOWHERE' trong phạm vi của bạn."),
    ]
    assert not Case.objects.exists() and not Task.objects.exists()


def test_a_ward_cannot_import_into_its_sibling(people):
    row = list(GOOD)
    row[0] = "THANHVINH"
    with pytest.raises(ImportRejected, match="THANHVINH"):
        cases_import(actor=people["thaha.vinhphu"], content=sheet(row))
    assert not Case.objects.exists()


def test_the_page_lists_the_errors(client, people):
    wrong_id = list(GOOD)
    wrong_id[3] = "999090012345"
    client.force_login(people["thaha.vinhphu"])
    upload = io.BytesIO(sheet(wrong_id))
    upload.name = "ho-so.xlsx"
    page = client.post("/can-bo/thi-hanh-an/ho-so/nhap-tep/", {"file": upload}, follow=True)
    text = page.content.decode()
    assert "Dòng 2, cột -: Mã tỉnh nơi đăng ký khai sinh &#x27;999&#x27; không tồn tại." in text
    assert "Không nhập hồ sơ nào vì tệp có lỗi." in text
    garbage = io.BytesIO(b"not a spreadsheet")
    garbage.name = "x.xlsx"
    page = client.post("/can-bo/thi-hanh-an/ho-so/nhap-tep/", {"file": garbage}, follow=True)
    assert "Không đọc được tệp Excel (.xlsx)." in page.content.decode()
    assert not Case.objects.exists()
