"""The demo's feedback: on top of the demo history, made through the real services, once."""

from collections import Counter

import time_machine

from motcua.feedback import demo
from motcua.feedback.models import DeadlineFlag, Feedback
from tests.dossiers.test_demo_history import NOW, history  # noqa: F401


def test_it_seeds_feedback_in_every_state_once(history):  # noqa: F811
    with time_machine.travel(NOW, tick=False):
        assert demo.seed() == 14
        assert demo.seed() == 0
    for unit in ("VINHPHU", "THANHVINH"):
        rows = Feedback.objects.filter(unit__code=unit)
        assert Counter(rows.values_list("state", flat=True)) == {
            "published": 2,
            "rejected": 1,
            "info_received": 1,
            "answered": 1,
            "received": 2,
        }
        assert rows.filter(subject="dossier").count() == 3
        # Answered after 4 and 3 working days (on time), the other after 18 (late).
        assert sorted(
            rows.exclude(answered_on_time=None).values_list("answered_on_time", flat=True)
        ) == [False, True, True]
        assert Counter(rows.exclude(satisfied=None).values_list("satisfied", flat=True)) == {
            True: 1,
            False: 1,
        }
        # Filed 26 days ago and never answered: past its 15 working days.
        assert rows.filter(state="received", deadline_flag=DeadlineFlag.OVERDUE).count() == 1
