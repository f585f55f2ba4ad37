"""What a citizen without an account sees at /tthc/: search with or without diacritics, filters,
a procedure's current version, old versions clearly marked, what changed; internal procedures for
staff only."""

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.catalog import pagecache
from tests.catalog.factories import republish


def names(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize(
    "query", ["Đăng ký thường trú", "dang ky thuong tru", "DANG KY THUONG TRU", "thường trú"]
)
def test_it_finds_a_procedure_with_or_without_diacritics(catalog, client, query):
    html = names(client.get("/tthc/", {"q": query}))
    assert "Đăng ký thường trú" in html
    assert "Đăng ký tạm trú" not in html
    assert "Cấp hộ chiếu" not in html


def test_it_folds_the_letter_d_with_stroke_which_unicode_does_not_decompose(catalog, client):
    # "đ" has no NFD decomposition: "dang" only finds "Đăng" because đ is mapped by hand.
    html = names(client.get("/tthc/", {"q": "dang"}))
    assert "Đăng ký thường trú" in html and "Đăng ký tạm trú" in html


def test_it_finds_a_procedure_by_its_code(catalog, client):
    assert "Cấp hộ chiếu phổ thông" in names(client.get("/tthc/", {"q": "2.002286"}))


def test_it_filters_by_domain_unit_and_online_level(catalog, client):
    by_domain = names(client.get("/tthc/", {"linh-vuc": "XNC"}))
    assert "Cấp hộ chiếu" in by_domain and "Đăng ký thường trú" not in by_domain

    by_unit = names(client.get("/tthc/", {"don-vi": "VINHPHU"}))
    assert "Đăng ký thường trú" in by_unit and "Cấp hộ chiếu" not in by_unit

    partial = names(client.get("/tthc/", {"truc-tuyen": "partial"}))
    assert "Cấp hộ chiếu" in partial and "Đăng ký tạm trú" not in partial


def test_it_hides_internal_procedures_from_citizens(catalog, client):
    assert "Xác nhận quá trình công tác" not in names(client.get("/tthc/"))
    assert "Xác nhận quá trình công tác" not in names(client.get("/tthc/", {"q": "cong tac"}))
    for path in ("", "v/1/", "lich-su/", "qr.svg", "qr.png", "poster.pdf"):
        assert client.get(f"/tthc/2.090001/{path}").status_code == 404, path


def test_it_offers_staff_a_login_when_an_internal_procedure_is_scanned(catalog, client):
    response = client.get("/tthc/2.090001/")
    assert response.status_code == 404
    assert "/dang-nhap/?next=/tthc/2.090001/" in names(response)


def test_it_shows_internal_procedures_to_logged_in_staff(catalog, client, org):
    client.force_login(org["tiepnhan.vinhphu"])
    assert "Xác nhận quá trình công tác" in names(client.get("/tthc/"))
    page = names(client.get("/tthc/2.090001/"))
    assert "Xác nhận quá trình công tác cho cán bộ, chiến sĩ" in page
    assert "Thủ tục nội bộ" in page


def test_it_shows_the_current_version_with_its_date_and_history_link(catalog, client):
    html = names(client.get("/tthc/1.004194/"))
    published = catalog.residence.current_version.published_at
    assert '<html lang="vi">' in html
    assert f"Cập nhật {timezone.localtime(published):%d/%m/%Y}" in html
    assert "Hiệu lực từ 01/07/2025" in html
    assert 'href="/tthc/1.004194/lich-su/"' in html
    assert "20.000 đồng" in html and "10.000 đồng" in html
    assert "7 ngày làm việc" in html
    assert "Tờ khai thay đổi thông tin cư trú (CT01)" in html
    assert "68/2020/QH14" in html
    assert "không còn hiệu lực" not in html


def test_it_marks_an_old_version_as_no_longer_in_force(catalog, client, org):
    republish(
        org["danhmuc"],
        catalog.residence,
        time_value=180,
        time_unit="minutes",
        note="Rút ngắn thời hạn giải quyết xuống 180 phút.",
    )
    old = names(client.get("/tthc/1.004194/v/1/"))
    assert "Phiên bản số 1 — không còn hiệu lực." in old
    assert "7 ngày làm việc" in old
    assert '<meta name="robots" content="noindex">' in old
    current = names(client.get("/tthc/1.004194/"))
    assert "180 phút" in current
    assert "Rút ngắn thời hạn giải quyết xuống 180 phút." in current
    assert client.get("/tthc/1.004194/v/3/").status_code == 404


def test_it_lists_versions_and_shows_what_changed_side_by_side(catalog, client, org):
    republish(org["danhmuc"], catalog.residence, time_value=5)
    history = names(client.get("/tthc/1.004194/lich-su/"))
    assert "Phiên bản 1" in history and "Phiên bản 2" in history

    compare = client.get("/tthc/1.004194/so-sanh/", {"tu": 1, "den": 2})
    rows = {row["key"]: row for row in compare.context["rows"]}
    assert rows["time"]["changed"]
    assert rows["time"]["left"] == ["7 ngày làm việc"] and rows["time"]["right"] == [
        "5 ngày làm việc"
    ]
    assert not rows["name"]["changed"] and not rows["fees"]["changed"]
    assert "1 thành phần thay đổi" in names(compare)


def test_it_accepts_a_code_typed_in_lower_case(catalog, client, org):
    from tests.catalog.factories import make_content, publish_new

    publish_new(
        org["danhmuc"],
        "1.004194.H40",
        org.units["PC06"],
        make_content(name="Đăng ký thường trú (bản địa phương)"),
    )
    assert "bản địa phương" in names(client.get("/tthc/1.004194.h40/"))


def test_it_serves_qr_codes_of_the_permanent_address(catalog, client, settings):
    from io import BytesIO

    import zxingcpp
    from PIL import Image

    settings.PUBLIC_BASE_URL = "https://motcua.congan.nghean.gov.vn"
    png = client.get("/tthc/1.004194/qr.png")
    assert png["Content-Type"] == "image/png"
    decoded = zxingcpp.read_barcodes(Image.open(BytesIO(png.content)))
    assert [c.text for c in decoded] == ["https://motcua.congan.nghean.gov.vn/tthc/1.004194/"]
    svg = client.get("/tthc/1.004194/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<svg")


def test_it_serves_a_desk_sheet_of_the_procedures_the_desk_receives(catalog, client):
    response = client.get("/tthc/bo-phan/VINHPHU-MC/qr.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    from motcua.catalog.selectors import procedures_for_desk
    from motcua.org.models import Desk

    vinhphu = [p.code for p in procedures_for_desk(Desk.objects.get(code="VINHPHU-MC"), None)]
    provincial = [p.code for p in procedures_for_desk(Desk.objects.get(code="CANA-MC"), None)]
    assert sorted(vinhphu) == ["1.004194", "2.001159"]
    assert provincial == ["2.002286"]


def test_it_answers_publishing_at_once_although_the_page_was_cached(catalog, client, org):
    """The cache key holds the current version id, read from the database on each request: a
    publish from any process (here: nothing clears this process's cache) shows at once."""
    assert "7 ngày làm việc" in names(client.get("/tthc/1.004194/"))
    cached = len(pagecache.pages._data)
    assert cached == 1

    republish(org["danhmuc"], catalog.residence, time_value=3)

    assert len(pagecache.pages._data) == cached  # nothing was invalidated by hand
    html = names(client.get("/tthc/1.004194/"))
    assert "3 ngày làm việc" in html and "7 ngày làm việc" not in html


def test_it_switches_the_public_pages_to_english_without_a_form(catalog, client):
    response = client.get(
        reverse("catalog:set-language"), {"lang": "en", "next": "/tthc/1.004194/"}
    )
    assert response.status_code == 302 and response["Location"] == "/tthc/1.004194/"
    assert '<html lang="en">' in names(client.get("/tthc/1.004194/"))
    evil = client.get(
        reverse("catalog:set-language"), {"lang": "vi", "next": "https://evil.example/"}
    )
    assert evil["Location"] == "/tthc/"
