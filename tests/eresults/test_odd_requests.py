"""Whatever is typed or sent to the verification pages, nobody gets a server error."""

import pytest

from tests.eresults.conftest import upload

ODD = ["", "?page=-1&q=<script>", "?tep=../../etc/passwd", "?" + "a" * 3000]


@pytest.mark.parametrize("query", ODD)
def test_odd_queries_on_the_upload_page(client, db, query):
    response = client.get("/xac-minh/" + query)
    assert response.status_code == 200
    assert "Xác minh kết quả điện tử" in response.content.decode()


def test_a_nul_byte_is_refused_by_the_projects_middleware(client, db):
    assert client.get("/xac-minh/?x=%00").status_code == 400


@pytest.mark.parametrize(
    "public_id", ["x", "A" * 200, "%E1%BA%A0", "..", "'; DROP TABLE x; --", "<b>", "%20"]
)
def test_odd_addresses_are_simply_not_found(client, db, public_id):
    assert client.get(f"/xac-minh/{public_id}/").status_code == 404


def test_odd_posts(client, issued):
    url = f"/xac-minh/{issued.public_id}/"
    assert client.post(url, {"tep": "not a file"}, REMOTE_ADDR="192.0.2.50").status_code == 400
    assert client.put(url).status_code == 405
    response = client.post(url, "x" * 100, content_type="text/plain", REMOTE_ADDR="192.0.2.51")
    assert response.status_code == 400


@pytest.mark.parametrize("keep", [0.02, 0.25, 0.5, 0.75, 0.98, 0.999])
def test_a_truncated_result_is_an_error_or_not_genuine_never_a_crash(issued, client, keep):
    from tests.eresults.conftest import signed_bytes  # noqa: PLC0415

    pdf = signed_bytes(issued)
    response = client.post(
        "/xac-minh/",
        {"tep": upload("cut.pdf", pdf[: int(len(pdf) * keep)])},
        REMOTE_ADDR="192.0.2.60",
    )
    html = response.content.decode()
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert "Văn bản không hợp lệ" in html
    else:
        assert "Tệp không phải là tệp PDF hoặc đã bị hỏng." in html
