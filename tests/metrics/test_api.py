"""/api/v1/index/...: the unit tree, the ranking and the drill-down, scoped to the caller."""

import pytest
from django.test import Client


@pytest.fixture
def as_user(org):
    def login(username):
        client = Client()
        client.force_login(org[username])
        return client

    return login


def test_a_unit_tree_with_scores_and_ranks(two_months, as_user):
    response = as_user("lanhdao.vinhphu").get("/api/v1/index/units/VINHPHU?period=2026-10")
    assert response.status_code == 200
    data = response.json()
    assert (data["score"], data["band"], data["definition_version"]) == (63.33, "Trung bình", 1)
    assert data["rank_kind"] == {"rank": 2, "of": 2}
    indicators = {i["code"]: i for g in data["groups"] for i in g["indicators"]}
    assert indicators["hs_truc_tuyen"]["rate_pct"] == 40.0
    assert indicators["hs_truc_tuyen"]["points"] == 4.8
    assert indicators["dong_bo_dvcqg"]["state"] == "no_data"


def test_the_same_by_dates(two_months, as_user):
    response = as_user("thanhtra").get(
        "/api/v1/index/units/THANHVINH?from=01/10/2026&to=31/10/2026"
    )
    assert response.json()["score"] == 69.08


def test_the_ranking_of_the_province(two_months, as_user):
    response = as_user("thanhtra").get("/api/v1/index/ranking?period=2026-10&kind=commune")
    rows = response.json()
    assert [(r["unit"]["code"], r["score"], r["rank_kind"]["rank"]) for r in rows] == [
        ("THANHVINH", 69.08, 1),
        ("VINHPHU", 63.33, 2),
    ]
    assert rows[0]["groups"]["tien_do"] == 13.33


def test_the_drill_down(two_months, as_user):
    response = as_user("lanhdao.vinhphu").get(
        "/api/v1/index/units/VINHPHU/dossiers?indicator=dung_han&side=numerator&period=2026-10"
    )
    codes = {row["code"] for row in response.json()}
    assert codes == {two_months[n].code for n in ("A1", "A2", "A4")}


def test_another_wards_leader_sees_neither_figures_nor_dossiers(two_months, as_user):
    client = as_user("lanhdao.thanhvinh")
    assert client.get("/api/v1/index/units/VINHPHU?period=2026-10").status_code == 404
    drill = "/api/v1/index/units/VINHPHU/dossiers?indicator=dung_han&period=2026-10"
    assert client.get(drill).status_code == 404
    ranking = client.get("/api/v1/index/ranking?period=2026-10").json()
    assert [r["unit"]["code"] for r in ranking] == ["THANHVINH"]


@pytest.mark.parametrize(
    "query",
    ["period=2026-13", "from=31/02/2026&to=01/03/2026", "from=01/03/2026", "period=9999"],
)
def test_bad_periods_get_a_vietnamese_422(org, as_user, query):
    response = as_user("thanhtra").get(f"/api/v1/index/units/CANA?{query}")
    assert response.status_code == 422
    assert "hợp lệ" in response.json()["message"]
