"""Leaders' report: three ratings in two units, worked out by hand.

dossier        unit        1  2  3  4  5  6  7  8  9   total
A              Vinh Phú    2  2  2  2  2  2  2  2  2   18
B              Vinh Phú    1  1  2  0  2  1  2  2  2   13
C              Thành Vinh  0  2  1  1  2  0  1  2  1   10

Vinh Phú:   2 ratings, 31 points, average 31/2 = 15,50 -> Xuất sắc (>= 15)
            per index 3 3 4 2 4 3 4 4 4
Thành Vinh: 1 rating, 10 points, average 10,00 -> Khá (9 to < 12)
Province (Công an tỉnh, whole subtree): 3 ratings, 41 points, 41/3 = 13,666.. -> 13,67 -> Tốt
            per index 3 5 5 3 6 3 5 6 5
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from motcua.ratings import selectors
from motcua.ratings.services import rating_submit
from tests.ratings.conftest import answers

B = answers(thoi_gian=1, so_lan_lien_he=1, cong_khai=0, thai_do=1)
C = answers(thoi_gian=0, so_noi_lien_he=1, cong_khai=1, thai_do=0, nhung_nhieu=1, phi_le_phi=1)
NOVEMBER = {"ky": "thang", "thang": "11", "nam": "2026"}


@pytest.fixture
def three(ready, make_ready):
    b, c = make_ready("vinhphu"), make_ready("thanhvinh")
    rating_submit(dossier=ready, scores=answers(), channel="online")
    rating_submit(dossier=b, scores=B, channel="online")
    rating_submit(dossier=c, scores=C, channel="online")
    return {"A": ready, "B": b, "C": c}


def test_the_totals_averages_and_bands_are_the_hand_worked_ones(org, three):
    rows, whole = selectors.unit_totals(
        org["thanhtra"], unit=org.units["CANA"], first=date(2026, 11, 1), last=date(2026, 11, 30)
    )
    by_unit = {row.unit.code: row for row in rows}
    assert set(by_unit) == {"VINHPHU", "THANHVINH"}
    vinhphu, thanhvinh = by_unit["VINHPHU"], by_unit["THANHVINH"]
    assert (vinhphu.count, vinhphu.total, vinhphu.average) == (2, 31, Decimal("15.50"))
    assert vinhphu.band[1] == "Xuất sắc"
    assert list(vinhphu.per_index.values()) == [3, 3, 4, 2, 4, 3, 4, 4, 4]
    assert (thanhvinh.count, thanhvinh.total, thanhvinh.average) == (1, 10, Decimal("10.00"))
    assert thanhvinh.band[1] == "Khá"
    assert (whole.count, whole.total, whole.average) == (3, 41, Decimal("13.67"))
    assert whole.band[1] == "Tốt"
    assert list(whole.per_index.values()) == [3, 5, 5, 3, 6, 3, 5, 6, 5]


def test_the_page_shows_the_figures_in_vietnamese(client, org, three):
    client.force_login(org["thanhtra"])
    response = client.get("/can-bo/danh-gia/", {"don_vi": "CANA", **NOVEMBER})
    html = response.content.decode()
    assert response.status_code == 200
    assert "từ 01/11/2026 đến 30/11/2026" in html
    for figure in ("15,50", "Xuất sắc", "10,00", "Khá", "13,67", "Tốt"):
        assert figure in html
    whole = html.split('data-testid="report-whole"')[1]
    assert 'data-figure="count">3<' in whole and 'data-figure="total">41<' in whole


def test_every_figure_leads_to_its_dossiers(client, org, three):
    client.force_login(org["thanhtra"])
    url = "/can-bo/danh-gia/ho-so/"
    # The province's index 1 (time): 2 + 1 + 0 = 3 points over three dossiers.
    html = client.get(url, {"don_vi": "CANA", "chi_so": "thoi_gian", **NOVEMBER}).content.decode()
    assert all(three[k].code in html for k in "ABC")
    assert 'data-testid="drill-sum">3<' in html
    # Vinh Phú's own count: A and B, not C.
    html = client.get(url, {"don_vi": "VINHPHU", "rieng": "1", **NOVEMBER}).content.decode()
    assert three["A"].code in html and three["B"].code in html and three["C"].code not in html
    # Who gave 0 points on index 4 (published information): B only.
    html = client.get(
        url, {"don_vi": "CANA", "chi_so": "cong_khai", "diem": "0", **NOVEMBER}
    ).content.decode()
    assert three["B"].code in html and three["A"].code not in html and three["C"].code not in html


def test_the_report_page_links_every_figure(client, org, three):
    client.force_login(org["thanhtra"])
    html = client.get("/can-bo/danh-gia/", {"don_vi": "CANA", **NOVEMBER}).content.decode()
    assert html.count("/can-bo/danh-gia/ho-so/?") == 3 * 11  # three rows, 11 linked figures


def test_a_sibling_units_leader_cannot_see_its_ratings(client, org, three):
    leader = org["lanhdao.thanhvinh"]
    rows, whole = selectors.unit_totals(
        leader, unit=org.units["CANA"], first=date(2026, 11, 1), last=date(2026, 11, 30)
    )
    assert [r.unit.code for r in rows] == ["THANHVINH"] and whole.count == 1
    assert list(selectors.ratings_for(leader)) == [three["C"].rating]

    client.force_login(leader)
    html = client.get("/can-bo/danh-gia/", {"don_vi": "VINHPHU", **NOVEMBER}).content.decode()
    assert "Không có đơn vị này trong phạm vi của bạn" in html
    assert "15,50" not in html and "Công an phường Vinh Phú" not in html
    drill = client.get(
        "/can-bo/danh-gia/ho-so/", {"don_vi": "VINHPHU", "rieng": "1", **NOVEMBER}
    ).content.decode()
    assert three["A"].code not in drill and three["B"].code not in drill
    # Nor the rating on the dossier page.
    assert client.get(f"/can-bo/ho-so/{three['A'].code}/").status_code == 404


def test_periods_month_quarter_year_and_range(client, org, ready, make_ready, friday_16h):
    rating_submit(dossier=ready, scores=answers(), channel="online")  # 27/11/2026
    later = make_ready("vinhphu")
    friday_16h.shift(timedelta(days=5))  # 02/12/2026
    rating_submit(dossier=later, scores=B, channel="online")
    leader = org["lanhdao.vinhphu"]

    def count(**period):
        client.force_login(leader)
        html = client.get("/can-bo/danh-gia/", period).content.decode()
        if 'data-testid="report-whole"' not in html:
            return 0
        whole = html.split('data-testid="report-whole"')[1]
        return int(whole.split('data-figure="count">')[1].split("<")[0])

    assert count(ky="thang", thang="11", nam="2026") == 1
    assert count(ky="thang", thang="12", nam="2026") == 1
    assert count(ky="quy", quy="4", nam="2026") == 2
    assert count(ky="nam", nam="2026") == 2
    assert count(ky="nam", nam="2025") == 0
    assert count(ky="khoang", tu="27/11/2026", den="01/12/2026") == 1
    assert count(ky="khoang", tu="28/11/2026", den="02/12/2026") == 1


@pytest.mark.parametrize(
    "params",
    [
        {"ky": "khoang", "tu": "31/02/2026", "den": "x"},
        {"ky": "khoang", "tu": "02/12/2026", "den": "01/12/2026"},
        {"ky": "khoang", "tu": "01/01/0001", "den": "31/12/9999"},
        {"ky": "thang", "thang": "13", "nam": "99999999999999999999"},
        {"ky": "quy", "quy": "0"},
        {"ky": "<script>", "don_vi": "<script>"},
        {"don_vi": "\x00", "nam": "-1"},
    ],
)
def test_odd_parameters_get_a_page_not_an_error(client, org, three, params):
    client.force_login(org["lanhdao.vinhphu"])
    for url in ("/can-bo/danh-gia/", "/can-bo/danh-gia/ho-so/"):
        response = client.get(url, params)
        assert response.status_code in (200, 400)
        assert "<script>" not in response.content.decode()


def test_citizens_and_anonymous_visitors_have_no_report(client, org, three):
    assert client.get("/can-bo/danh-gia/").status_code == 302  # to the login page
    from motcua.portal.citizens import citizen_upsert

    client.force_login(citizen_upsert(id_number="040190012345", full_name="Nguyễn Thị Lan"))
    assert client.get("/can-bo/danh-gia/").status_code == 403
