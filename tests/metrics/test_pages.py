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
    assert "69,08" in table and "63,33" in table
    assert "1/2" in table and "2/2" in table


def test_the_ranking_is_paged_and_ranks_run_on(two_months, as_user, monkeypatch):
    from motcua.metrics import views

    monkeypatch.setattr(views, "OVERVIEW_PAGE", 1)
    client = as_user("thanhtra")
    first = client.get("/can-bo/chi-so/?ky=2026-10&loai=commune").content.decode()
    table = first[first.index('data-testid="ranking"') :]
    assert "Công an phường Thành Vinh" in table and "Công an phường Vinh Phú" not in table
    assert "Trang 1/2" in table and "ky=2026-10&amp;loai=commune&amp;trang=2" in table
    second = client.get("/can-bo/chi-so/?ky=2026-10&loai=commune&trang=2").content.decode()
    table = second[second.index('data-testid="ranking"') :]
    assert "Công an phường Vinh Phú" in table and "2/2" in table and "63,33" in table
    # A page number that is not one shows a page, never an error.
    for bad in ("abc", "99999999999999999999", "-1"):
        assert client.get(f"/can-bo/chi-so/?ky=2026-10&loai=commune&trang={bad}").status_code == 200


def test_the_scorecard_links_each_figure_to_its_dossiers(two_months, as_user):
    client = as_user("lanhdao.vinhphu")
    page = client.get("/can-bo/chi-so/don-vi/VINHPHU/?ky=2026-10").content.decode()
    assert "63,33/100" in page and "Trung bình" in page
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
    assert "63,33/100" in html
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


def test_the_ranking_and_the_scorecard_download_as_excel(two_months, as_user):
    import io

    from openpyxl import load_workbook

    client = as_user("thanhtra")
    ranking = client.get("/can-bo/chi-so/?ky=2026-10&loai=commune&xuat=xlsx")
    assert ranking["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(ranking.content)).active
    rows = [[c.value for c in r][:6] for r in sheet.iter_rows(min_row=5)]
    assert rows == [
        [1, 2, "THANHVINH", "Công an phường Thành Vinh", 69.08, "Trung bình"],
        [2, 2, "VINHPHU", "Công an phường Vinh Phú", 63.33, "Trung bình"],
    ]
    card = client.get("/can-bo/chi-so/don-vi/VINHPHU/?ky=2026-10&xuat=xlsx")
    sheet = load_workbook(io.BytesIO(card.content)).active
    assert sheet["B3"].value == 63.33
    on_time = next(r for r in sheet.iter_rows(min_row=6, values_only=True) if r[1] == "dung_han")
    assert on_time[3:9] == (3, 5, 60.0, 100, 12.0, 20)


def test_a_past_day_shows_what_the_page_showed_then(two_months, as_user):
    # End of Mon 05/10: A1 on time and A2 early, 2 of 2; A1 desk, A2 online.
    page = as_user("lanhdao.vinhphu").get(
        "/can-bo/chi-so/don-vi/VINHPHU/?ky=2026-10&ngay=05/10/2026"
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "số liệu như tại cuối ngày 05/10/2026" in html
    assert "20,00/20" in html
    bad = as_user("lanhdao.vinhphu").get(
        "/can-bo/chi-so/don-vi/VINHPHU/?ky=2026-10&ngay=32/13/2026"
    )
    assert bad.status_code == 422
    assert "không hợp lệ" in bad.content.decode()


def test_without_a_definition_the_pages_say_no_score_and_never_fail(org, as_user):
    from motcua.metrics.models import IndexDefinition

    IndexDefinition.objects.all().delete()  # as a flushed or half-restored database leaves it
    client = as_user("lanhdao.vinhphu")
    for url in (
        "/can-bo/chi-so/?ky=2026-10",
        "/can-bo/chi-so/don-vi/VINHPHU/?ky=2026-10",
        "/can-bo/chi-so/don-vi/VINHPHU/?ky=2026-10&xuat=pdf",
        "/api/v1/index/units/VINHPHU?period=2026-10",
    ):
        assert client.get(url).status_code < 500, url
