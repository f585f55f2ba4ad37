"""Deliberately naive reference for working-time arithmetic: one minute at a time.

It shares nothing with motcua.worktime.core but the Calendar's public data (``weekly``,
``holidays``, ``days_off``, ``makeup_days``, ``makeup_sessions``): no tables, no caches, no
bisect. Every question "is this minute working time?" is answered from scratch, through
``zoneinfo`` and ``datetime``. Slow on purpose, obviously right on purpose.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MINUTE = timedelta(minutes=1)


def to_local_minute(t: datetime) -> datetime:
    """``t`` in Vietnamese time, truncated to the minute."""
    if t.tzinfo is None:
        raise ValueError("naive datetime")
    return t.astimezone(VN).replace(second=0, microsecond=0)


def sessions_of(cal, day: date):
    if day in cal.holidays or day in cal.days_off:
        return ()
    if day in cal.makeup_days:
        return cal.makeup_sessions
    return cal.weekly[day.weekday()]


def is_working_minute(cal, t: datetime) -> bool:
    """Whether the minute [t, t + 1 min) is inside a session (t in Vietnamese time)."""
    minute_of_day = t.hour * 60 + t.minute
    return any(start <= minute_of_day < end for start, end in sessions_of(cal, t.date()))


def is_working_day(cal, day: date) -> bool:
    return len(sessions_of(cal, day)) > 0


def is_session_end(cal, t: datetime) -> bool:
    """Whether the minute just before ``t`` is working and ``t`` itself is not."""
    return is_working_minute(cal, t - MINUTE) and not is_working_minute(cal, t)


def add_minutes(cal, start: datetime, n: int) -> datetime:
    t = to_local_minute(start)
    counted = 0
    while counted < n:
        if is_working_minute(cal, t):
            counted += 1
        t += MINUTE
    return t


def next_working(cal, start: datetime) -> datetime:
    t = to_local_minute(start)
    while not is_working_minute(cal, t):
        t += MINUTE
    return t


def add_days(cal, start: datetime, n: int) -> datetime:
    t = day_rule(cal, start, n)
    # A session start is given as the end of the previous session: step back over the gap.
    while not is_working_minute(cal, t - MINUTE):
        t -= MINUTE
    return t


def day_rule(cal, start: datetime, n: int) -> datetime:
    """The same clock time on the N-th working day, before moving a session start back."""
    s = next_working(cal, start)
    day = s.date()
    found = 0
    while found < n:
        day += timedelta(days=1)
        if is_working_day(cal, day):
            found += 1
    clock = s.hour * 60 + s.minute
    midnight = datetime(day.year, day.month, day.day, tzinfo=VN)
    last_end = None
    for minute_of_day in range(0, 1441):
        t = midnight + timedelta(minutes=minute_of_day)
        # "session end" on this day: the minute before is a working minute of this day.
        ends_here = minute_of_day > 0 and is_working_minute(cal, t - MINUTE)
        if ends_here and not (minute_of_day < 1440 and is_working_minute(cal, t)):
            last_end = t
        if minute_of_day >= clock:
            working_here = minute_of_day < 1440 and is_working_minute(cal, t)
            if working_here or ends_here:
                return t
    assert last_end is not None
    return last_end


def add(cal, start: datetime, duration) -> datetime:
    if duration.unit == "m":
        return add_minutes(cal, start, duration.value)
    if duration.unit == "h":
        return add_minutes(cal, start, duration.value * 60)
    return add_days(cal, start, duration.value)


def working_minutes_between(cal, a: datetime, b: datetime) -> int:
    t = to_local_minute(a)
    end = to_local_minute(b)
    count = 0
    while t < end:
        count += is_working_minute(cal, t)
        t += MINUTE
    return count


def is_working_time(cal, t: datetime) -> bool:
    return is_working_minute(cal, to_local_minute(t))
