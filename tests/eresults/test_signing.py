"""documents.signing on its own: pyHanko's validator sees a changed byte, and a signature by a
certificate from a CA we do not trust."""

from datetime import UTC, datetime

from motcua.documents import signing
from motcua.documents.pdf import render_pdf
from tests.eresults.conftest import flip_one_byte, signed_bytes

BOX = signing.Box(left=110, top=236, width=80, height=18)


def test_a_changed_byte_inside_the_signed_range_breaks_the_signature(issued, settings):
    pdf = signed_bytes(issued)
    roots = signing.load_trust_roots(settings.ERESULT_TRUST_ROOTS)
    assert signing.check_signature(pdf, trust_roots=roots).ok
    check = signing.check_signature(flip_one_byte(pdf, len(pdf) // 3), trust_roots=roots)
    assert check.signed and not check.intact and not check.ok


def test_a_signature_from_a_ca_we_do_not_trust_is_valid_but_not_trusted(tmp_path, settings, db):
    stranger_key, stranger_ca = signing.make_ca("Một CA lạ")
    path = tmp_path / "la.p12"
    signing.ensure_unit_pkcs12(
        path, ca_key=stranger_key, ca_cert=stranger_ca, passphrase="x", common_name="Đơn vị lạ"
    )
    pdf = render_pdf("documents/print_base.html", {})
    signed = signing.sign_pdf(
        pdf,
        signer=signing.load_pkcs12_signer(path, "x"),
        box=BOX,
        signed_at=datetime.now(UTC).replace(microsecond=0),
    )
    ours = signing.load_trust_roots(settings.ERESULT_TRUST_ROOTS)
    check = signing.check_signature(signed, trust_roots=ours)
    assert check.intact and check.valid and not check.trusted and not check.ok
    assert "Common Name: Đơn vị lạ" in check.signer_subject
    theirs = signing.load_trust_roots([str(tmp_path / "none.pem")])
    assert theirs == []


def test_long_unit_names_fit_in_a_certificate():
    name = "Phòng Cảnh sát quản lý hành chính về trật tự xã hội Công an tỉnh Nghệ An"
    fitted = signing.fit_name(name)
    assert len(fitted.encode()) <= 64 and name.startswith(fitted)
