"""What a citizen may see of a dossier: by code alone only its status; with the tracking secret
printed on the receipt, the steps and dates too. Never the ID number or the full name."""

import hmac
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier
from motcua.dossiers.paper import money
from motcua.dossiers.services import PAYMENT_CHANNELS

MAX_FAILED_SECRETS = 10  # per dossier code and address, per hour
LOOKUP_WINDOW = 600  # seconds; settings.TRACKING_LOOKUP_LIMIT look-ups per address in each

PUBLIC_STEPS = {
    "receive": _("Tiếp nhận hồ sơ"),
    "transfer": _("Chuyển đến đơn vị giải quyết"),
    "assign": _("Phân công cán bộ xử lý"),
    "process": _("Đang thẩm định, xử lý"),
    "request_supplement": _("Yêu cầu bổ sung hồ sơ"),
    "receive_supplement": _("Đã nhận hồ sơ bổ sung"),
    "submit": _("Đã trình lãnh đạo phê duyệt"),
    "send_back": _("Lãnh đạo yêu cầu xử lý tiếp"),
    "approve": _("Đã có kết quả"),
    "refuse": _("Từ chối giải quyết"),
    "apologise": _("Xin lỗi và hẹn lại ngày trả kết quả"),
    "return": _("Đã trả kết quả"),
    "stop": _("Dừng giải quyết"),
    "record_payment": _("Đã nộp phí, lệ phí"),
}
EXEMPTED = _("Được miễn phí, lệ phí")


def mask_name(name: str) -> str:
    """'Nguyễn Thị Lan' -> 'Nguyễn T. L.': enough for the applicant to recognise, no more."""
    parts = name.split()
    if len(parts) <= 1:
        return (name[:1] + "***") if name else ""
    return " ".join([parts[0], *(p[0] + "." for p in parts[1:])])


# Citizens type what they read on paper: spaces and dashes of any kind in the secret, either
# letter case for both the code and the secret.
_SECRET_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")


def normalize_secret(text: str) -> str:
    return _SECRET_SEPARATORS.sub("", text).upper()


def find(code: str) -> Dossier | None:
    """The dossier of a code typed in any letter case. Codes are generated in upper case, but a
    configured format may keep lower-case letters: the code as typed is tried too (both lookups
    use the unique index, which a case-insensitive comparison would not)."""
    code = code.strip()
    return (
        Dossier.objects.select_related("procedure_version", "handling_unit", "receiving_unit")
        .filter(code__in={code, code.upper()})
        .first()
    )


def lookup_allowed(ip: str) -> bool:
    """Count one look-up by code from `ip`; False once the address has made too many.

    Codes are sequential, so without this anyone could walk through every dossier's status. The
    count lives in the cache all server processes share, in fixed windows.
    """
    bucket = f"track-lookup:{ip}:{int(time.time()) // LOOKUP_WINDOW}"
    # incr() first: all but an address's first look-up in a window find the count there, and
    # the database cache's add() of an existing key costs three queries before it says no.
    try:
        return cache.incr(bucket) <= settings.TRACKING_LOOKUP_LIMIT
    except ValueError:  # the window's first look-up from this address
        pass
    if cache.add(bucket, 1, LOOKUP_WINDOW):
        return True
    try:  # another process added it in between
        return cache.incr(bucket) <= settings.TRACKING_LOOKUP_LIMIT
    except ValueError:  # ... and the window ended since: one look-up goes uncounted
        return True


def _throttle_key(code: str, ip: str) -> str:
    return f"track-fail:{code}:{ip}"


def secret_matches(dossier: Dossier, secret: str, ip: str) -> bool | None:
    """True/False, or None when this address has guessed wrong too often for this code."""
    key = _throttle_key(dossier.code, ip)
    failures = cache.get(key, 0)
    if failures >= MAX_FAILED_SECRETS:
        return None
    # Bytes: compare_digest refuses non-ASCII str, and a citizen may type "Đ".
    ok = hmac.compare_digest(normalize_secret(secret).encode(), dossier.tracking_secret.encode())
    if not ok:
        cache.set(key, failures + 1, 3600)
    return ok


def fee_status(dossier: Dossier) -> str:
    """'Không thu', '7.000 đồng, chưa nộp', '7.000 đồng, đã nộp (Trực tuyến)' or exempted."""
    if not dossier.fee_amount:
        return str(_("Không thu"))
    fee = money(dossier.fee_amount)
    if dossier.fee_exempt:
        return f"{fee}, {str(EXEMPTED).lower()}"
    if dossier.fee_paid_at is None:
        return _("%(fee)s, chưa nộp") % {"fee": fee}
    channel = PAYMENT_CHANNELS.get(dossier.fee_channel, "")
    return _("%(fee)s, đã nộp (%(channel)s)") % {"fee": fee, "channel": channel}


def public_steps(dossier: Dossier) -> list[dict]:
    return [
        {
            "label": EXEMPTED if a.data.get("exempt") else PUBLIC_STEPS.get(a.action, a.action),
            "at": a.at,
            "unit": a.unit.name if a.unit_id else "",
        }
        for a in dossier.actions.select_related("unit").order_by("seq")
        if a.action in PUBLIC_STEPS
    ]
