"""Properties of the working-time core, checked against the minute-by-minute reference.

Random calendars (random sessions per weekday, random holidays, days off and make-up days) and
random instants in a window around Tết 2026, in random timezones; plus the real Vietnamese
calendar over 2024-2027. Durations are bounded by the calendar's weekly working minutes so the
naive reference stays fast.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.worktime.clock import Clock
from motcua.worktime.core import (
    DEFAULT_SESSIONS,
    SATURDAY_MORNING,
    VN_TZ,
    Calendar,
    add,
    is_working_time,
    next_working_instant,
    working_minutes_between,
)
from motcua.worktime.durations import Duration
from motcua.worktime.vietnam import default_calendar
from tests.worktime import naive

FAST = settings(max_examples=200, deadline=None)
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WINDOW_START = datetime(2025, 12, 1, tzinfo=VN_TZ)
WINDOW_DAYS = 150
TIMEZONES = [
    VN_TZ,
    UTC,
    timezone(timedelta(hours=9)),
    timezone(timedelta(hours=-5, minutes=-30)),
]


@cache
def vn_calendar() -> Calendar:
    return default_calendar()


# --------------------------------------------------------------------------- strategies


@st.composite
def random_sessions(draw) -> tuple[tuple[int, int], ...]:
    k = draw(st.integers(0, 3))
    # A coarse grid makes clock times of one day often meet session ends of another.
    grid = draw(st.sampled_from([1, 30, 120]))
    points = st.integers(0, 1440 // grid).map(lambda i: i * grid)
    bounds = sorted(draw(st.lists(points, min_size=2 * k, max_size=2 * k, unique=True)))
    return tuple(zip(bounds[::2], bounds[1::2], strict=True))


day_sessions = st.one_of(
    st.just(DEFAULT_SESSIONS), st.just(SATURDAY_MORNING), st.just(()), random_sessions()
)
window_dates = st.integers(0, WINDOW_DAYS).map(lambda i: WINDOW_START.date() + timedelta(days=i))


@st.composite
def random_calendars(draw) -> Calendar:
    weekly = draw(st.lists(day_sessions, min_size=7, max_size=7).filter(any))
    holidays = draw(st.sets(window_dates, max_size=20))
    days_off = draw(st.sets(window_dates, max_size=5))
    makeup = draw(st.sets(window_dates, max_size=8)) - holidays - days_off
    makeup_sessions = draw(st.one_of(st.none(), random_sessions().filter(bool)))
    return Calendar(
        weekly,
        holidays={d: "holiday" for d in holidays},
        days_off={d: "off" for d in days_off},
        makeup_days={d: "make-up" for d in makeup},
        makeup_sessions=makeup_sessions,
    )


calendars = st.one_of(random_calendars(), st.builds(vn_calendar))


@st.composite
def instants(draw, start: datetime = WINDOW_START, days: int = WINDOW_DAYS) -> datetime:
    minute = draw(st.integers(0, days * 1440 - 1))
    if draw(st.booleans()):
        minute -= minute % 30  # on the half hour, like many session boundaries
    second = draw(st.sampled_from([0, 0, 0, 30, 59]))
    t = start + timedelta(minutes=minute, seconds=second)
    return t.astimezone(draw(st.sampled_from(TIMEZONES)))


def weekly_minutes(cal: Calendar) -> int:
    return sum(e - s for day in cal.weekly for s, e in day)


@st.composite
def durations(draw, cal: Calendar, units: str = "mhd") -> Duration:
    """Durations that keep the naive reference within a few weeks of scanning."""
    unit = draw(st.sampled_from(units))
    budget = min(3000, 2 * weekly_minutes(cal))
    if unit == "m":
        return Duration(draw(st.integers(1, budget)), "m")
    if unit == "h":
        return Duration(draw(st.integers(1, max(1, budget // 60))), "h")
    return Duration(draw(st.integers(1, 10)), "d")


MINUTE = timedelta(minutes=1)

# --------------------------------------------------------------------------- add


@SLOW
@given(data=st.data(), cal=calendars, start=instants())
def test_it_adds_like_the_naive_reference(data, cal, start):
    duration = data.draw(durations(cal))
    assert add(cal, start, duration) == naive.add(cal, start, duration)


@settings(max_examples=300, deadline=None)
@given(cal=calendars, start=instants(), n=st.integers(1, 10))
def test_it_adds_working_days_like_the_naive_reference(cal, start, n):
    # The naive day rule scans days, not minutes, so it can afford many more examples; they are
    # needed to meet the rare case of a clock time that is a session end on day N.
    assert add(cal, start, Duration(n, "d")) == naive.add_days(cal, start, n)


# Starts spread over 2024-2027, and starts close to the breaks that matter.
SPECIAL_DAYS = [
    date(2024, 2, 7),
    date(2024, 4, 26),
    date(2025, 1, 24),
    date(2025, 4, 25),
    date(2025, 12, 31),
    date(2026, 1, 9),
    date(2026, 2, 13),
    date(2026, 8, 21),
    date(2026, 8, 28),
    date(2026, 11, 23),
    date(2027, 2, 3),
]
real_starts = st.one_of(
    instants(datetime(2024, 1, 1, tzinfo=VN_TZ), 4 * 366),
    st.sampled_from(SPECIAL_DAYS).flatmap(
        lambda d: instants(datetime(d.year, d.month, d.day, tzinfo=VN_TZ), 3)
    ),
)


@SLOW
@given(start=real_starts, value=st.integers(1, 30), unit=st.sampled_from("mhd"))
def test_it_adds_like_the_naive_reference_on_the_real_calendar(start, value, unit):
    duration = Duration(value * 100 if unit == "m" else value, unit)
    cal = vn_calendar()
    assert add(cal, start, duration) == naive.add(cal, start, duration)


@FAST
@given(cal=calendars, start=instants(), n=st.integers(1, 20_000))
def test_it_gives_the_duration_back_when_measured(cal, start, n):
    due = add(cal, start, Duration(n, "m"))
    assert working_minutes_between(cal, start, due) == n
    assert working_minutes_between(cal, start, due - MINUTE) == n - 1


@FAST
@given(cal=calendars, start=instants(), t=instants())
def test_it_finds_the_earliest_instant_with_enough_working_minutes(cal, start, t):
    # Every instant t after which n working minutes have elapsed is at or after add(start, n):
    # in particular a due at a session end is not pushed to the next session start.
    n = working_minutes_between(cal, start, t)
    if n > 0:
        assert add(cal, start, Duration(n, "m")) <= t


@FAST
@given(cal=calendars, start=instants(), hours=st.integers(1, 300))
def test_it_gives_hours_back_as_minutes(cal, start, hours):
    due = add(cal, start, Duration(hours, "h"))
    assert due == add(cal, start, Duration(hours * 60, "m"))
    assert working_minutes_between(cal, start, due) == hours * 60


@FAST
@given(
    cal=calendars,
    start=instants(),
    unit=st.sampled_from("mhd"),
    a=st.integers(1, 3000),
    b=st.integers(1, 3000),
)
def test_it_is_strictly_monotonic_in_duration(cal, start, unit, a, b):
    if unit == "d":
        a, b = a % 40 + 1, b % 40 + 1
    lo, hi = sorted((a, b))
    due_lo, due_hi = add(cal, start, Duration(lo, unit)), add(cal, start, Duration(hi, unit))
    assert due_lo <= due_hi
    if unit != "d" or uniform(cal):
        assert (due_lo < due_hi) == (lo < hi)
    # else: day N closed before the clock time and day N+1 opens at it: the same working instant.
    assert due_lo > start


def uniform(cal: Calendar) -> bool:
    """Whether every working day has the same sessions (holidays aside)."""
    patterns = {s for s in cal.weekly if s}
    if cal.makeup_days:
        patterns.add(cal.makeup_sessions)
    return len(patterns) == 1


@FAST
@given(cal=calendars, start=instants(), unit=st.sampled_from("mhd"), value=st.integers(1, 3000))
def test_it_always_lands_on_working_time_or_a_session_end(cal, start, unit, value):
    if unit == "d":
        value = value % 40 + 1
    due = add(cal, start, Duration(value, unit))
    assert due.tzinfo is VN_TZ and due.second == 0 and due.microsecond == 0
    # Never on a session start: the minute before a due is always working time.
    assert naive.is_working_minute(cal, due - MINUTE)


# --------------------------------------------------------------------------- measuring


@SLOW
@given(cal=calendars, a=instants(), span=st.integers(-1440, 14 * 1440))
def test_it_measures_like_the_naive_reference(cal, a, span):
    b = a + timedelta(minutes=span, seconds=span % 7)
    assert working_minutes_between(cal, a, b) == naive.working_minutes_between(cal, a, b)


@FAST
@given(cal=calendars, a=instants(), b=instants(), c=instants())
def test_it_measures_additively(cal, a, b, c):
    a, b, c = sorted((a, b, c))
    whole = working_minutes_between(cal, a, c)
    assert whole == working_minutes_between(cal, a, b) + working_minutes_between(cal, b, c)
    assert working_minutes_between(cal, c, a) == 0


@FAST
@given(cal=calendars, t=instants())
def test_it_knows_working_time_like_the_naive_reference(cal, t):
    assert is_working_time(cal, t) == naive.is_working_time(cal, t)


@SLOW
@given(cal=calendars, t=instants())
def test_it_finds_the_next_working_instant_like_the_naive_reference(cal, t):
    found = next_working_instant(cal, t)
    expected = naive.next_working(cal, t)
    if is_working_time(cal, t):
        assert found == t
    else:
        assert found == expected


# --------------------------------------------------------------------------- the clock


@SLOW
@given(
    data=st.data(),
    cal=calendars,
    start=instants(),
    run=st.integers(0, 5 * 1440),
    pause=st.integers(0, 60 * 1440),
    after=st.integers(0, 5 * 1440),
)
def test_it_never_changes_consumed_minutes_while_paused(data, cal, start, run, pause, after):
    duration = data.draw(durations(cal, units="mh"))
    clock = Clock(duration).start(cal, start)
    paused_at = start + timedelta(minutes=run)
    resumed_at = paused_at + timedelta(minutes=pause)
    later = resumed_at + timedelta(minutes=after)
    ran = naive.working_minutes_between(cal, start, paused_at)

    clock.pause(cal, paused_at, "chờ bổ sung")
    assert clock.consumed == ran
    assert clock.consumed_at(cal, resumed_at) == ran
    clock.resume(cal, resumed_at)
    assert clock.consumed_at(cal, resumed_at) == ran
    assert clock.consumed_at(cal, later) == ran + naive.working_minutes_between(
        cal, resumed_at, later
    )
    total = duration.working_minutes(cal)
    if ran < total:
        assert clock.consumed_at(cal, clock.due) == total
        assert clock.consumed_at(cal, clock.due - MINUTE) == total - 1
    else:
        assert clock.due == clock.original_due
    assert Clock.from_dict(clock.to_dict()) == clock
