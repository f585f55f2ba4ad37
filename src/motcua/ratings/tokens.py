"""The one-time rating link /danh-gia/<token>/.

The token is HMAC-SHA256(SECRET_KEY, dossier id + a random 128-bit salt), base64url without
padding: 43 characters, 256 bits. Nobody without the server's key can compute one, and guessing
one among 2**256 is hopeless. The database keeps only the salt and SHA-256 of the token: a copy of
the database alone gives no working link, and lookups go through the unique hash.
"""

import base64
import hashlib
import hmac
import re
import secrets
from datetime import timedelta
from urllib.parse import quote

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.models import Dossier, Status
from motcua.ratings.models import RatingToken

VALID_FOR = timedelta(days=30)  # [decision] from the result (renewed when it is handed over)
TOKEN_LENGTH = 43
TOKEN_SHAPE = re.compile(rf"^[A-Za-z0-9_-]{{{TOKEN_LENGTH}}}$")
RATEABLE = (Status.RESULT_READY, Status.RETURNED)


def _derive(dossier_id: int, salt: str) -> str:
    mac = hmac.new(
        settings.SECRET_KEY.encode(), f"motcua.ratings:{dossier_id}:{salt}".encode(), "sha256"
    ).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_of(row: RatingToken) -> str:
    return _derive(row.dossier_id, row.salt)


def token_issue(*, dossier: Dossier, now=None) -> RatingToken:
    """The dossier's token, made at its first result; a handed-over result renews its life."""
    now = now or timezone.now()
    row = RatingToken.objects.filter(dossier=dossier).first()
    if row is None:
        salt = secrets.token_hex(16)
        try:
            with transaction.atomic():
                return RatingToken.objects.create(
                    dossier=dossier,
                    salt=salt,
                    token_hash=token_hash(_derive(dossier.pk, salt)),
                    issued_at=now,
                    expires_at=now + VALID_FOR,
                )
        except IntegrityError:  # issued meanwhile by another request
            return RatingToken.objects.get(dossier=dossier)
    if row.expires_at < now + VALID_FOR and dossier.status == Status.RETURNED:
        row.expires_at = now + VALID_FOR
        row.save(update_fields=["expires_at"])
    return row


def token_find(token: str) -> RatingToken | None:
    """The token's row, or None for anything that is not a token we issued."""
    if not isinstance(token, str) or not TOKEN_SHAPE.match(token):
        return None
    row = (
        RatingToken.objects.select_related(
            "dossier__procedure_version", "dossier__handling_unit", "dossier__desk"
        )
        .filter(token_hash=token_hash(token))
        .first()
    )
    # The hash matched; compare the derived token too, in constant time.
    if row is None or not hmac.compare_digest(token_of(row).encode(), token.encode()):
        return None
    return row


def rating_path_for(dossier: Dossier) -> str | None:
    """/danh-gia/<token>/ for a dossier with a result, issuing its token if it has none yet."""
    if dossier.status not in RATEABLE:
        row = RatingToken.objects.filter(dossier=dossier).first()
        if row is None:
            return None
    else:
        row = token_issue(dossier=dossier)
    return reverse("rating", kwargs={"token": quote(token_of(row), safe="")})


def rating_link_for(dossier: Dossier) -> str | None:
    """The absolute one-time rating link to give the citizen with the result (for notices, SMS,
    "Hồ sơ của tôi"), or None while the dossier has no result."""
    path = rating_path_for(dossier)
    return f"{settings.PUBLIC_BASE_URL}{path}" if path else None
