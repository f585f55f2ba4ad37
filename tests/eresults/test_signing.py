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


def test_one_key_signs_many_documents_each_valid_for_its_own_bytes(issued, settings):
    """The unit's signer builds its signed attributes once and reuses them (pades_signer.py):
    every document it signs must still carry its own digest, and a signature must not fit
    another document."""
    from motcua.dossiers.models import Dossier
    from motcua.eresults.services import render_result, sign_result

    d = Dossier.objects.get(pk=issued.dossier_id)
    signer = signing.load_pkcs12_signer(
        settings.ERESULT_PKCS12_DIR / "VINHPHU.p12", settings.ERESULT_PKCS12_PASSPHRASE
    )
    roots = signing.load_trust_roots(settings.ERESULT_TRUST_ROOTS)
    at = issued.issued_at
    signed = [
        sign_result(
            render_result(d, public_id=public_id, issued_at=at),
            signer=signer,
            unit=d.handling_unit,
            issued_at=at,
        )
        for public_id in ("ma-thu-nhat", "ma-thu-hai", "ma-thu-ba")
    ]
    assert len(set(signed)) == 3
    for pdf in signed:
        assert signing.check_signature(pdf, trust_roots=roots).ok
    # The first document's signature container pasted into the second is not valid for it.
    first, second = (_contents(pdf) for pdf in signed[:2])
    assert first != second and len(first) == len(second)
    swapped = signed[1].replace(second, first)
    check = signing.check_signature(swapped, trust_roots=roots)
    assert check.signed and not check.intact and not check.ok


def test_signed_attributes_are_byte_for_byte_those_pyhanko_builds(issued, settings):
    """What the reused attributes save must not change what is signed."""
    import asyncio
    import hashlib

    from pyhanko.sign import signers

    path = settings.ERESULT_PKCS12_DIR / "VINHPHU.p12"
    ours = signing.load_pkcs12_signer(path, settings.ERESULT_PKCS12_PASSPHRASE)
    plain = signers.SimpleSigner.load_pkcs12(
        str(path), passphrase=settings.ERESULT_PKCS12_PASSPHRASE.encode()
    )
    for text in (b"mot", b"hai"):
        digest = hashlib.sha256(text).digest()
        built = [
            asyncio.run(s.signed_attrs(digest, "sha256", use_pades=True)).dump()
            for s in (ours, plain)
        ]
        assert built[0] == built[1]
        assert digest in built[0]


def _contents(pdf: bytes) -> bytes:
    """The hex signature container of the last /Contents <...> in the file."""
    start = pdf.rindex(b"/Contents <") + len(b"/Contents <")
    return pdf[start : pdf.index(b">", start)]
