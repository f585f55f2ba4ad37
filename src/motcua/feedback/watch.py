"""The feedback deadline watch, one tick of `motcua run-worker`: marks feedback nearing its due
(the answer's, then the publication's) or overdue, and tells the unit's leaders once.

Safe on several machines at once: each row moves from one flag to the next with a conditional
UPDATE that names the state and due it saw, so only one worker wins it."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from motcua.dossiers.services import _leaders_of, _notify
from motcua.feedback.models import WATCHED, DeadlineFlag, Feedback, State
from motcua.feedback.services import _fmt


@dataclass
class FeedbackWatchResult:
    nearing: int = 0
    overdue: int = 0
    notices: int = 0


def _flag(feedback: Feedback, old: list[str], new: str) -> bool:
    return bool(
        Feedback.objects.filter(
            pk=feedback.pk, state=feedback.state, due_at=feedback.due_at, deadline_flag__in=old
        ).update(deadline_flag=new)
    )


def _what(feedback: Feedback) -> str:
    return "công khai trả lời" if feedback.state == State.ANSWERED else "trả lời"


def feedback_watch(*, now=None, batch: int = 500) -> FeedbackWatchResult:
    now = now or timezone.now()
    result = FeedbackWatchResult()
    base = Feedback.objects.filter(state__in=WATCHED, due_at__isnull=False).select_related("unit")
    overdue = base.filter(
        deadline_flag__in=[DeadlineFlag.OK, DeadlineFlag.NEARING], due_at__lte=now
    ).order_by("due_at")[:batch]
    for feedback in overdue:
        with transaction.atomic():
            if not _flag(feedback, [DeadlineFlag.OK, DeadlineFlag.NEARING], DeadlineFlag.OVERDUE):
                continue
            result.overdue += 1
            result.notices += _notify(
                _leaders_of(feedback.unit),
                None,
                f"feedback-overdue:{feedback.code}:{feedback.state}",
                f"Phản ánh {feedback.code} đã quá hạn {_what(feedback)} {_fmt(feedback.due_at)}.",
            )
    nearing = base.filter(deadline_flag=DeadlineFlag.OK, warn_at__lte=now, due_at__gt=now).order_by(
        "due_at"
    )[:batch]
    for feedback in nearing:
        with transaction.atomic():
            if not _flag(feedback, [DeadlineFlag.OK], DeadlineFlag.NEARING):
                continue
            result.nearing += 1
            result.notices += _notify(
                _leaders_of(feedback.unit),
                None,
                f"feedback-nearing:{feedback.code}:{feedback.state}",
                f"Phản ánh {feedback.code} sắp đến hạn {_what(feedback)} {_fmt(feedback.due_at)}.",
            )
    return result
