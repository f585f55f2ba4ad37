"""Nguyễn Thị Lan downloads her signed result from the tracking page with the secret on her
receipt; the staff of Vinh Phú open it from the dossier page."""

import hashlib

from tests.eresults.conftest import signed_bytes


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_tracking_page_offers_the_download_with_the_secret(issued, client):
    code = issued.dossier.code
    html = client.post(
        f"/tra-cuu/{code}/", {"ma_tra_cuu": issued.dossier.tracking_secret}
    ).content.decode()
    assert 'data-testid="download-eresult"' in html
    assert f"/xac-minh/{issued.public_id}/" in html
    # Without the secret: no download, no verification address (it would reveal the result).
    html = client.get(f"/tra-cuu/{code}/").content.decode()
    assert "download-eresult" not in html and issued.public_id not in html


def test_the_citizen_downloads_the_very_file_that_was_signed(issued, client):
    response = client.post(
        f"/tra-cuu/{issued.dossier.code}/ket-qua-dien-tu/",
        {"ma_tra_cuu": issued.dossier.tracking_secret},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    data = body(response)
    assert data == signed_bytes(issued)
    assert hashlib.sha256(data).hexdigest() == issued.sha256


def test_a_wrong_secret_downloads_nothing(issued, client):
    response = client.post(
        f"/tra-cuu/{issued.dossier.code}/ket-qua-dien-tu/",
        {"ma_tra_cuu": "ZZZZZZZZ"},
        REMOTE_ADDR="198.51.100.20",
    )
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert "Mã tra cứu không đúng." in response.content.decode()


def test_a_get_or_an_unknown_dossier_downloads_nothing(issued, client):
    assert client.get(f"/tra-cuu/{issued.dossier.code}/ket-qua-dien-tu/").status_code == 405
    response = client.post("/tra-cuu/KHONG-CO/ket-qua-dien-tu/", {"ma_tra_cuu": "X"})
    assert response.status_code == 404


def test_a_dossier_without_an_electronic_result_has_no_download(submitted, leader, client, pki):
    from motcua.dossiers.services import dossier_approve

    d = dossier_approve(actor=leader, dossier=submitted, version=submitted.version)
    response = client.post(f"/tra-cuu/{d.code}/ket-qua-dien-tu/", {"ma_tra_cuu": d.tracking_secret})
    assert response.status_code == 404
    html = client.post(f"/tra-cuu/{d.code}/", {"ma_tra_cuu": d.tracking_secret}).content.decode()
    assert "download-eresult" not in html


def test_staff_open_it_from_the_dossier_page(issued, client, org):
    client.force_login(org["tiepnhan.vinhphu"])
    html = client.get(f"/can-bo/ho-so/{issued.dossier.code}/").content.decode()
    assert 'data-testid="eresult"' in html
    assert f"/xac-minh/{issued.public_id}/" in html
    link = f"/can-bo/ho-so/{issued.dossier.code}/tep/{issued.file_id}/"
    assert link in html
    assert body(client.get(link)) == signed_bytes(issued)
