"""PDF signing (PAdES, pyHanko) and its keys: a small certificate authority for the demo and the
tests, PKCS#12 files per unit, signature validation against the configured trust roots.

Nothing here knows about dossiers or settings: callers pass paths, passphrases and PDFs.

Why the visible signature's words are drawn by the page template, not by pyHanko: a pyHanko text
stamp in a Vietnamese font makes it subset and embed the font at every signature (fontTools, 35
to 120 ms measured here), which alone would double the cost of a result. The page already embeds
our fonts, so the template draws the box's text (the unit's name and the signing time) and the
signature field is placed exactly over it with a border-only appearance; the signing time in the
signature (the CMS signingTime) is set to the instant the page prints, so both say the same.

Why a signature costs ~10 ms and not ~90: pyHanko, left to itself, builds a whole dummy signature
before each real one to size the space it reserves (bytes_to_reserve() measures it once per
signer), and rebuilds the signed attributes from Python objects at every signature, which
asn1crypto encodes slowly; the unit's signer reuses them (pades_signer.py).
"""

from __future__ import annotations

import asyncio
import functools
import io
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

FIELD_NAME = "KetQuaDienTu"
# A4 in PDF points, for turning the template's millimetres into field coordinates.
MM = 72 / 25.4
# Certificates made here are valid from 400 days back: the demo's seeded history and the tests'
# frozen clocks sign at instants before the moment the CA was made.
BACKDATE_DAYS = 400


# ---------------------------------------------------------------- keys and certificates


def fit_name(text: str, limit: int = 64) -> str:
    """X.509 caps a common name at 64 bytes (UTF-8): a long Vietnamese unit name is cut there,
    at a character boundary."""
    data = text.encode()[:limit]
    return data.decode(errors="ignore").strip()


def _name(common_name: str, organisation: str = "", unit_code: str = "") -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organisation:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, fit_name(organisation)))
    if unit_code:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, fit_name(unit_code)))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, fit_name(common_name)))
    return x509.Name(parts)


def _key_usage(*, sign_certs: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not sign_certs,
        content_commitment=not sign_certs,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=sign_certs,
        crl_sign=sign_certs,
        encipher_only=False,
        decipher_only=False,
    )


def make_ca(common_name: str, *, years: int = 20, now: datetime | None = None):
    """A self-signed root (P-256 key): returns (key, certificate)."""
    now = now or datetime.now(UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(_name(common_name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=BACKDATE_DAYS))
        .not_valid_after(now + timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(sign_certs=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def issue_signing_cert(
    ca_key,
    ca_cert,
    *,
    common_name: str,
    organisation: str = "",
    unit_code: str = "",
    years: int = 5,
    now=None,
):
    """A document-signing certificate for one unit, issued by the CA: returns (key, cert)."""
    now = now or datetime.now(UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organisation, unit_code))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=BACKDATE_DAYS))
        .not_valid_after(now + timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(sign_certs=False), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return key, cert


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(0o600)


def write_pkcs12(path: Path, key, cert, ca_cert, passphrase: str, friendly_name: str) -> None:
    data = pkcs12.serialize_key_and_certificates(
        friendly_name.encode(),
        key,
        cert,
        [ca_cert],
        serialization.BestAvailableEncryption(passphrase.encode()),
    )
    _write_private(path, data)


def ensure_ca(folder: Path, passphrase: str, common_name: str):
    """The CA kept in `folder` (ca.pem, ca-key.pem encrypted with `passphrase`), made once."""
    cert_path, key_path = folder / "ca.pem", folder / "ca-key.pem"
    if cert_path.exists() and key_path.exists():
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), passphrase.encode())
        return key, cert
    key, cert = make_ca(common_name)
    _write_private(
        key_path,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(passphrase.encode()),
        ),
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key, cert


def ensure_unit_pkcs12(
    path: Path,
    *,
    ca_key,
    ca_cert,
    passphrase: str,
    common_name: str,
    organisation: str = "",
    unit_code: str = "",
) -> bool:
    """Issue the unit's PKCS#12 at `path` unless it exists. True if it was made now."""
    if path.exists():
        return False
    key, cert = issue_signing_cert(
        ca_key, ca_cert, common_name=common_name, organisation=organisation, unit_code=unit_code
    )
    write_pkcs12(path, key, cert, ca_cert, passphrase, friendly_name=fit_name(common_name))
    return True


def load_trust_roots(paths) -> list:
    """asn1crypto certificates from PEM (one or more per file) or DER files; missing files are
    skipped, so a fresh checkout without a seeded CA trusts nothing rather than failing."""
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    roots = []
    for name in paths:
        path = Path(name)
        if not path.is_file():
            continue
        data = path.read_bytes()
        if pem.detect(data):
            for _kind, _headers, der in pem.unarmor(data, multiple=True):
                roots.append(asn1_x509.Certificate.load(der))
        else:
            roots.append(asn1_x509.Certificate.load(data))
    return roots


@functools.lru_cache(maxsize=256)
def _signer_cached(path: str, mtime_ns: int, passphrase: str):
    from pyhanko.sign import signers

    from motcua.documents.pades_signer import TemplatedSigner

    signer = signers.SimpleSigner.load_pkcs12(path, passphrase=passphrase.encode())
    if signer is None:
        raise ValueError(f"cannot read the PKCS#12 file {path} (wrong passphrase?)")
    return TemplatedSigner.from_simple(signer)


def load_pkcs12_signer(path: Path, passphrase: str):
    """A pyHanko signer from a PKCS#12 file (the key decrypted once, the signed attributes built
    once: pades_signer.py), cached until the file changes."""
    path = Path(path)
    return _signer_cached(str(path), path.stat().st_mtime_ns, passphrase)


def signer_subject(signer) -> str:
    return signer.signing_cert.subject.human_friendly


# ---------------------------------------------------------------- signing


_reserved: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def bytes_to_reserve(signer, md_algorithm: str = "sha256") -> int:
    """How many bytes (hex digits) of the PDF to set aside for `signer`'s signature container.

    pyHanko measures it by building a whole dummy signature before every real one when it is not
    told, which doubled the cost of signing a result. The size depends only on the signer (its
    certificates, key type and attributes), so it is measured once per signer in the same way,
    with pyHanko's own 50 % margin."""
    try:
        return _reserved[signer]
    except KeyError:
        pass
    from pyhanko.sign.general import get_pyca_cryptography_hash

    digest = hashes.Hash(get_pyca_cryptography_hash(md_algorithm)).finalize()
    dummy = asyncio.run(signer.async_sign(digest, md_algorithm, dry_run=True, use_pades=True))
    size = len(dummy.dump()) * 2
    size += 2 * (size // 4)
    _reserved[signer] = size
    return size


@dataclass(frozen=True)
class Box:
    """The visible signature box on the page, in millimetres from the page's top-left corner
    (as the template's CSS places it)."""

    left: float
    top: float
    width: float
    height: float
    page_height: float = 297.0

    def pdf_rect(self) -> tuple[float, float, float, float]:
        x1 = self.left * MM
        y2 = (self.page_height - self.top) * MM
        return (x1, y2 - self.height * MM, x1 + self.width * MM, y2)


def sign_pdf(
    pdf: bytes,
    *,
    signer,
    box: Box,
    signed_at: datetime,
    reason: str = "",
    location: str = "",
    name: str = "",
    page: int = -1,
) -> bytes:
    """Sign `pdf` as PAdES (ETSI.CAdES.detached), with a visible field over `box` on `page`
    (the last by default) and `signed_at` as the signature's signing time."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields
    from pyhanko.sign.signers.pdf_signer import PdfSignatureMetadata, PdfSigner
    from pyhanko.stamp import TextStampStyle

    class _AtTime(PdfSigner):
        def init_signing_session(self, pdf_out, existing_fields_only=False):
            session = super().init_signing_session(pdf_out, existing_fields_only)
            session.system_time = signed_at
            return session

    meta = PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason or None,
        location=location or None,
        name=name or None,
    )
    # The border is the widget's own appearance; the words inside are the page's (see above).
    style = TextStampStyle(stamp_text="", border_width=1)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    if page < 0:
        page = int(writer.root["/Pages"]["/Count"]) + page
    pdf_signer = _AtTime(
        meta,
        signer=signer,
        stamp_style=style,
        new_field_spec=fields.SigFieldSpec(FIELD_NAME, on_page=page, box=box.pdf_rect()),
    )
    out = io.BytesIO()
    pdf_signer.sign_pdf(writer, output=out, bytes_reserved=bytes_to_reserve(signer))
    return out.getvalue()


# ---------------------------------------------------------------- validation


@dataclass(frozen=True)
class SignatureCheck:
    """What pyHanko's validator says about the last signature of a PDF."""

    signed: bool  # the file has a signature at all
    intact: bool = False  # the signed bytes are unchanged
    valid: bool = False  # the cryptographic signature is correct
    trusted: bool = False  # the signer's certificate chains to one of our roots
    whole_file: bool = False  # nothing was added after the signature
    signer_subject: str = ""
    signed_at: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.valid and self.trusted and self.whole_file


class NotAPdf(ValueError):
    pass


def check_signature(data: bytes, *, trust_roots) -> SignatureCheck:
    """Validate the last signature of `data` with pyHanko against `trust_roots`.

    Raises NotAPdf when the bytes cannot be read as a PDF at all."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except PdfError as error:
        raise NotAPdf(str(error))
    except Exception as error:  # noqa: BLE001 - a malformed file of any shape is "not a PDF"
        raise NotAPdf(repr(error))
    if not signatures:
        return SignatureCheck(signed=False)
    embedded = signatures[-1]
    context = ValidationContext(trust_roots=list(trust_roots), allow_fetching=False)
    try:
        status = validate_pdf_signature(embedded, context)
    except Exception:  # noqa: BLE001 - any failure to validate is "not genuine", never a 500
        return SignatureCheck(signed=True)
    return SignatureCheck(
        signed=True,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer_subject=status.signing_cert.subject.human_friendly if status.signing_cert else "",
        signed_at=embedded.self_reported_timestamp,
    )
