"""Reads of the audit log: what an inspector may see of it, and whether the chain holds."""

from datetime import datetime, time, timedelta

from django.core.cache import cache
from django.utils import timezone

from motcua.audit.models import AuditEntry
from motcua.audit.services import ChainBroken, audit_verify
from motcua.org.scoping import scope

STATUS_KEY = "audit:chain-status"
# Verifying walks the whole chain; a page view reuses the last answer for this long unless the
# reader asks for a fresh check.
STATUS_SECONDS = 60


def audit_entries_for(user, *, actor: str = "", action: str = "", first=None, last=None):
    """Rows done by staff of the user's subtree (everything for a superuser), newest first.
    Rows without a staff actor (the worker, commands, demo seeding) belong to no unit, so only a
    superuser sees them."""
    rows = scope(AuditEntry.objects.all(), user, unit_field="actor__unit")
    if actor:
        rows = rows.filter(actor_name__icontains=actor)
    if action:
        rows = rows.filter(action=action)
    tz = timezone.get_current_timezone()
    if first:
        rows = rows.filter(at__gte=datetime.combine(first, time.min, tzinfo=tz))
    if last:
        rows = rows.filter(at__lt=datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz))
    return rows.order_by("-id")


def audit_actions_for(user) -> list[str]:
    """The actions that occur in the rows the user may see (for the filter's choices)."""
    rows = scope(AuditEntry.objects.all(), user, unit_field="actor__unit")
    return sorted(set(rows.order_by().values_list("action", flat=True).distinct()))


def audit_chain_status(*, fresh: bool = False) -> dict:
    """{"ok": bool, "rows"/"unsealed" or "seq"/"reason", "checked_at"} from `audit_verify`."""
    status = None if fresh else cache.get(STATUS_KEY)
    if status is None:
        checked_at = timezone.now()
        try:
            verified = audit_verify()
        except ChainBroken as broken:
            status = {"ok": False, "seq": broken.seq, "reason": broken.reason}
        else:
            status = {"ok": True, "rows": verified.rows, "unsealed": verified.unsealed}
        status["checked_at"] = checked_at
        cache.set(STATUS_KEY, status, STATUS_SECONDS)
    return status
