"""The deadline watch: marks dossiers nearing their due time or overdue, and tells people.

Safe to run on several machines at once and any number of times: each dossier moves from one
flag to the next with a conditional UPDATE (only one worker wins it), and notifications are unique
per person, dossier, flag and due time.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from motcua.dossiers.models import DeadlineFlag, Dossier, Status
from motcua.dossiers.services import _fmt, _leaders_of, _notify

# The clock runs in these states; while waiting for the applicant nothing is due.
RUNNING = (Status.RECEIVED, Status.ASSIGNING, Status.PROCESSING, Status.PENDING_APPROVAL)


@dataclass
class WatchResult:
    nearing: int = 0
    overdue: int = 0
    notices: int = 0


def _flag(dossier: Dossier, old: list[str], new: str) -> bool:
    return bool(
        Dossier.objects.filter(
            pk=dossier.pk, deadline_flag__in=old, version=dossier.version
        ).update(deadline_flag=new)
    )


def deadline_watch(*, now=None, batch: int = 500) -> WatchResult:
    now = now or timezone.now()
    result = WatchResult()
    base = Dossier.objects.filter(status__in=RUNNING).select_related(
        "handler", "handling_unit", "procedure_version"
    )
    overdue = base.filter(
        deadline_flag__in=[DeadlineFlag.OK, DeadlineFlag.NEARING], due_at__lte=now
    ).order_by("due_at")[:batch]
    for dossier in overdue:
        with transaction.atomic():
            if not _flag(dossier, [DeadlineFlag.OK, DeadlineFlag.NEARING], DeadlineFlag.OVERDUE):
                continue
            result.overdue += 1
            result.notices += _notify(
                [dossier.handler, *_leaders_of(dossier.handling_unit)],
                dossier,
                f"overdue:{dossier.code}:{dossier.due_at.isoformat()}",
                f"Hồ sơ {dossier.code} ({dossier.procedure_version.name}) đã quá hạn "
                f"{_fmt(dossier.due_at)}.",
            )
    nearing = base.filter(deadline_flag=DeadlineFlag.OK, warn_at__lte=now, due_at__gt=now).order_by(
        "due_at"
    )[:batch]
    for dossier in nearing:
        with transaction.atomic():
            if not _flag(dossier, [DeadlineFlag.OK], DeadlineFlag.NEARING):
                continue
            result.nearing += 1
            result.notices += _notify(
                [dossier.handler, *_leaders_of(dossier.handling_unit)],
                dossier,
                f"nearing:{dossier.code}:{dossier.due_at.isoformat()}",
                f"Hồ sơ {dossier.code} ({dossier.procedure_version.name}) sắp đến hạn "
                f"{_fmt(dossier.due_at)}.",
            )
    return result
