"""What a citizen may see of a dossier: by code alone only its status; with the tracking secret
printed on the receipt, the steps and dates too. Never the ID number or the full name."""

import hmac

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier

MAX_FAILED_SECRETS = 10  # per dossier code and address, per hour

PUBLIC_STEPS = {
    "receive": _("Tiếp nhận hồ sơ"),
    "transfer": _("Chuyển đến đơn vị giải quyết"),
    "assign": _("Phân công cán bộ xử lý"),
    "process": _("Đang thẩm định, xử lý"),
    "request_supplement": _("Yêu cầu bổ sung hồ sơ"),
    "receive_supplement": _("Đã nhận hồ sơ bổ sung"),
    "approve": _("Đã có kết quả"),
    "refuse": _("Từ chối giải quyết"),
    "apologise": _("Xin lỗi và hẹn lại ngày trả kết quả"),
    "return": _("Đã trả kết quả"),
    "stop": _("Dừng giải quyết"),
    "record_payment": _("Đã nộp phí, lệ phí"),
}


def mask_name(name: str) -> str:
    """'Nguyễn Thị Lan' -> 'Nguyễn T. L.': enough for the applicant to recognise, no more."""
    parts = name.split()
    if len(parts) <= 1:
        return (name[:1] + "***") if name else ""
    return " ".join([parts[0], *(p[0] + "." for p in parts[1:])])


def find(code: str) -> Dossier | None:
    return (
        Dossier.objects.select_related("procedure_version", "handling_unit", "receiving_unit")
        .filter(code=code.strip())
        .first()
    )


def _throttle_key(code: str, ip: str) -> str:
    return f"track-fail:{code}:{ip}"


def secret_matches(dossier: Dossier, secret: str, ip: str) -> bool | None:
    """True/False, or None when this address has guessed wrong too often for this code."""
    key = _throttle_key(dossier.code, ip)
    failures = cache.get(key, 0)
    if failures >= MAX_FAILED_SECRETS:
        return None
    # On bytes: compare_digest refuses non-ASCII str, and a citizen may type anything.
    ok = hmac.compare_digest(secret.strip().upper().encode(), dossier.tracking_secret.encode())
    if not ok:
        cache.set(key, failures + 1, 3600)
    return ok


def public_steps(dossier: Dossier) -> list[dict]:
    return [
        {
            "label": PUBLIC_STEPS.get(a.action, a.action),
            "at": a.at,
            "unit": a.unit.name if a.unit_id else "",
        }
        for a in dossier.actions.select_related("unit").order_by("seq")
        if a.action in PUBLIC_STEPS
    ]
