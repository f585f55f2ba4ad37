"""The working-day timers of section 9, computed on the supervising commune's calendar.

All "N working days" go through motcua.worktime (a start outside hours moves to the next
session; a due that lands on a session start is the end of the previous session)."""

from datetime import date, datetime, timedelta

from motcua.worktime.core import VN_TZ, Calendar, add, next_working_instant

ASSIGN_DAYS = 3  # officer assigned and supervision started after the file arrives
REPORT_DAYS = 3  # reception reported upward
PLAN_DAYS = 5  # supervision plan after reception
WINDOW_DAYS = 5  # monthly check-in and assessment windows: the first 5 working days
REVIEW_DAYS = 5  # review meeting after a violation
HANDBACK_DAYS = 3  # file handed back before the term ends


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=VN_TZ)


def _day_end(cal: Calendar, day: date) -> datetime:
    return _midnight(day) + timedelta(minutes=cal.sessions_on(day)[-1][1])


def after(cal: Calendar, start: datetime, days: int) -> datetime:
    return add(cal, start, f"{days}d")


def window(cal: Calendar, month: date) -> tuple[datetime, datetime]:
    """The first WINDOW_DAYS working days of a month: (opens, due)."""
    opens = next_working_instant(cal, _midnight(month.replace(day=1)))
    return opens, add(cal, opens, f"{WINDOW_DAYS}d")


def handback_due(cal: Calendar, end_on: date) -> datetime:
    """End of the HANDBACK_DAYS-th working day before the last day of the term."""
    day, left = end_on, HANDBACK_DAYS
    while left:
        day -= timedelta(days=1)
        if cal.is_working_day(day):
            left -= 1
    return _day_end(cal, day)


def completion_due(cal: Calendar, end_on: date) -> datetime:
    """The certificate is issued on the last day, or the first working day after it when the
    term ends on a day off (never before the term is over)."""
    day = end_on
    while not cal.is_working_day(day):
        day += timedelta(days=1)
    return _day_end(cal, day)


def months(first: date, last: date):
    """The first day of each month from `first`'s month to `last`'s month, both included."""
    month = first.replace(day=1)
    while month <= last:
        yield month
        month = (month + timedelta(days=32)).replace(day=1)
