"""Reads for the citizen's pages and the desk's inbox. Every query goes through scope()."""

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.models import FINAL_STATUSES, Dossier
from motcua.portal.online.models import AppStatus, OnlineApplication


def applications_for(user):
    return OnlineApplication.objects.for_user(user).select_related(
        "procedure_version__procedure", "desk__unit", "dossier"
    )


def application_for(user, pk) -> OnlineApplication | None:
    return applications_for(user).filter(pk=pk).first()


def inbox_for(user):
    """What waits at the user's desks, oldest first (how long it has waited is what counts)."""
    return applications_for(user).select_related("citizen").waiting().order_by("submitted_at", "pk")


def my_page(citizen) -> dict:
    """'Hồ sơ của tôi': drafts, applications not yet dossiers, dossiers open and finished."""
    # Only the columns the list shows: a procedure version's and a dossier's JSON columns
    # (documents, fees, clock, checklist) are most of their rows' weight.
    apps = list(
        OnlineApplication.objects.for_user(citizen)
        .exclude(status=AppStatus.ACCEPTED)
        .select_related("procedure_version", "desk")
        .only(
            "status",
            "updated_at",
            "submitted_at",
            "citizen_id",
            "procedure_version__name",
            "desk__name",
        )
        .order_by("-updated_at")
    )
    dossiers = list(
        Dossier.objects.for_user(citizen)
        .select_related("procedure_version")
        .only(
            "code",
            "status",
            "received_at",
            "due_at",
            "extended_due_at",
            "finished_at",
            "submitted_by_id",
            "procedure_version__name",
        )
        .order_by("-received_at")
    )
    return {
        "drafts": [a for a in apps if a.status == AppStatus.DRAFT],
        "applications": [a for a in apps if a.status != AppStatus.DRAFT],
        "open": [d for d in dossiers if d.status not in FINAL_STATUSES],
        "finished": [d for d in dossiers if d.status in FINAL_STATUSES],
    }


def age(since, now=None) -> str:
    """How long ago, in plain words: "2 ngày 3 giờ", "45 phút" (calendar time)."""
    if since is None:
        return ""
    minutes = max(int(((now or timezone.now()) - since).total_seconds() // 60), 0)
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(_("%(n)s ngày") % {"n": days})
    if hours:
        parts.append(_("%(n)s giờ") % {"n": hours})
    if not days and (mins or not hours):
        parts.append(_("%(n)s phút") % {"n": mins})
    return " ".join(parts)
