"""Hand-worked examples of the working-time rules (domain spec section 4)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import cache

import pytest

from motcua.worktime import swaps
from motcua.worktime.core import (
    VN_TZ,
    Calendar,
    add,
    add_minutes,
    is_working_time,
    next_working_instant,
    normalize_sessions,
    working_minutes_between,
)
from motcua.worktime.durations import Duration, parse_duration
from motcua.worktime.vietnam import default_calendar, vietnam_holidays, vietnam_makeup_days


@cache
def vn_calendar() -> Calendar:
    return default_calendar()


def vn(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=VN_TZ)


# --------------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [("180m", 180, "m"), ("8h", 8, "h"), ("3d", 3, "d"), (" 45 M ", 45, "m"), ("30D", 30, "d")],
)
def test_it_parses_durations(text, value, unit):
    assert parse_duration(text) == Duration(value, unit)
    assert str(Duration.parse(text)) == f"{value}{unit}"


@pytest.mark.parametrize(
    "text", ["90", "", "m", "0m", "-5m", "+5m", "1.5h", "3 days", "3w", "5mh", "١٢m", "3d4h"]
)
def test_it_rejects_invalid_durations_with_a_clear_message(text):
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


def test_it_rejects_non_positive_or_odd_duration_values():
    with pytest.raises(ValueError):
        Duration(0, "m")
    with pytest.raises(ValueError):
        Duration(True, "m")
    with pytest.raises(ValueError):
        Duration(5, "s")  # type: ignore[arg-type]


def test_it_counts_a_working_day_as_the_full_day_minutes():
    cal = Calendar()
    assert cal.full_day_minutes == 450
    assert Duration(3, "d").working_minutes(cal) == 1350
    assert Duration(2, "h").working_minutes(cal) == 120


# --------------------------------------------------------------------------- calendar


def test_it_normalizes_sessions_in_any_accepted_form():
    expected = ((450, 690), (810, 1020))
    assert normalize_sessions("13:30-17:00, 07:30-11:30") == expected
    assert normalize_sessions([(time(7, 30), time(11, 30)), ("13:30", "17:00")]) == expected
    assert normalize_sessions([(450, 690), (810, 1020)]) == expected
    assert normalize_sessions(["07:30-09:00", "09:00-11:30"]) == ((450, 690),)  # touching: merged


@pytest.mark.parametrize(
    "bad",
    [["07:30-11:30", "11:00-12:00"], ["11:30-07:30"], ["25:00-26:00"], ["7h-8h"], [(1, 2, 3)]],
)
def test_it_rejects_invalid_sessions(bad):
    with pytest.raises(ValueError):
        normalize_sessions(bad)


def test_it_rejects_a_date_that_is_both_off_and_a_make_up_day():
    with pytest.raises(ValueError, match="make-up"):
        Calendar(holidays={date(2026, 1, 10): "x"}, makeup_days={date(2026, 1, 10): "y"})


def test_it_rejects_datetimes_as_holiday_keys():
    with pytest.raises(ValueError):
        Calendar(holidays={datetime(2026, 1, 1): "x"})


def test_it_is_immutable_and_hashes_by_value():
    a = Calendar(holidays={date(2026, 1, 1): "Tết Dương lịch"})
    b = Calendar(holidays={date(2026, 1, 1): "Tết Dương lịch"})
    assert a == b and hash(a) == hash(b)
    assert a != Calendar()
    assert len({a, b}) == 1
    with pytest.raises(AttributeError):
        a.holidays = {}  # type: ignore[misc]
    assert a.replace(holidays={}) == Calendar()


def test_it_uses_weekday_sessions_on_a_make_up_saturday():
    cal = vn_calendar()
    assert cal.sessions_on(date(2026, 1, 10)) == ((450, 690), (810, 1020))
    assert cal.sessions_on(date(2026, 1, 17)) == ()
    assert cal.sessions_on(date(2026, 1, 2)) == ()


# --------------------------------------------------------------------------- instants


def test_it_rejects_naive_datetimes():
    cal = Calendar()
    naive = datetime(2026, 3, 2, 9, 0)
    with pytest.raises(ValueError, match="naive"):
        add(cal, naive, "1d")
    with pytest.raises(ValueError, match="naive"):
        working_minutes_between(cal, naive, vn(2026, 3, 3))
    with pytest.raises(ValueError, match="naive"):
        is_working_time(cal, naive)
    with pytest.raises(ValueError, match="naive"):
        next_working_instant(cal, naive)


def test_it_rejects_dates_that_are_not_datetimes():
    with pytest.raises(TypeError):
        add(Calendar(), date(2026, 3, 2), "1d")  # type: ignore[arg-type]


def test_it_accepts_any_timezone_and_answers_in_vietnamese_time():
    cal = vn_calendar()
    utc = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # 16:00 in Hà Nội
    due = add(cal, utc, "180m")
    assert due == vn(2026, 11, 30, 9, 30)
    assert due.tzinfo is VN_TZ
    assert due.utcoffset() == timedelta(hours=7)
    tokyo = datetime(2026, 11, 27, 18, 0, tzinfo=timezone(timedelta(hours=9)))
    assert add(cal, tokyo, "180m") == due


def test_it_truncates_instants_to_the_minute():
    cal = Calendar()
    assert add(cal, vn(2026, 3, 2, 9, 0, 59), "60m") == vn(2026, 3, 2, 10, 0)
    assert working_minutes_between(cal, vn(2026, 3, 2, 9, 0, 30), vn(2026, 3, 2, 9, 1, 10)) == 1


# --------------------------------------------------------------------------- the spec's cases


def test_it_ends_7_working_days_from_a_morning_opening_at_the_close_of_the_day_before():
    # Domain spec section 4 [decision, 2026-12]: received Wed 2 Dec 2026 07:30; working days
    # Thu 3, Fri 4, Mon 7, Tue 8, Wed 9, Thu 10, Fri 11 Dec: the 7th opens at 07:30 on Friday,
    # the same working instant as 17:00 on Thursday, which is what is stored and printed.
    cal = vn_calendar()
    assert date(2026, 12, 2).weekday() == 2
    due = add(cal, vn(2026, 12, 2, 7, 30), "7d")
    assert due == vn(2026, 12, 10, 17, 0)
    assert working_minutes_between(cal, vn(2026, 12, 2, 7, 30), due) == 7 * 450
    assert working_minutes_between(cal, due, vn(2026, 12, 11, 7, 30)) == 0


def test_it_ends_1_working_day_from_an_afternoon_opening_at_11_30_the_next_working_day():
    cal = vn_calendar()
    assert add(cal, vn(2026, 12, 2, 13, 30), "1d") == vn(2026, 12, 3, 11, 30)
    # Over a weekend: Friday 13:30 -> Monday 11:30.
    assert add(cal, vn(2026, 12, 4, 13, 30), "1d") == vn(2026, 12, 7, 11, 30)
    # One minute later is no longer a session start on day N.
    assert add(cal, vn(2026, 12, 2, 13, 31), "1d") == vn(2026, 12, 3, 13, 31)


def test_it_carries_180_minutes_from_friday_afternoon_to_monday_morning():
    # 2026-11-27 is a Friday: 60 minutes on Friday, 120 on Monday from 07:30.
    assert date(2026, 11, 27).weekday() == 4
    assert add(vn_calendar(), vn(2026, 11, 27, 16, 0), "180m") == vn(2026, 11, 30, 9, 30)
    assert add(vn_calendar(), vn(2026, 11, 27, 16, 0), "3h") == vn(2026, 11, 30, 9, 30)


def test_it_counts_a_dossier_received_at_lunch_from_13_30():
    cal = vn_calendar()
    assert add(cal, vn(2026, 3, 4, 12, 0), "60m") == vn(2026, 3, 4, 14, 30)
    # 1 working day from 13:30 is 13:30 the next day, a session start: given as 11:30.
    assert add(cal, vn(2026, 3, 4, 12, 0), "1d") == vn(2026, 3, 5, 11, 30)
    assert working_minutes_between(cal, vn(2026, 3, 4, 11, 0), vn(2026, 3, 4, 14, 0)) == 60


def test_it_skips_tet_2026():
    cal = vn_calendar()
    # Official schedule: civil servants off Mon 16 - Fri 20 Feb 2026 (break Sat 14 - Sun 22).
    for day in range(16, 21):
        assert not cal.is_working_day(date(2026, 2, day)), day
    assert cal.is_working_day(date(2026, 2, 13)) and cal.is_working_day(date(2026, 2, 23))
    assert add(cal, vn(2026, 2, 13, 16, 0), "180m") == vn(2026, 2, 23, 9, 30)
    assert add(cal, vn(2026, 2, 13, 10, 0), "3d") == vn(2026, 2, 25, 10, 0)
    # Received during Tết: the clock starts Mon 23 Feb 07:30; Tue 07:30 is given as Mon 17:00.
    assert add(cal, vn(2026, 2, 18, 9, 0), "1d") == vn(2026, 2, 23, 17, 0)
    assert working_minutes_between(cal, vn(2026, 2, 13, 17, 0), vn(2026, 2, 23, 7, 30)) == 0


def test_it_skips_the_2026_national_day_break_and_works_the_make_up_saturday():
    cal = vn_calendar()
    # Mon 31 Aug off (made up on Sat 22 Aug), Tue 1 and Wed 2 Sep National Day.
    assert add(cal, vn(2026, 8, 21, 16, 0), "180m") == vn(2026, 8, 22, 9, 30)
    assert add(cal, vn(2026, 8, 21, 10, 0), "1d") == vn(2026, 8, 22, 10, 0)
    assert add(cal, vn(2026, 8, 28, 10, 0), "1d") == vn(2026, 9, 3, 10, 0)
    assert add(cal, vn(2026, 8, 28, 16, 0), "120m") == vn(2026, 9, 3, 8, 30)
    assert is_working_time(cal, vn(2026, 8, 22, 14, 0))
    assert not is_working_time(cal, vn(2026, 8, 29, 9, 0))


def test_it_applies_the_2026_new_year_swap_that_the_package_misses():
    cal = vn_calendar()
    # Thu 1 Jan holiday, Fri 2 Jan off, made up on Sat 10 Jan.
    assert add(cal, vn(2025, 12, 31, 10, 0), "1d") == vn(2026, 1, 5, 10, 0)
    assert add(cal, vn(2026, 1, 9, 16, 0), "180m") == vn(2026, 1, 10, 9, 30)
    # With the package's data alone, Fri 2 Jan would be a working day.
    package_only = Calendar.standard(
        holidays=vietnam_holidays([2025, 2026]), makeup_days=vietnam_makeup_days([2025, 2026])
    )
    assert add(package_only, vn(2025, 12, 31, 10, 0), "1d") == vn(2026, 1, 2, 10, 0)


def test_it_keeps_a_due_that_lands_exactly_at_a_session_end():
    cal = vn_calendar()
    monday = (2026, 3, 2)
    assert add(cal, vn(*monday, 7, 30), "240m") == vn(*monday, 11, 30)
    assert add(cal, vn(*monday, 11, 0), "30m") == vn(*monday, 11, 30)
    assert add(cal, vn(*monday, 11, 0), "31m") == vn(*monday, 13, 31)
    assert add(cal, vn(*monday, 13, 30), "210m") == vn(*monday, 17, 0)
    assert add(cal, vn(*monday, 7, 30), "450m") == vn(*monday, 17, 0)


def test_it_distinguishes_8_working_hours_from_1_working_day():
    cal = vn_calendar()
    # The day has 450 working minutes: 8h = 480 min runs 30 minutes into Tuesday, while 1 working
    # day from 07:30 ends at Tuesday's opening, given as Monday's close: the same as 450m.
    assert add(cal, vn(2026, 3, 2, 7, 30), "8h") == vn(2026, 3, 3, 8, 0)
    assert add(cal, vn(2026, 3, 2, 7, 30), "1d") == vn(2026, 3, 2, 17, 0)
    assert add(cal, vn(2026, 3, 2, 7, 30), "450m") == vn(2026, 3, 2, 17, 0)
    # From any other clock time, 1d and 450m are the same amount of work and the same instant.
    assert add(cal, vn(2026, 3, 2, 9, 0), "1d") == vn(2026, 3, 3, 9, 0)
    assert add(cal, vn(2026, 3, 2, 9, 0), "450m") == vn(2026, 3, 3, 9, 0)


def test_it_moves_a_day_based_start_outside_hours_to_the_next_session():
    cal = vn_calendar()
    # The clock starts at the next 07:30, so day N's 07:30 is given as the close of the day before.
    assert add(cal, vn(2026, 3, 6, 17, 30), "1d") == vn(2026, 3, 9, 17, 0)  # Fri eve -> Mon
    assert add(cal, vn(2026, 3, 7, 9, 0), "2d") == vn(2026, 3, 10, 17, 0)  # Sat -> Mon -> Tue
    assert add(cal, vn(2026, 3, 2, 6, 0), "1d") == vn(2026, 3, 2, 17, 0)


def test_it_caps_a_day_based_due_at_the_close_of_a_shorter_day_n():
    cal = Calendar.standard(saturday_morning=True)
    friday = (2026, 3, 6)
    assert add(cal, vn(*friday, 10, 0), "1d") == vn(2026, 3, 7, 10, 0)
    assert add(cal, vn(*friday, 15, 0), "1d") == vn(2026, 3, 7, 11, 30)  # Saturday closes 11:30
    assert add(cal, vn(*friday, 15, 0), "2d") == vn(2026, 3, 9, 15, 0)
    assert add(cal, vn(2026, 3, 7, 9, 0), "1d") == vn(2026, 3, 9, 9, 0)  # Sat -> Mon


def test_it_gives_a_day_based_due_in_a_gap_of_day_n_as_the_end_of_the_session_before_it():
    # Tuesday has a longer lunch break: 11:45 on Monday falls in it; Tuesday's next working
    # instant, 13:30, is a session start, given as 11:30. A due that falls on a session end of
    # day N stays there.
    cal = Calendar({0: "07:30-12:00, 13:00-17:00", 1: "07:30-11:30, 13:30-17:00", 2: "07:30-12:00"})
    assert add(cal, vn(2026, 3, 2, 11, 45), "1d") == vn(2026, 3, 3, 11, 30)
    assert add(cal, vn(2026, 3, 2, 11, 30), "1d") == vn(2026, 3, 3, 11, 30)
    assert add(cal, vn(2026, 3, 2, 16, 0), "2d") == vn(2026, 3, 4, 12, 0)


def test_it_spans_year_ends_and_long_durations():
    cal = vn_calendar()
    # 30 working days from Mon 1 Dec 2025 08:00: 22 in December, then 1-2 Jan off, 5-9 Jan,
    # the make-up Saturday 10 Jan, 12 and 13 Jan.
    assert add(cal, vn(2025, 12, 1, 8, 0), "30d") == vn(2026, 1, 13, 8, 0)
    due = add(cal, vn(2025, 12, 1, 8, 0), Duration(30 * 450, "m"))
    assert working_minutes_between(cal, vn(2025, 12, 1, 8, 0), due) == 30 * 450
    assert due == vn(2026, 1, 13, 8, 0)


def test_it_measures_working_minutes():
    cal = vn_calendar()
    week = (vn(2026, 3, 2), vn(2026, 3, 9))
    assert working_minutes_between(cal, *week) == 5 * 450
    assert working_minutes_between(cal, week[1], week[0]) == 0
    assert working_minutes_between(cal, week[0], week[0]) == 0
    assert working_minutes_between(cal, vn(2026, 2, 9), vn(2026, 2, 23)) == 5 * 450  # Tết week


@pytest.mark.parametrize(
    ("instant", "working"),
    [
        ((7, 29, 59), False),
        ((7, 30, 0), True),
        ((11, 29, 59), True),
        ((11, 30, 0), False),
        ((13, 29), False),
        ((13, 30), True),
        ((16, 59, 59), True),
        ((17, 0), False),
    ],
)
def test_it_treats_session_starts_as_inclusive_and_ends_as_exclusive(instant, working):
    assert is_working_time(vn_calendar(), vn(2026, 3, 2, *instant)) is working


def test_it_finds_the_next_working_instant():
    cal = vn_calendar()
    assert next_working_instant(cal, vn(2026, 3, 2, 12, 0)) == vn(2026, 3, 2, 13, 30)
    assert next_working_instant(cal, vn(2026, 3, 6, 17, 0)) == vn(2026, 3, 9, 7, 30)
    assert next_working_instant(cal, vn(2026, 2, 13, 17, 0)) == vn(2026, 2, 23, 7, 30)
    inside = datetime(2026, 3, 2, 3, 0, 30, tzinfo=UTC)  # 10:00:30 in Hà Nội
    assert next_working_instant(cal, inside) == inside
    assert next_working_instant(cal, inside).tzinfo is VN_TZ


def test_it_adds_zero_minutes_as_the_start_itself():
    cal = vn_calendar()
    assert add_minutes(cal, vn(2026, 3, 2, 12, 0), 0) == vn(2026, 3, 2, 12, 0)
    with pytest.raises(ValueError):
        add_minutes(cal, vn(2026, 3, 2, 12, 0), -1)


def test_it_reaches_instants_before_and_after_the_first_cached_years():
    cal = Calendar()
    assert add(cal, vn(2030, 5, 6, 8, 0), "1d") == vn(2030, 5, 7, 8, 0)  # builds the cache
    assert add(cal, vn(1999, 12, 31, 16, 0), "120m") == vn(2000, 1, 3, 8, 30)  # rebuilds earlier
    assert add(cal, vn(2030, 5, 6, 8, 0), "1d") == vn(2030, 5, 7, 8, 0)
    assert add(cal, vn(2040, 12, 31, 8, 0), "1d") == vn(2041, 1, 1, 8, 0)  # grows later
    assert working_minutes_between(cal, vn(1999, 12, 27), vn(2041, 1, 7)) > 0


def test_it_fails_clearly_on_a_calendar_without_working_time():
    cal = Calendar({})
    with pytest.raises(ValueError, match="no working time"):
        add(cal, vn(2026, 3, 2), "1d")
    with pytest.raises(ValueError, match="no working time"):
        add(cal, vn(2026, 3, 2), "1m")


# --------------------------------------------------------------------------- holiday data


def test_it_takes_holidays_in_vietnamese_from_the_package():
    hol = vietnam_holidays([2026])
    assert hol[date(2026, 9, 2)] == "Quốc khánh"
    assert {date(2026, 2, d) for d in range(16, 21)} <= hol.keys()
    assert {date(2026, 8, 31), date(2026, 9, 1)} <= hol.keys()
    assert all(d.year == 2026 for d in hol)


def test_it_seeds_the_default_calendar_with_every_official_swap():
    cal = vn_calendar()
    for off, worked, _ in swaps.SWAPS:
        assert not cal.is_working_day(off), off
        assert worked.weekday() == 5 and cal.is_working_day(worked), worked
    assert not cal.is_working_day(date(2026, 11, 24))
    assert set(swaps.MAKEUP_DAYS) <= set(cal.makeup_days)
    assert set(swaps.DAYS_OFF) <= set(cal.days_off)


def test_it_builds_its_tables_safely_from_several_threads():
    import sys
    from concurrent.futures import ThreadPoolExecutor

    starts = [vn(year, 3, 2, 9, 0) for year in range(2030, 2070)]
    expected = [add(Calendar(), s, "30d") for s in starts]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often, inside the table building
    try:
        for _ in range(5):
            shared = Calendar()
            with ThreadPoolExecutor(max_workers=8) as pool:
                # In date order, so that the threads grow the same tables forwards, in place.
                results = list(pool.map(add, [shared] * len(starts), starts, ["30d"] * len(starts)))
            assert results == expected
    finally:
        sys.setswitchinterval(interval)
