"""The sentence timers' watch: flags open tasks whose due instant has passed.

One conditional UPDATE over the indexed due column: safe on several workers at once and any
number of times (a task is flagged once; nothing is flagged twice)."""

from django.utils import timezone

from motcua.sentences.models import Task


def sentence_watch(*, now=None) -> int:
    now = now or timezone.now()
    return Task.objects.filter(is_open=True, overdue=False, due_at__lte=now).update(overdue=True)
