"""The index pages: leaders' ranking and scorecard with drill-down, the public statistics page."""

import pytest
from django.test import Client


@pytest.fixture
def as_user(org):
    def login(username):
        client = Client()
        client.force_login(org[username])
        return client

    return login


def test_the_inspector_sees_the_ranked_communes(two_months, as_user):
    page = as_user("thanhtra").get("/can-bo/chi-so/?ky=2026-10&loai=commune")
    assert page.status_code == 200
    html = page.content.decode()
    table = html[html.index('data-testid="ranking"') :]
    assert table.index("Công an phường Thành Vinh") < table.index("Công an phường Vinh Phú")
    assert "68,33" in table and "62,83" in table
    assert "1/2" in table and "2/2" in table


def test_the_scorecard_links_each_figure_to_its_dossiers(two_months, as_user):
    client = as_user("lanhdao.vinhphu")
    page = client.get("/can-bo/chi-so/don-vi/VINHPHU/?ky=2026-10").content.decode()
    assert "62,83/100" in page and "Trung bình" in page
    link = "/can-bo/chi-so/don-vi/VINHPHU/ho-so/?chi_tieu=dung_han&amp;ve=tu&amp;ky=2026-10"
    assert link in page
    listing = client.get(link.replace("&amp;", "&")).content.decode()
    for name in ("A1", "A2", "A4"):
        assert two_months[name].code in listing
    for name in ("A3", "A5"):
        assert two_months[name].code not in listing
    denominator = client.get(link.replace("&amp;", "&").replace("ve=tu", "ve=mau"))
    assert two_months["A5"].code in denominator.content.decode()


def test_another_wards_leader_is_turned_away(two_months, as_user):
    client = as_user("lanhdao.thanhvinh")
    assert client.get("/can-bo/chi-so/don-vi/VINHPHU/?ky=2026-10").status_code == 404
    drill = "/can-bo/chi-so/don-vi/VINHPHU/ho-so/?chi_tieu=dung_han&ky=2026-10"
    assert client.get(drill).status_code == 404


def test_the_public_page_shows_figures_and_no_dossier(two_months):
    page = Client().get("/chi-so/VINHPHU/?ky=2026-10")
    html = page.content.decode()
    assert page.status_code == 200
    assert "62,83/100" in html
    assert "Nguyễn Thị Lan" not in html
    assert all(d.code not in html for d in two_months.values())
    assert "/ho-so/" not in html


@pytest.mark.parametrize("query", ["?ky=2026-13", "?ky=x" * 50, "?ky=9999", "?loai=zzz&ky=abc"])
def test_odd_periods_get_a_message_not_an_error(org, as_user, query):
    page = as_user("thanhtra").get("/can-bo/chi-so/" + query)
    assert page.status_code in (200, 422)
    public = Client().get("/chi-so/CANA/" + query)
    assert public.status_code in (200, 422)
    assert "không hợp lệ" in public.content.decode() or public.status_code == 200


def test_drill_down_of_an_unknown_indicator_is_not_found(org, as_user):
    client = as_user("thanhtra")
    assert client.get("/can-bo/chi-so/don-vi/CANA/ho-so/?chi_tieu=khong").status_code == 404
    assert Client().get("/chi-so/KHONGCO/").status_code == 404
