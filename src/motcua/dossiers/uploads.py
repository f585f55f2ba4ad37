"""Scans and documents attached to dossiers: type checked by content, size limited, hashed."""

import hashlib
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


def check_upload(name: str, content: bytes) -> CheckedFile:
    """Accept PDF, JPEG and PNG by their first bytes (the name and the browser's word don't
    count); refuse empty and oversized files with a message in Vietnamese."""
    limit = max_upload_bytes()
    if not content:
        raise UploadRejected(f"Tệp '{name}' rỗng.")
    if len(content) > limit:
        size, most = _kb(len(content)), _kb(limit)
        raise UploadRejected(f"Tệp '{name}' quá lớn ({size} KB); tối đa {most} KB.")
    for magic, content_type, extension in SIGNATURES:
        if content.startswith(magic):
            return CheckedFile(
                name=name[:200],
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
