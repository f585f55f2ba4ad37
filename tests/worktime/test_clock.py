"""The dossier clock: start, pause, continue or restart, extend once, stop, store."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from motcua.worktime.clock import Clock
from motcua.worktime.core import VN_TZ, Calendar
from motcua.worktime.durations import Duration

CAL = Calendar()  # Monday-Friday 07:30-11:30, 13:30-17:00; March 2026 has no holiday


def vn(d: int, h: int, mi: int = 0) -> datetime:
    """An instant in March 2026 (Mon 2, Tue 3, Wed 4, Thu 5, Fri 6, Mon 9)."""
    return datetime(2026, 3, d, h, mi, tzinfo=VN_TZ)


def started(duration: str = "180m", at: datetime | None = None) -> Clock:
    return Clock(Duration.parse(duration)).start(CAL, at or vn(2, 8))


def test_it_sets_the_original_due_at_start():
    clock = started()
    assert clock.state == "running"
    assert clock.due == clock.original_due == vn(2, 11)
    assert clock.total_minutes == 180
    assert clock.consumed_at(CAL, vn(2, 9)) == 60
    assert clock.consumed_at(CAL, vn(2, 11)) == 180
    assert clock.consumed_at(CAL, vn(2, 12)) == 210  # the clock runs on past the due
    assert clock.remaining_at(CAL, vn(2, 14)) == -60


def test_it_counts_a_working_day_as_full_day_minutes():
    # Lunch: the clock starts at 13:30; day 2 would open at 13:30 on Wednesday, which is given
    # as the end of the morning session before it.
    clock = started("2d", vn(2, 12))
    assert clock.due == vn(4, 11, 30)
    assert clock.total_minutes == 900


def test_it_keeps_consumed_minutes_through_a_pause_and_continues():
    clock = started()
    clock.pause(CAL, vn(2, 9), "chờ bổ sung")
    assert clock.consumed == 60
    assert clock.consumed_at(CAL, vn(9, 10)) == 60  # a week later, still 60
    clock.resume(CAL, vn(4, 14))
    assert clock.consumed_at(CAL, vn(4, 14)) == 60
    assert clock.due == vn(4, 16)  # 120 minutes left from Wed 14:00
    assert clock.original_due == vn(2, 11)
    assert clock.consumed_at(CAL, clock.due) == 180
    [record] = clock.pauses
    assert (record.reason, record.start, record.end, record.restarted) == (
        "chờ bổ sung",
        vn(2, 9),
        vn(4, 14),
        False,
    )


def test_it_restarts_from_zero_after_a_supplement_request():
    clock = started()
    clock.pause(CAL, vn(2, 9), "yêu cầu bổ sung hồ sơ")
    clock.resume(CAL, vn(4, 14), restart=True)
    assert clock.consumed_at(CAL, vn(4, 14)) == 0
    assert clock.due == vn(4, 17)  # the full 180 minutes from Wed 14:00 end at the session end
    assert clock.original_due == vn(2, 11)
    assert clock.restart_count == 1


def test_it_restarts_a_day_based_clock_with_the_day_rule():
    clock = started("1d", vn(2, 8))
    assert clock.due == vn(3, 8)
    clock.pause(CAL, vn(2, 9), "bổ sung")
    clock.resume(CAL, vn(4, 10), restart=True)
    assert clock.due == vn(5, 10)
    # Continuing instead uses the remaining minutes: 450 - 60 = 390 from Wed 10:00.
    other = started("1d", vn(2, 8)).pause(CAL, vn(2, 9), "phí").resume(CAL, vn(4, 10))
    assert other.due == vn(5, 9)  # Wed 300 minutes, then 90 on Thursday


def test_it_moves_the_due_only_once_and_keeps_it_through_later_pauses():
    clock = started()
    clock.pause(CAL, vn(2, 9), "bổ sung").resume(CAL, vn(4, 14), restart=True)
    assert clock.due == vn(4, 17)
    clock.extend(CAL, vn(6, 10))  # apology: Wed 17:00 -> Fri 10:00, 600 working minutes later
    assert clock.extension == clock.due == vn(6, 10)
    assert clock.extra_minutes == 600
    with pytest.raises(ValueError, match="only once"):
        clock.extend(CAL, vn(9, 10))
    clock.pause(CAL, vn(5, 8), "chờ phí").resume(CAL, vn(5, 10))
    assert clock.due == vn(6, 14)  # the 2 working hours of the pause push the due by 2 hours
    assert clock.original_due == vn(2, 11)
    assert clock.extension == vn(6, 10)


def test_it_rejects_an_extension_that_is_not_later():
    clock = started()
    with pytest.raises(ValueError, match="not after"):
        clock.extend(CAL, vn(2, 11))


def test_it_keeps_the_due_of_a_dossier_already_late_when_paused():
    clock = started()
    clock.pause(CAL, vn(3, 9), "chờ phí")  # 450 - 30 + 90 consumed: late
    clock.resume(CAL, vn(4, 9))
    assert clock.due == vn(2, 11)
    assert clock.remaining_at(CAL, vn(4, 9)) < 0


def test_it_stops_and_freezes_consumed_minutes():
    clock = started()
    clock.stop(CAL, vn(2, 10))
    assert clock.state == "stopped"
    assert clock.consumed_at(CAL, vn(9, 10)) == 120
    with pytest.raises(ValueError):
        clock.resume(CAL, vn(3, 8))
    paused = started().pause(CAL, vn(2, 9), "x").stop(CAL, vn(3, 9))
    assert paused.pauses[-1].end == vn(3, 9)
    assert paused.consumed == 60


def test_it_rejects_bad_transitions_and_instants():
    clock = Clock(Duration(180, "m"))
    with pytest.raises(ValueError):
        clock.pause(CAL, vn(2, 9), "x")
    with pytest.raises(ValueError, match="naive"):
        clock.start(CAL, datetime(2026, 3, 2, 8, 0))
    clock.start(CAL, vn(2, 8))
    with pytest.raises(ValueError):
        clock.start(CAL, vn(2, 9))
    with pytest.raises(ValueError):
        clock.resume(CAL, vn(2, 9))
    with pytest.raises(ValueError, match="before"):
        clock.pause(CAL, vn(2, 7), "x")


def test_it_round_trips_through_json():
    clock = started()
    clock.pause(CAL, vn(2, 9), "chờ bổ sung").resume(CAL, vn(4, 14), restart=True)
    clock.extend(CAL, vn(6, 10))
    clock.pause(CAL, vn(5, 8), "chờ phí")
    data = json.loads(json.dumps(clock.to_dict()))
    assert data["duration"] == "180m"
    assert data["pauses"][0]["from"] == "2026-03-02T02:00:00+00:00"  # stored in UTC
    assert data["pauses"][1]["to"] is None
    back = Clock.from_dict(data)
    assert back == clock
    assert back.due.tzinfo is VN_TZ
    back.resume(CAL, vn(5, 10))
    assert back.due == vn(6, 14)


def test_it_accepts_instants_in_any_timezone():
    clock = Clock(Duration(180, "m")).start(CAL, datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    assert clock.due == vn(2, 11)


def test_it_rejects_unknown_schema_versions():
    data = started().to_dict()
    data["version"] = 99
    with pytest.raises(ValueError, match="version"):
        Clock.from_dict(data)


def test_the_legal_due_ignores_the_extension_but_follows_pauses_and_restarts():
    clock = started()  # due 11:00 Monday
    clock.pause(CAL, vn(2, 9), "chờ phí").resume(CAL, vn(2, 10))  # 60 used, 120 left at 10:00
    assert clock.legal_due == clock.due == vn(2, 14)  # 90 minutes to 11:30, 30 from 13:30
    clock.extend(CAL, vn(4, 10))
    assert (clock.due, clock.legal_due) == (vn(4, 10), vn(2, 14))
    assert clock.legal_remaining_at(CAL, vn(2, 14, 30)) == -30  # late by law at 14:30
    assert clock.remaining_at(CAL, vn(2, 14, 30)) > 0  # though before the appointment
    clock.pause(CAL, vn(3, 8), "bổ sung").resume(CAL, vn(3, 9), restart=True)
    assert clock.legal_due == clock.due == vn(3, 14)  # 180 minutes from 09:00 again
    assert Clock.from_dict(json.loads(json.dumps(clock.to_dict()))).legal_due == vn(3, 14)


def test_a_clock_stored_before_the_legal_due_was_kept_reads_its_due():
    data = started().to_dict()
    del data["legal_due"]
    assert Clock.from_dict(data).legal_due == vn(2, 11)
