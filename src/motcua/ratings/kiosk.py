"""The rating tablet at a one-stop desk.

A receptionist or leader of the desk's unit binds the tablet once: the tablet then carries a
long-lived signed cookie naming the desk, and the staff session on it is ended, so a citizen at
the tablet can reach the rating screen and nothing else. A citizen scans the QR of their receipt
(the tracking URL /tra-cuu/<code>/) into the text field and types the 8-character secret printed
beside it [decision: the secret is always asked: codes are sequential and the tablet is
unattended]; only dossiers received at the bound desk can be rated there.
"""

import re
from datetime import timedelta
from urllib.parse import unquote, urlsplit

from django.core import signing
from django.db import transaction

from motcua.audit.services import audit_record
from motcua.org.models import Desk
from motcua.params import int_param

COOKIE = "motcua_kiosk"
COOKIE_SALT = "motcua.ratings.kiosk"
COOKIE_AGE = timedelta(days=365)
TICKET_SALT = "motcua.ratings.kiosk-ticket"
TICKET_AGE = timedelta(minutes=15)  # scanning to sending the form
RESET_SECONDS = 8  # the thank-you screen goes back to the start by itself
TRACK_PATH = re.compile(r"/tra-cuu/([^/?#]+)")


def kiosk_bind(*, actor, desk: Desk, ip: str | None = None) -> str:
    """Audit the binding and return the cookie value for the tablet."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="rating.kiosk_bind",
            obj=desk,
            changes={"desk": desk.code},
            ip=ip,
        )
    return str(desk.pk)


def set_cookie(response, value: str, *, secure: bool) -> None:
    response.set_signed_cookie(
        COOKIE,
        value,
        salt=COOKIE_SALT,
        max_age=int(COOKIE_AGE.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=secure,
    )


def bound_desk(request) -> Desk | None:
    value = request.get_signed_cookie(
        COOKIE, default=None, salt=COOKIE_SALT, max_age=COOKIE_AGE.total_seconds()
    )
    pk = int_param(value, minimum=1)
    if pk is None:
        return None
    return Desk.objects.select_related("unit").filter(pk=pk, is_active=True).first()


def code_from_scan(text: str) -> str:
    """The dossier code in what the scanner typed: the receipt's URL, or the bare code."""
    text = (text or "").strip()
    if not text or len(text) > 500:
        return ""
    match = TRACK_PATH.search(urlsplit(text).path if "://" in text else text)
    code = unquote(match.group(1)) if match else text
    return code.strip()[:64]


def ticket_for(dossier, desk) -> str:
    return signing.dumps({"d": dossier.pk, "k": desk.pk}, salt=TICKET_SALT)


def ticket_dossier_id(ticket: str, desk) -> int | None:
    """The dossier a ticket from the scan step names, if it was made at this desk lately."""
    try:
        data = signing.loads(ticket or "", salt=TICKET_SALT, max_age=TICKET_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") != desk.pk:
        return None
    return int_param(data.get("d"), minimum=1)
