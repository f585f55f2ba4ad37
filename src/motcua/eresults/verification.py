"""Checking an uploaded PDF: is it a result we issued, unchanged, signed by a key we trust?

Genuine means both: pyHanko's validator finds the last signature intact, valid, covering the
whole file and chaining to our trust roots, and the file's SHA-256 is the hash of a result we
issued (so a validly signed document we never issued, or one re-signed after a change, is not
genuine). Nothing uploaded is stored.
"""

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from motcua.documents import signing
from motcua.eresults import keys
from motcua.eresults.models import ElectronicResult

WINDOW = 600  # seconds; settings.ERESULT_VERIFY_LIMIT uploads per address in each


class Rejected(ValueError):
    """The upload is not something we can check (too big, not a PDF): a message for the user."""


@dataclass(frozen=True)
class Outcome:
    genuine: bool
    result: ElectronicResult | None
    check: signing.SignatureCheck
    sha256: str


def max_bytes() -> int:
    return settings.ERESULT_VERIFY_MAX_BYTES


def upload_allowed(ip: str) -> bool:
    """Count one upload from `ip`; False once it has sent too many in this window (validating a
    signature costs ~10 ms of CPU, so the page must not be a free CPU burner)."""
    bucket = f"eresult-verify:{ip}:{int(time.time()) // WINDOW}"
    if cache.add(bucket, 1, WINDOW):
        return True
    try:
        return cache.incr(bucket) <= settings.ERESULT_VERIFY_LIMIT
    except ValueError:  # the window ended between add() and incr()
        return True


def read_upload(uploaded) -> bytes:
    """The bytes of an uploaded file, after the size and type checks."""
    if uploaded is None:
        raise Rejected(_("Vui lòng chọn tệp PDF cần kiểm tra."))
    limit = max_bytes()
    if uploaded.size > limit:
        raise Rejected(_("Tệp quá lớn (tối đa %(mb)s MB).") % {"mb": limit // (1024 * 1024)})
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise Rejected(_("Tệp quá lớn (tối đa %(mb)s MB).") % {"mb": limit // (1024 * 1024)})
    if not data.lstrip(b"\t\n\r\f \x00")[:5] == b"%PDF-":
        raise Rejected(_("Tệp không phải là tệp PDF."))
    return data


def verify(data: bytes, *, expected: ElectronicResult | None = None) -> Outcome:
    """Check PDF bytes; with `expected`, genuine only if they are that very result."""
    digest = hashlib.sha256(data).hexdigest()
    try:
        check = signing.check_signature(data, trust_roots=keys.trust_roots())
    except signing.NotAPdf:
        raise Rejected(_("Tệp không phải là tệp PDF hoặc đã bị hỏng."))
    issued = ElectronicResult.objects.select_related("dossier", "unit").filter(sha256=digest)
    if expected is not None:
        issued = issued.filter(pk=expected.pk)
    result = issued.first()
    return Outcome(
        genuine=check.ok and result is not None, result=result, check=check, sha256=digest
    )


_stored_checks: dict[tuple, bool] = {}


def stored_is_genuine(result: ElectronicResult) -> bool:
    """Whether the file we keep for `result` still has the recorded hash and a valid, trusted
    signature. Remembered per process until the file changes (the page is public and printed
    in every QR: it must stay cheap under load)."""
    try:
        mtime = Path(result.file.file.storage.path(result.file.file.name)).stat().st_mtime_ns
    except (OSError, NotImplementedError, ValueError):
        mtime = None
    key = (result.pk, result.sha256, mtime, tuple(settings.ERESULT_TRUST_ROOTS))
    if key not in _stored_checks:
        try:
            # Through the storage, not the FieldFile: the row may be shared by threads.
            with result.file.file.storage.open(result.file.file.name, "rb") as f:
                data = f.read()
        except OSError:
            return False
        ok = hashlib.sha256(data).hexdigest() == result.sha256
        if ok:
            try:
                ok = signing.check_signature(data, trust_roots=keys.trust_roots()).ok
            except signing.NotAPdf:
                ok = False
        if len(_stored_checks) > 10000:
            _stored_checks.clear()
        _stored_checks[key] = ok
    return _stored_checks[key]
