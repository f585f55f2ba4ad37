"""The leader of Công an phường Vinh Phú approves Nguyễn Thị Lan's temporary residence with an
electronic result: motcua renders the result, signs it with the unit's certificate, and keeps it
as a result file of the dossier with its SHA-256."""

import hashlib
import io
import re
import subprocess
from datetime import datetime

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from motcua.audit.models import AuditEntry
from motcua.documents.signing import load_trust_roots
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.models import Dossier, DossierFile, FileKind, Status
from motcua.dossiers.services import dossier_approve
from motcua.eresults.models import ElectronicResult
from motcua.worktime.core import VN_TZ
from tests.eresults.conftest import decode_qr, pdf_text, signed_bytes


def words_with_boxes(pdf: bytes) -> dict[str, list[tuple[float, ...]]]:
    html = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60
    ).stdout.decode()
    found: dict[str, list[tuple[float, ...]]] = {}
    pattern = r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<'
    for m in re.finditer(pattern, html):
        found.setdefault(m.group(5), []).append(tuple(float(v) for v in m.groups()[:4]))
    return found


def test_it_signs_the_result_with_the_units_certificate(issued, settings):
    pdf = signed_bytes(issued)
    reader = PdfFileReader(io.BytesIO(pdf))
    assert len(reader.embedded_signatures) == 1
    signature = reader.embedded_signatures[0]
    roots = load_trust_roots(settings.ERESULT_TRUST_ROOTS)
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=roots))
    assert status.intact and status.valid and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    subject = status.signing_cert.subject.native
    assert subject["common_name"] == "Công an phường Vinh Phú"
    assert issued.signer_subject == status.signing_cert.subject.human_friendly
    # The signing time is the approval's instant, as printed in the box.
    assert signature.self_reported_timestamp == datetime(2026, 11, 27, 16, 0, tzinfo=VN_TZ)


def test_the_signature_box_is_visible_on_the_page(issued):
    pdf = signed_bytes(issued)
    reader = PdfFileReader(io.BytesIO(pdf))
    field = reader.embedded_signatures[0].sig_field
    x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
    assert x2 - x1 > 150 and y2 - y1 > 30  # a box, not an invisible zero-size field
    text = pdf_text(pdf)
    assert "Ký số bởi: Công an phường Vinh Phú" in text
    assert "Thời gian ký: 16:00 27/11/2026" in text
    # The words are inside the field's box (pdftotext measures from the top, PDF from the bottom).
    words = words_with_boxes(pdf)
    page_height = 841.89
    for word in ("bởi:", "16:00", "27/11/2026"):
        left, top, right, bottom = words[word][-1]
        assert x1 <= left and right <= x2, word
        assert y1 <= page_height - bottom and page_height - top <= y2, word


def test_the_dossier_records_the_file_and_its_hash(issued, submitted):
    d = Dossier.objects.get(pk=submitted.pk)
    assert d.e_result is True and d.status == Status.RESULT_READY
    pdf = signed_bytes(issued)
    assert issued.sha256 == hashlib.sha256(pdf).hexdigest()
    stored = DossierFile.objects.get(dossier=d, kind=FileKind.RESULT)
    assert stored.pk == issued.file_id
    assert (stored.sha256, stored.size, stored.content_type) == (
        issued.sha256,
        len(pdf),
        "application/pdf",
    )
    assert issued.unit.code == "VINHPHU"
    assert AuditEntry.objects.filter(action="eresult.issue", object_id=str(issued.pk)).exists()


def test_the_document_reads_in_vietnamese_with_the_dossier_code(issued, submitted):
    text = pdf_text(signed_bytes(issued))
    assert "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in text
    assert submitted.code in text
    assert "Đăng ký tạm trú" in text
    assert "Nguyễn Thị Lan" in text
    assert "Đã đăng ký tạm trú tại Vinh Phú" in text
    assert "27/11/2026" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text


def test_its_qr_code_opens_the_verification_page(issued, tmp_path, settings):
    codes = decode_qr(signed_bytes(issued), tmp_path)
    assert codes == [f"{settings.PUBLIC_BASE_URL}/xac-minh/{issued.public_id}/"]


def test_the_public_id_is_random_not_the_dossier_code(issued, submitted):
    assert submitted.code not in issued.public_id
    assert len(issued.public_id) >= 22  # 128 random bits in base64url


def test_without_a_certificate_the_approval_is_refused_and_nothing_changes(
    submitted, leader, pki, settings
):
    (settings.ERESULT_PKCS12_DIR / "VINHPHU.p12").rename(pki / "aside.p12")
    try:
        with pytest.raises(InvalidInput, match="chưa có chứng thư số"):
            dossier_approve(
                actor=leader, dossier=submitted, version=submitted.version, e_result=True
            )
    finally:
        (pki / "aside.p12").rename(settings.ERESULT_PKCS12_DIR / "VINHPHU.p12")
    d = Dossier.objects.get(pk=submitted.pk)
    assert (d.status, d.version, d.e_result) == (Status.PENDING_APPROVAL, submitted.version, False)
    assert not ElectronicResult.objects.exists()
    assert not DossierFile.objects.filter(dossier=d, kind=FileKind.RESULT).exists()


def test_approving_without_an_electronic_result_signs_nothing(submitted, leader, pki):
    d = dossier_approve(actor=leader, dossier=submitted, version=submitted.version)
    assert d.status == Status.RESULT_READY and d.e_result is False
    assert not ElectronicResult.objects.exists()


def test_the_leader_is_told_on_the_approve_form_when_the_unit_has_no_key(
    submitted, leader, pki, settings, client
):
    key = settings.ERESULT_PKCS12_DIR / "VINHPHU.p12"
    key.rename(pki / "aside.p12")
    try:
        client.force_login(leader)
        response = client.post(
            f"/can-bo/ho-so/{submitted.code}/thao-tac/approve/",
            {"version": submitted.version, "result": "Đồng ý", "e_result": "on"},
        )
    finally:
        (pki / "aside.p12").rename(key)
    assert response.status_code < 500
    assert "Công an phường Vinh Phú chưa có chứng thư số" in response.content.decode()
    d = Dossier.objects.get(pk=submitted.pk)
    assert (d.status, d.version, d.e_result) == (Status.PENDING_APPROVAL, submitted.version, False)
    assert not ElectronicResult.objects.exists()
