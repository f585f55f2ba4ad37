"""Working time of a one-stop desk: calendars, deadlines and dossier clocks (pure Python).

No Django here: the Django layer stores calendars and clocks and calls these functions.
"""

from motcua.worktime.clock import Clock, PauseRecord
from motcua.worktime.core import (
    DEFAULT_SESSIONS,
    SATURDAY_MORNING,
    VN_TZ,
    Calendar,
    add,
    add_minutes,
    is_working_time,
    next_working_instant,
    working_minutes_between,
)
from motcua.worktime.durations import Duration, parse_duration

__all__ = [
    "DEFAULT_SESSIONS",
    "SATURDAY_MORNING",
    "VN_TZ",
    "Calendar",
    "Clock",
    "Duration",
    "PauseRecord",
    "add",
    "add_minutes",
    "is_working_time",
    "next_working_instant",
    "parse_duration",
    "working_minutes_between",
]
