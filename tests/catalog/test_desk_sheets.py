"""Where and when to submit, and sheets that print whole and in Vietnamese.

The administrator of Công an phường Vinh Phú's desk writes its address, opening hours and phone in
the admin; a citizen reads them on the procedure page (and on the copy nginx serves), and on the
desk's QR sheet, whose tiles wrap long procedure names instead of cutting them. Posters and desk
sheets print in Vietnamese even from an officer's English session, like the forms.
"""

import re
import subprocess

import pytest

from motcua.catalog import static_pages
from tests.catalog.factories import make_content, publish_new
from tests.org.desks import desk_edit_in_admin

HOURS = "Thứ Hai đến thứ Sáu: sáng 7:30–11:30, chiều 13:30–17:00"
ADDRESS = "Số 2 đường Nguyễn Trường Tộ, phường Vinh Phú, Nghệ An"
PHONE = "0238 3855 113"
LONG_NAME = (
    "Đăng ký thường trú cho người chưa thành niên được cha, mẹ hoặc người giám hộ đồng ý cho "
    "đăng ký thường trú tại nơi cư trú của người khác mà không phải là nơi cư trú của cha, mẹ, "
    "kèm xác nhận thông tin về cư trú và điều chỉnh thông tin trong Cơ sở dữ liệu quốc gia"
)


def pdf_text(pdf: bytes) -> str:
    """The PDF's text in drawing order (each tile's lines together), whitespace squeezed."""
    out = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return re.sub(r"\s+", " ", out)


def overlapping_words(pdf: bytes) -> list[tuple[str, str]]:
    """Pairs of words drawn over each other on a page. A clipped box keeps its hidden lines in
    the PDF (pdftotext still reads them) but draws them where the next text is: an overlap is
    how cut text shows in the PDF."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()
    pairs = []
    for page in out.split("<page ")[1:]:
        words = [
            (float(x0), float(y0), float(x1), float(y1), word)
            for x0, y0, x1, y1, word in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                r"([^<]*)</word>",
                page,
            )
        ]
        for i, a in enumerate(words):
            for b in words[i + 1 :]:
                across = min(a[2], b[2]) - max(a[0], b[0])
                down = min(a[3], b[3]) - max(a[1], b[1])
                # Boxes of neighbouring lines touch (the font's ascent and descent are taller
                # than the line height): only a real share of a line counts.
                if across > 1 and down > 0.4 * min(a[3] - a[1], b[3] - b[1]):
                    pairs.append((a[4], b[4]))
    return pairs


@pytest.fixture
def vinhphu_desk(org):
    desk = org.units["VINHPHU"].desks.get()
    desk_edit_in_admin(org, desk, address=ADDRESS, opening_hours=HOURS, phone=PHONE)
    return desk


def test_the_procedure_page_says_where_when_and_whom_to_call(client, catalog, vinhphu_desk):
    html = client.get("/tthc/1.004194/").content.decode()
    (item,) = [
        li for li in re.findall(r'<li data-testid="desk">(.*?)</li>', html, re.S) if ADDRESS in li
    ]
    assert "Bộ phận một cửa Công an phường Vinh Phú" in item
    assert f"Giờ tiếp nhận: {HOURS}" in item
    assert f'<a href="tel:02383855113">{PHONE}</a>' in item


def test_new_opening_hours_reach_the_page_files_nginx_serves(
    catalog, org, vinhphu_desk, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.PUBLIC_PAGES_ROOT = tmp_path / "public"
    with django_capture_on_commit_callbacks(execute=True):
        desk_edit_in_admin(org, vinhphu_desk, opening_hours="Sáng thứ Bảy: 7:30–11:30")
    for language in ("vi", "en"):
        page = static_pages.page_file("1.004194", language).read_text(encoding="utf-8")
        assert "Sáng thứ Bảy: 7:30–11:30" in page


def test_the_desk_sheet_names_the_desk_and_wraps_a_long_title_whole(
    client, catalog, org, vinhphu_desk
):
    publish_new(org["danhmuc"], "1.009999", org.units["PC06"], make_content(name=LONG_NAME))
    response = client.get("/tthc/bo-phan/VINHPHU-MC/qr.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert LONG_NAME in text
    assert overlapping_words(response.content) == []  # and none of it hidden under other text
    assert f"Địa chỉ: {ADDRESS}" in text
    assert f"Giờ tiếp nhận: {HOURS}" in text and f"Điện thoại: {PHONE}" in text


def test_posters_and_desk_sheets_print_in_vietnamese_from_an_english_session(
    client, catalog, vinhphu_desk
):
    client.cookies["django_language"] = "en"
    poster = pdf_text(client.get("/tthc/2.001159/poster.pdf").content)
    assert "THỦ TỤC HÀNH CHÍNH" in poster and "Thời hạn giải quyết".upper() in poster.upper()
    assert "3 ngày làm việc" in poster
    assert "15.000 đồng tại quầy, 7.000 đồng trực tuyến" in poster
    for english in ("working days", "VND", "at the desk", "Processing time", "Fully online"):
        assert english not in poster, english

    sheet = pdf_text(client.get("/tthc/bo-phan/VINHPHU-MC/qr.pdf").content)
    assert "7 ngày làm việc" in sheet and "Giờ tiếp nhận" in sheet
    assert "working days" not in sheet and "Opening hours" not in sheet
