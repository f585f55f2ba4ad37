"""Anyone holding Nguyễn Thị Lan's result can check it: the QR opens the verification page, and an
uploaded copy is "hợp lệ" only if it is byte for byte the file Công an phường Vinh Phú signed."""

import pytest
from django.test import Client

from motcua.documents.signing import load_pkcs12_signer
from motcua.eresults.models import ElectronicResult
from motcua.eresults.services import render_result, sign_result
from tests.eresults.conftest import flip_one_byte, signed_bytes, upload

GENUINE = "Văn bản hợp lệ"
NOT_GENUINE = "Văn bản không hợp lệ (đã bị sửa đổi hoặc không do cơ quan có thẩm quyền cấp)"


def post(client, url, name, data, ip="198.51.100.7"):
    return client.post(url, {"tep": upload(name, data)}, REMOTE_ADDR=ip)


def test_the_qr_address_shows_issuer_code_time_and_hash_and_nothing_personal(issued, client):
    response = client.get(f"/xac-minh/{issued.public_id}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Văn bản hợp lệ: kết quả điện tử này do cơ quan dưới đây cấp và ký số." in html
    assert 'data-testid="issuer">Công an phường Vinh Phú<' in html
    assert f'data-testid="code">{issued.dossier.code}<' in html
    assert 'data-testid="issued-at">27/11/2026 16:00<' in html
    assert issued.sha256 in html
    for personal in ("Nguyễn Thị Lan", "Lan", "040190012345", "0912345678", "Xóm 5"):
        assert personal not in html


def test_the_qr_address_is_one_query_and_the_stored_file_is_checked_once(
    issued, client, django_assert_num_queries, monkeypatch
):
    """The address is printed on every result and public: a visit reads one row (no field of
    it loaded later, no session or cache write) and the stored file's signature is validated
    once per process, not at every visit."""
    from motcua.documents import signing
    from motcua.eresults import selectors, verification

    verification._stored_checks.clear()
    selectors._shown.clear()
    checks = []
    real_check = signing.check_signature
    monkeypatch.setattr(
        signing, "check_signature", lambda *a, **k: checks.append(1) or real_check(*a, **k)
    )
    for visit in range(3):
        # The first visit reads the row; the next ones within a minute reuse it.
        with django_assert_num_queries(1 if visit == 0 else 0):
            response = client.get(f"/xac-minh/{issued.public_id}/")
        html = response.content.decode()
        assert 'data-testid="issuer">Công an phường Vinh Phú<' in html
        assert f'data-testid="code">{issued.dossier.code}<' in html
        assert issued.sha256 in html
        assert "Văn bản hợp lệ: kết quả điện tử này do cơ quan dưới đây cấp và ký số." in html
    assert len(checks) == 1


def test_a_renamed_unit_shows_once_the_kept_row_expires(issued, client, monkeypatch):
    from motcua.eresults import selectors

    selectors._shown.clear()
    url = f"/xac-minh/{issued.public_id}/"
    assert "Công an phường Vinh Phú" in client.get(url).content.decode()
    unit = issued.unit
    unit.name = "Công an phường Vinh Phú mới"
    unit.save()
    assert 'data-testid="issuer">Công an phường Vinh Phú<' in client.get(url).content.decode()
    monkeypatch.setattr(selectors, "PAGE_CACHE_SECONDS", 0)
    assert "Công an phường Vinh Phú mới" in client.get(url).content.decode()


def test_an_unknown_address_is_not_found(issued, client):
    assert client.get("/xac-minh/khong-co-ma-nay/").status_code == 404
    assert client.get(f"/xac-minh/{issued.dossier.code}/").status_code == 404


def test_the_issued_file_is_genuine(issued, client):
    response = post(client, "/xac-minh/", "ket-qua.pdf", signed_bytes(issued))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-testid="verdict">{GENUINE}<' in html
    assert issued.dossier.code in html and issued.sha256 in html


def test_the_issued_file_is_genuine_on_its_own_page_too(issued, client):
    response = post(client, f"/xac-minh/{issued.public_id}/", "kq.pdf", signed_bytes(issued))
    assert f'data-testid="verdict">{GENUINE}<' in response.content.decode()


@pytest.mark.parametrize("where", [0.1, 0.33, 0.5, 0.9])
def test_one_changed_byte_makes_it_not_genuine(issued, client, where):
    pdf = signed_bytes(issued)
    changed = flip_one_byte(pdf, int(len(pdf) * where))
    response = post(client, "/xac-minh/", "ket-qua.pdf", changed)
    html = response.content.decode()
    assert NOT_GENUINE in html
    assert GENUINE + "<" not in html


def test_a_result_signed_by_our_key_but_never_issued_is_not_genuine(issued, client, settings):
    """A document the unit's key signed outside motcua (or re-signed after an edit) passes the
    signature check but was not issued: the hash check catches it."""
    from motcua.dossiers.models import Dossier

    d = Dossier.objects.get(pk=issued.dossier_id)
    d.result_summary = "Đã đăng ký thường trú"  # a forged result text
    signer = load_pkcs12_signer(
        settings.ERESULT_PKCS12_DIR / "VINHPHU.p12", settings.ERESULT_PKCS12_PASSPHRASE
    )
    forged = sign_result(
        render_result(d, public_id=issued.public_id, issued_at=issued.issued_at),
        signer=signer,
        unit=d.handling_unit,
        issued_at=issued.issued_at,
    )
    html = post(client, "/xac-minh/", "gia-mao.pdf", forged).content.decode()
    assert NOT_GENUINE in html
    assert "Chữ ký hợp lệ nhưng văn bản không do hệ thống này cấp" in html


def test_an_unsigned_copy_is_not_genuine(issued, client):
    from motcua.dossiers.models import Dossier

    d = Dossier.objects.get(pk=issued.dossier_id)
    unsigned = render_result(d, public_id=issued.public_id, issued_at=issued.issued_at)
    html = post(client, "/xac-minh/", "ban-in.pdf", unsigned).content.decode()
    assert NOT_GENUINE in html and "Không có chữ ký số" in html


def test_bytes_added_after_the_signature_make_it_not_genuine(issued, client):
    appended = signed_bytes(issued) + b"\n% a comment added later\n"
    html = post(client, "/xac-minh/", "kq.pdf", appended).content.decode()
    assert NOT_GENUINE in html


def test_another_results_file_is_not_genuine_on_this_results_page(
    issued, client, org, tam_tru, desk_vinhphu, citizen, leader, handler
):
    from motcua.dossiers.services import (
        dossier_approve,
        dossier_assign,
        dossier_receive,
        dossier_submit,
    )
    from tests.dossiers.stories import all_documents

    d = dossier_receive(
        actor=org["tiepnhan.vinhphu"],
        desk=desk_vinhphu,
        procedure_version=tam_tru,
        applicant=citizen,
        checklist=all_documents(),
    )
    d = dossier_assign(actor=leader, dossier=d, version=d.version, handler=handler)
    d = dossier_submit(actor=handler, dossier=d, version=d.version, result="Đã đăng ký")
    second = dossier_approve(actor=leader, dossier=d, version=d.version, e_result=True)
    second = second.electronic_result
    assert second.public_id != issued.public_id

    first_pdf = signed_bytes(issued)
    html = post(client, f"/xac-minh/{second.public_id}/", "kq.pdf", first_pdf).content.decode()
    assert NOT_GENUINE in html
    # The same file on its own page, or on the general page, is genuine.
    html = post(client, f"/xac-minh/{issued.public_id}/", "kq.pdf", first_pdf).content.decode()
    assert f'data-testid="verdict">{GENUINE}<' in html


def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_is_stored(issued, client, settings):
    from pathlib import Path

    before = sorted(Path(settings.MEDIA_ROOT).rglob("*"))
    response = post(client, "/xac-minh/", "anh.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    assert response.status_code == 400
    assert "Tệp không phải là tệp PDF." in response.content.decode()
    response = post(client, "/xac-minh/", "hong.pdf", b"%PDF-1.7\n garbage, no objects")
    assert response.status_code == 400
    assert "Tệp không phải là tệp PDF hoặc đã bị hỏng." in response.content.decode()
    assert sorted(Path(settings.MEDIA_ROOT).rglob("*")) == before
    assert ElectronicResult.objects.count() == 1


def test_an_oversized_file_is_refused(issued, client, settings):
    settings.ERESULT_VERIFY_MAX_BYTES = 1024 * 1024
    response = post(client, "/xac-minh/", "to.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024))
    assert response.status_code == 400
    assert "Tệp quá lớn (tối đa 1 MB)." in response.content.decode()


def test_no_file_at_all_gets_a_message(client, db):
    response = client.post("/xac-minh/", {}, REMOTE_ADDR="198.51.100.8")
    assert response.status_code == 400
    assert "Vui lòng chọn tệp PDF cần kiểm tra." in response.content.decode()


def test_uploads_are_throttled_per_address(issued, client, settings):
    settings.ERESULT_VERIFY_LIMIT = 2
    pdf = signed_bytes(issued)
    ip = "203.0.113.99"
    assert post(client, "/xac-minh/", "a.pdf", pdf, ip=ip).status_code == 200
    assert post(client, "/xac-minh/", "a.pdf", pdf, ip=ip).status_code == 200
    third = post(client, "/xac-minh/", "a.pdf", pdf, ip=ip)
    assert third.status_code == 429
    assert "Bạn đã gửi quá nhiều tệp" in third.content.decode()
    # Someone else is not affected.
    assert post(client, "/xac-minh/", "a.pdf", pdf, ip="203.0.113.100").status_code == 200


def test_the_upload_needs_the_csrf_token(issued):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/xac-minh/", {"tep": upload("kq.pdf", signed_bytes(issued))})
    assert response.status_code == 403


def test_the_page_says_so_when_the_stored_file_no_longer_verifies(issued, client):
    path = issued.file.file.path
    with open(path, "r+b") as f:
        f.seek(1000)
        byte = f.read(1)
        f.seek(1000)
        f.write(bytes([byte[0] ^ 1]))
    html = client.get(f"/xac-minh/{issued.public_id}/").content.decode()
    assert "Không xác minh được chữ ký số của văn bản này." in html
    assert "Văn bản hợp lệ: kết quả điện tử này" not in html
