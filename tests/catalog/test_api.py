"""GET /api/v1/procedures...: public procedures without a login, internal ones for staff."""

from motcua.api.services import token_create
from tests.catalog.factories import republish


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(item["code"] for item in response.json()["items"])


def test_it_lists_and_searches_procedures_without_diacritics(catalog, client):
    assert codes(client.get("/api/v1/procedures")) == ["1.004194", "2.001159", "2.002286"]
    found = client.get("/api/v1/procedures", {"q": "dang ky thuong tru"}).json()
    assert found["count"] == 1
    assert found["items"][0]["name"] == "Đăng ký thường trú"
    assert found["items"][0]["url"] == "http://127.0.0.1:8000/tthc/1.004194/"


def test_it_filters_by_domain_unit_and_online_level(catalog, client):
    assert codes(client.get("/api/v1/procedures", {"domain": "XNC"})) == ["2.002286"]
    assert codes(client.get("/api/v1/procedures", {"unit": "THANHVINH"})) == [
        "1.004194",
        "2.001159",
    ]
    assert codes(client.get("/api/v1/procedures", {"online": "partial"})) == ["2.002286"]


def test_it_pages_the_list(catalog, client):
    page = client.get("/api/v1/procedures", {"limit": 2, "offset": 2}).json()
    assert page["count"] == 3 and len(page["items"]) == 1
    assert client.get("/api/v1/procedures", {"limit": 1000}).status_code == 422


def test_it_returns_the_current_version_with_every_component(catalog, client, org):
    republish(org["danhmuc"], catalog.residence, time_value=180, time_unit="minutes")
    body = client.get("/api/v1/procedures/1.004194").json()
    assert body["version"] == 2
    assert body["processing_time"] == {"value": 180, "unit": "minutes", "note": ""}
    assert body["fees"] == [
        {"name": "Lệ phí đăng ký thường trú", "desk": 20000, "online": 10000, "exemption": ""}
    ]
    assert body["documents"][0]["mandatory"] is True
    assert body["legal_basis"][0]["effective"] == "2021-07-01"
    in_tree_order = sorted(["THANHVINH", "VINHPHU"], key=lambda code: org.units[code].path)
    assert [u["code"] for u in body["handling_units"]] == in_tree_order
    assert body["channels"] == ["desk", "post", "online"]
    assert body["poster_pdf"].endswith("/tthc/1.004194/poster.pdf")


def test_it_lists_versions_newest_first(catalog, client, org):
    republish(org["danhmuc"], catalog.residence, time_value=5, note="Rút ngắn thời hạn.")
    versions = client.get("/api/v1/procedures/1.004194/versions").json()
    assert [(v["number"], v["is_current"]) for v in versions] == [(2, True), (1, False)]
    assert versions[0]["change_note"] == "Rút ngắn thời hạn."
    assert versions[1]["superseded_at"] is not None
    old = client.get("/api/v1/procedures/1.004194/versions/1").json()
    assert old["processing_time"]["value"] == 7
    assert old["url"].endswith("/tthc/1.004194/v/1/")


def test_it_hides_internal_procedures_from_anonymous_callers(catalog, client):
    assert "2.090001" not in codes(client.get("/api/v1/procedures"))
    for path in ("", "/versions", "/versions/1"):
        response = client.get(f"/api/v1/procedures/2.090001{path}")
        assert response.status_code == 404
        assert response.json() == {"code": "not_found", "message": "Không tìm thấy."}


def test_it_shows_internal_procedures_to_staff_by_session_or_token(catalog, client, org):
    _token, raw = token_create(actor=org["quantri"], user=org["xuly.vinhphu"])
    with_token = client.get("/api/v1/procedures/2.090001", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert with_token.status_code == 200
    assert with_token.json()["audience"] == "internal_personnel"
    assert "2.090001" in codes(client.get("/api/v1/procedures", HTTP_AUTHORIZATION=f"Bearer {raw}"))

    client.force_login(org["tiepnhan.thanhvinh"])
    assert client.get("/api/v1/procedures/2.090001/versions").status_code == 200


def test_it_ignores_a_bad_token_and_answers_as_for_a_citizen(catalog, client):
    response = client.get("/api/v1/procedures", HTTP_AUTHORIZATION="Bearer mc_sai")
    assert "2.090001" not in codes(response)


def test_it_documents_the_catalogue_endpoints_in_openapi(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/procedures",
        "/api/v1/procedures/{code}",
        "/api/v1/procedures/{code}/versions",
    } <= set(paths)
    assert "security" not in paths["/api/v1/procedures"]["get"]  # open to citizens
