"""Scans and documents attached to dossiers: type checked by content, size limited, hashed."""

import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile

SIGNATURES = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
]


class UploadRejected(ValueError):
    pass


@dataclass
class CheckedFile:
    name: str
    content: bytes
    content_type: str
    extension: str
    sha256: str


def max_upload_bytes() -> int:
    return getattr(settings, "DOSSIER_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)


def _kb(n: int) -> str:
    return f"{n // 1024:,}".replace(",", ".")  # Vietnamese thousands separator


def clean_file_name(name: str) -> str:
    """The name a file is shown and downloaded under: the last part of any path, without
    control or direction-changing characters (a right-to-left override, U+202E, makes a file
    called "hoadon<U+202E>fdp.exe" look like "hoadonexe.pdf"), never empty, at most 200
    characters."""
    base = re.split(r"[\\/]", str(name or ""))[-1]
    text = "".join(
        " " if ch.isspace() else ch
        for ch in unicodedata.normalize("NFC", base)
        if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn") or ch.isspace()
    )
    text = " ".join(text.split()).lstrip(". ")
    return text[-200:] if text else "tep"


# What makes a PDF do something when opened, rather than show pages. Names are matched after
# qpdf has decoded them (so "/J#53" is "/JS") and decompressed object streams; the raw bytes are
# searched only in files qpdf cannot read at all (in a readable file they could be image data).
ACTIVE_PDF_KEYS = {"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia"}
ACTIVE_PDF_BYTES = re.compile(rb"/(?:JS|JavaScript|Launch|EmbeddedFiles?|RichMedia)\b")


def _active(obj) -> bool:
    import pikepdf

    if isinstance(obj, pikepdf.Stream):
        obj = obj.stream_dict
    if isinstance(obj, pikepdf.Dictionary):
        if set(obj.keys()) & ACTIVE_PDF_KEYS:
            return True
        kinds = {str(obj.get("/S", "")), str(obj.get("/Type", ""))}
        return bool(kinds & ACTIVE_PDF_KEYS) or any(
            _active(value) for value in obj.values() if not getattr(value, "is_indirect", True)
        )
    if isinstance(obj, pikepdf.Array):
        return any(_active(value) for value in obj if not getattr(value, "is_indirect", True))
    return False


def pdf_is_active(content: bytes) -> bool:
    """True when the PDF carries JavaScript, launch actions or embedded files."""
    import pikepdf  # qpdf: loaded when a PDF comes in

    try:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            # Every indirect object once; direct ones are walked inside their holders.
            return any(_active(obj) for obj in pdf.objects) or _active(pdf.trailer)
    except pikepdf.PdfError:
        return ACTIVE_PDF_BYTES.search(content) is not None


def check_upload(name: str, content: bytes) -> CheckedFile:
    """Accept PDF, JPEG and PNG by their first bytes (the name and the browser's word don't
    count); refuse empty and oversized files, and PDFs that run code, with a message in
    Vietnamese."""
    name = clean_file_name(name)
    limit = max_upload_bytes()
    if not content:
        raise UploadRejected(f"Tệp '{name}' rỗng.")
    if len(content) > limit:
        size, most = _kb(len(content)), _kb(limit)
        raise UploadRejected(f"Tệp '{name}' quá lớn ({size} KB); tối đa {most} KB.")
    for magic, content_type, extension in SIGNATURES:
        if content.startswith(magic):
            if extension == "pdf" and pdf_is_active(content):
                raise UploadRejected(
                    f"Tệp '{name}' chứa mã lệnh (JavaScript), lệnh chạy chương trình hoặc tệp "
                    "nhúng; hãy quét hoặc in lại thành PDF thường."
                )
            return CheckedFile(
                name=name,
                content=content,
                content_type=content_type,
                extension=extension,
                sha256=hashlib.sha256(content).hexdigest(),
            )
    raise UploadRejected(f"Tệp '{name}' không phải PDF, JPEG hay PNG.")


def read_uploads(files) -> list[CheckedFile]:
    """Check every uploaded file before anything is written; the first bad one stops all."""
    limit = max_upload_bytes()
    checked = []
    for upload in files:
        if getattr(upload, "size", 0) > limit:
            raise UploadRejected(f"Tệp '{upload.name}' quá lớn; tối đa {_kb(limit)} KB.")
        checked.append(check_upload(upload.name, upload.read(limit + 1)))
    return checked


def as_django_file(checked: CheckedFile) -> ContentFile:
    return ContentFile(checked.content, name=f"{checked.sha256[:16]}.{checked.extension}")
