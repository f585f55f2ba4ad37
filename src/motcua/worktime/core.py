"""Working-time calendar and deadline arithmetic (pure Python, no Django).

Model
-----
Everything is computed in whole **minutes of Vietnamese local time** (Asia/Ho_Chi_Minh, UTC+7, no
daylight saving since 1975), counted from 1970-01-01 00:00 local. Inputs are timezone-aware
datetimes in any zone; naive datetimes raise ValueError. Outputs are aware datetimes in
Asia/Ho_Chi_Minh. Instants are truncated to the whole minute (receipts show hh:mm): a dossier
received at 16:59:40 counts as received at 16:59. Because every session boundary is a whole
minute, :func:`is_working_time` is exact even for instants with seconds.

A day's sessions are half-open intervals ``[start, end)``: the start is working time, the end is
not.

Rules (domain spec section 4):

* A duration in minutes or hours consumes working minutes inside sessions only. The due time is the
  earliest instant by which that many working minutes have elapsed, so a due time that lands exactly
  at the end of a session stays there (240m from 07:30 is 11:30 the same day, not 13:30).
* A duration of N working days ends at the same clock time on the N-th working day after the start;
  a start outside working time is first moved to the next session start. A *working day* is a day
  with at least one session in the calendar (a make-up Saturday counts; whether a unit's Saturday
  mornings count is the Django layer's choice of calendar, see ``services.calendar_for_unit``).
  See :func:`add` for what happens when that clock time is not working time on day N.
* A due that falls exactly on a session start is given as the end of the previous session, the
  same working instant: 7 working days from 07:30 on Wed 2 Dec 2026 end at 17:00 on Thu 10 Dec,
  and 1 working day from 13:30 ends at 11:30 the next working day.

Performance
-----------
Each :class:`Calendar` lazily builds, and caches on itself, tables over a contiguous range of days
(grown on demand, forwards by appending):

* ``cum[i]``: working minutes in all days before day ``i`` of the range,
* ``wd`` / ``wrank``: the sorted working days and, for each day, how many working days precede it,
* ``pats[i]``: the day's session pattern, with per-minute lookup tables (shared between days).

So the working-minute *position* of any instant is ``cum[day] + within[minute_of_day]`` (O(1)), and
the instant of a position is one ``bisect`` over ``cum`` plus one table lookup.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from motcua.worktime.durations import Duration, parse_duration

__all__ = [
    "DEFAULT_SESSIONS",
    "SATURDAY_MORNING",
    "VN_TZ",
    "Calendar",
    "add",
    "add_minutes",
    "is_working_time",
    "next_working_instant",
    "working_minutes_between",
]

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

Session = tuple[int, int]  # [start, end) in minutes after local midnight; end may be 1440
Sessions = tuple[Session, ...]

#: Default office hours [decision]: 07:30–11:30 and 13:30–17:00.
DEFAULT_SESSIONS: Sessions = ((7 * 60 + 30, 11 * 60 + 30), (13 * 60 + 30, 17 * 60))
#: Optional Saturday-morning reception (police ID desks): 07:30–11:30.
SATURDAY_MORNING: Sessions = ((7 * 60 + 30, 11 * 60 + 30),)

_DAY = 1440
_VN_OFFSET_MIN = 7 * 60
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_UTC_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Asia/Ho_Chi_Minh has been a fixed UTC+7 since 1975-06-13; earlier instants are out of range.
_MIN_DAY = date(1976, 1, 1).toordinal() - _EPOCH_ORDINAL
_MAX_DAY = date(9999, 12, 31).toordinal() - _EPOCH_ORDINAL
_MIN_MINUTE = _MIN_DAY * _DAY
_ANCHOR = datetime(2000, 1, 1, tzinfo=VN_TZ)
_ANCHOR_MINUTE = (date(2000, 1, 1).toordinal() - _EPOCH_ORDINAL) * _DAY
# Give up growing the tables after this many days without enough working time.
_MAX_EMPTY_SPAN_DAYS = 10 * 366

# Serialises building and growing the tables; readers take no lock: the lists only grow, and each
# day's entries are appended in an order (pats, wd, cum, wrank) that keeps every index a reader
# can reach valid.
_TABLES_LOCK = threading.RLock()

_HHMM = re.compile(r"\s*([0-9]{1,2}):([0-9]{2})\s*")


# --------------------------------------------------------------------------- instants


def _bad_instant(t: object) -> Exception:
    if isinstance(t, datetime):
        return ValueError(f"naive datetime {t!r}: a timezone-aware datetime is required")
    return TypeError(f"expected a timezone-aware datetime, got {type(t).__name__}")


def _to_minute(t: datetime) -> int:
    """Whole local (UTC+7) minutes since 1970-01-01 00:00 local, truncating seconds."""
    try:
        td = t - _UTC_EPOCH
    except TypeError:
        raise _bad_instant(t) from None
    m = td.days * _DAY + td.seconds // 60 + _VN_OFFSET_MIN
    if m < _MIN_MINUTE:
        raise ValueError(f"{t!r} is before 1976, outside the supported range")
    return m


def _from_minute(m: int) -> datetime:
    # Aware + timedelta is wall-clock arithmetic; Asia/Ho_Chi_Minh is fixed +07 over the range.
    return _ANCHOR + timedelta(minutes=m - _ANCHOR_MINUTE)


# --------------------------------------------------------------------------- sessions


def _parse_clock(x: object, what: str) -> int:
    if isinstance(x, bool):
        raise ValueError(f"invalid {what} {x!r}")
    if isinstance(x, int):
        return x
    if isinstance(x, time):
        if x.second or x.microsecond:
            raise ValueError(f"{what} {x} must be a whole minute")
        return x.hour * 60 + x.minute
    if isinstance(x, str):
        match = _HHMM.fullmatch(x)
        if match:
            hours, minutes = int(match.group(1)), int(match.group(2))
            if minutes < 60:
                return hours * 60 + minutes
    raise ValueError(f"invalid {what} {x!r}: expected 'HH:MM', a datetime.time or minutes (int)")


def _parse_session(x: object) -> Session:
    if isinstance(x, str):
        parts = x.split("-")
        if len(parts) != 2:
            raise ValueError(f"invalid session {x!r}: expected 'HH:MM-HH:MM'")
    elif isinstance(x, (tuple, list)) and len(x) == 2:
        parts = list(x)
    else:
        raise ValueError(f"invalid session {x!r}: expected 'HH:MM-HH:MM' or a (start, end) pair")
    start = _parse_clock(parts[0], "session start")
    end = _parse_clock(parts[1], "session end")
    if not 0 <= start < end <= _DAY:
        raise ValueError(f"invalid session {x!r}: need 00:00 <= start < end <= 24:00")
    return (start, end)


def normalize_sessions(sessions: Iterable[Any] | str) -> Sessions:
    """Parse, sort and check a day's sessions; touching sessions are merged, overlaps rejected.

    Accepts "07:30-11:30" strings, (start, end) pairs of "HH:MM" strings, datetime.time or
    minutes after midnight, or one comma-separated string "07:30-11:30, 13:30-17:00".
    """
    if isinstance(sessions, str):
        sessions = [s for s in sessions.split(",") if s.strip()]
    parsed = sorted(_parse_session(s) for s in sessions)
    merged: list[Session] = []
    for start, end in parsed:
        if merged and start < merged[-1][1]:
            raise ValueError(f"overlapping sessions: {merged[-1]} and {(start, end)} (minutes)")
        if merged and start == merged[-1][1]:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)


def format_sessions(sessions: Sessions) -> str:
    return ", ".join(f"{s // 60:02d}:{s % 60:02d}-{e // 60:02d}:{e % 60:02d}" for s, e in sessions)


# --------------------------------------------------------------------------- calendar


def _freeze_days(days: Mapping[date, str] | Iterable[date] | None, what: str) -> Mapping[date, str]:
    if days is None:
        return MappingProxyType({})
    items = days.items() if isinstance(days, Mapping) else ((d, what) for d in days)
    out: dict[date, str] = {}
    for d, name in items:
        if type(d) is not date:
            raise ValueError(f"{what}: keys must be datetime.date, got {d!r}")
        out[d] = str(name)
    return MappingProxyType(dict(sorted(out.items())))


class Calendar:
    """Immutable working-time calendar of one unit.

    Args:
        weekly: sessions per weekday (0 = Monday ... 6 = Sunday), as a mapping or a sequence of 7;
            missing weekdays have no sessions. Default: Monday–Friday :data:`DEFAULT_SESSIONS`.
        holidays: public holidays, date -> name (no sessions that day).
        days_off: extra days off (swapped weekdays, local decisions), date -> name.
        makeup_days: make-up working days (usually Saturdays), date -> name; they use
            ``makeup_sessions``.
        makeup_sessions: sessions of a make-up day; default: Monday's sessions (the normal weekday
            sessions), or :data:`DEFAULT_SESSIONS` if Monday has none.

    A date may not be both a day off (holiday or extra day off) and a make-up day: that is
    contradictory data, and is rejected with ValueError rather than silently resolved.

    Equal calendars compare and hash equal. Each instance caches its lookup tables, so build a
    calendar once and reuse it.
    """

    __slots__ = (
        "weekly",
        "holidays",
        "days_off",
        "makeup_days",
        "makeup_sessions",
        "full_day_minutes",
        "_key",
        "_hash",
        "_tables",
        "_off",
        "_patterns",
    )

    weekly: tuple[Sessions, ...]
    holidays: Mapping[date, str]
    days_off: Mapping[date, str]
    makeup_days: Mapping[date, str]
    makeup_sessions: Sessions
    full_day_minutes: int

    def __init__(
        self,
        weekly: Mapping[int, Any] | Iterable[Any] | None = None,
        *,
        holidays: Mapping[date, str] | Iterable[date] | None = None,
        days_off: Mapping[date, str] | Iterable[date] | None = None,
        makeup_days: Mapping[date, str] | Iterable[date] | None = None,
        makeup_sessions: Any = None,
    ) -> None:
        if weekly is None:
            week = [DEFAULT_SESSIONS] * 5 + [(), ()]
        elif isinstance(weekly, Mapping):
            bad = [k for k in weekly if k not in range(7)]
            if bad:
                raise ValueError(f"weekday keys must be 0 (Monday) .. 6 (Sunday), got {bad}")
            week = [normalize_sessions(weekly.get(i, ())) for i in range(7)]
        else:
            week = [normalize_sessions(s) for s in weekly]
            if len(week) != 7:
                raise ValueError(f"weekly needs 7 entries (Monday..Sunday), got {len(week)}")
        if makeup_sessions is None:
            makeup = week[0] or DEFAULT_SESSIONS
        else:
            makeup = normalize_sessions(makeup_sessions)
        if not makeup:
            raise ValueError("makeup_sessions must not be empty")
        hol = _freeze_days(holidays, "holiday")
        off = _freeze_days(days_off, "day off")
        mk = _freeze_days(makeup_days, "make-up day")
        clash = sorted((set(hol) | set(off)) & set(mk))
        if clash:
            raise ValueError(f"dates both off and make-up working days: {clash}")
        s = object.__setattr__
        s(self, "weekly", tuple(week))
        s(self, "holidays", hol)
        s(self, "days_off", off)
        s(self, "makeup_days", mk)
        s(self, "makeup_sessions", makeup)
        s(self, "full_day_minutes", sum(e - b for b, e in makeup))
        key = (
            self.weekly,
            makeup,
            tuple(hol.items()),
            tuple(off.items()),
            tuple(mk.items()),
        )
        s(self, "_key", key)
        s(self, "_hash", hash(key))
        s(self, "_tables", None)
        s(self, "_off", frozenset(hol) | frozenset(off))
        s(self, "_patterns", {})

    @classmethod
    def standard(
        cls,
        *,
        saturday_morning: bool = False,
        sessions: Any = DEFAULT_SESSIONS,
        saturday_sessions: Any = SATURDAY_MORNING,
        holidays: Mapping[date, str] | Iterable[date] | None = None,
        days_off: Mapping[date, str] | Iterable[date] | None = None,
        makeup_days: Mapping[date, str] | Iterable[date] | None = None,
    ) -> Calendar:
        """Monday–Friday ``sessions``, plus ``saturday_sessions`` if ``saturday_morning``."""
        weekly = {i: sessions for i in range(5)}
        if saturday_morning:
            weekly[5] = saturday_sessions
        return cls(
            weekly,
            holidays=holidays,
            days_off=days_off,
            makeup_days=makeup_days,
            makeup_sessions=sessions,
        )

    def replace(self, **changes: Any) -> Calendar:
        """A copy with some constructor arguments changed."""
        args: dict[str, Any] = {
            "weekly": self.weekly,
            "holidays": self.holidays,
            "days_off": self.days_off,
            "makeup_days": self.makeup_days,
            "makeup_sessions": self.makeup_sessions,
        }
        args.update(changes)
        return Calendar(args.pop("weekly"), **args)

    def sessions_on(self, day: date) -> Sessions:
        """The sessions of a calendar date (empty on days off)."""
        if day in self._off:
            return ()
        if day in self.makeup_days:
            return self.makeup_sessions
        return self.weekly[day.weekday()]

    def is_working_day(self, day: date) -> bool:
        return bool(self.sessions_on(day))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Calendar is immutable; use replace()")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("Calendar is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Calendar):
            return NotImplemented
        return self._hash == other._hash and self._key == other._key

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        days = "MTWTFSS"
        week = "; ".join(f"{days[i]} {format_sessions(s)}" for i, s in enumerate(self.weekly) if s)
        return (
            f"Calendar({week}; {len(self.holidays)} holidays, {len(self.days_off)} days off, "
            f"{len(self.makeup_days)} make-up days)"
        )

    # ---- tables

    def _pattern(self, sessions: Sessions) -> _Pattern:
        pat = self._patterns.get(sessions)
        if pat is None:
            pat = self._patterns[sessions] = _Pattern(sessions)
        return pat

    def _day_pattern(self, day_number: int) -> _Pattern:
        return self._pattern(self.sessions_on(date.fromordinal(day_number + _EPOCH_ORDINAL)))

    def _tables_for(self, day: int) -> _Tables:
        """Tables covering local day number ``day`` (days since 1970-01-01)."""
        tb = self._tables
        if tb is not None and tb.base <= day < tb.end:
            return tb
        with _TABLES_LOCK:
            return self._build_tables_for(day)

    def _build_tables_for(self, day: int) -> _Tables:
        tb = self._tables
        if tb is not None and tb.base <= day < tb.end:  # built by another thread meanwhile
            return tb
        if not _MIN_DAY <= day <= _MAX_DAY:
            raise ValueError("instant outside the supported range (1976-9999)")
        year = date.fromordinal(day + _EPOCH_ORDINAL).year
        if tb is None:
            lo = _year_start(max(year - 1, 1976))
            tb = _Tables(self, lo, _year_start(min(year + 3, 10000)))
        elif day < tb.base:  # rebuild from an earlier start (rare: only when going backwards)
            tb = _Tables(self, _year_start(max(year - 1, 1976)), tb.end)
        else:
            tb.extend_to(_year_start(min(year + 2, 10000)))
        object.__setattr__(self, "_tables", tb)
        return tb


def _year_start(year: int) -> int:
    if year >= 10000:
        return _MAX_DAY + 1
    return date(year, 1, 1).toordinal() - _EPOCH_ORDINAL


class _Pattern:
    """Lookup tables of one day's sessions (shared by every day with the same sessions)."""

    __slots__ = ("sessions", "total", "within", "inv", "snap", "nxt", "first_start")

    def __init__(self, sessions: Sessions) -> None:
        self.sessions = sessions
        within = [0] * (_DAY + 1)  # within[x] = working minutes in [00:00, x)
        working = [False] * (_DAY + 1)
        for start, end in sessions:
            for x in range(start, end):
                working[x] = True
        acc = 0
        for x in range(_DAY):
            within[x] = acc
            acc += working[x]
        within[_DAY] = acc
        self.within = within
        self.total = acc
        # inv[r] = earliest minute of day by which r working minutes of the day have elapsed.
        inv = [sessions[0][0] if sessions else 0]
        for start, end in sessions:
            inv.extend(range(start + 1, end + 1))
        self.inv = inv
        # nxt[x] = first working minute >= x on this day, or -1.
        nxt = [-1] * (_DAY + 1)
        following = -1
        for x in range(_DAY - 1, -1, -1):
            if working[x]:
                following = x
            nxt[x] = following
        self.nxt = nxt
        self.first_start = sessions[0][0] if sessions else -1
        # snap[c] = first x >= c that is working time or a session end; else the last session end.
        # Used by the working-day rule (see add()).
        ends = {e for _, e in sessions}
        last_end = sessions[-1][1] if sessions else -1
        snap = [last_end] * (_DAY + 1)
        following = last_end
        for x in range(_DAY, -1, -1):
            if (x < _DAY and working[x]) or x in ends:
                following = x
            snap[x] = following
        self.snap = snap


class _Tables:
    """Per-day arrays over local day numbers [base, end); grows forwards by appending."""

    __slots__ = ("cal", "base", "end", "cum", "wd", "wrank", "pats")

    def __init__(self, cal: Calendar, base: int, end: int) -> None:
        self.cal = cal
        self.base = base
        self.end = base
        self.cum = [0]
        self.wd: list[int] = []  # indices (day - base) of working days, ascending
        self.wrank = [0]  # wrank[i] = number of working days before index i
        self.pats: list[_Pattern] = []
        self.extend_to(end)

    def extend_to(self, end: int) -> None:
        with _TABLES_LOCK:
            self._extend_to(end)

    def _extend_to(self, end: int) -> None:
        cal = self.cal
        cum, wd, wrank, pats = self.cum, self.wd, self.wrank, self.pats
        acc = cum[-1]
        i = self.end - self.base
        for day in range(self.end, end):
            pat = cal._day_pattern(day)
            pats.append(pat)
            if pat.total:
                wd.append(i)
                acc += pat.total
            cum.append(acc)
            wrank.append(len(wd))
            i += 1
        self.end = max(self.end, end)

    def grow(self, started_at: int) -> None:
        """Append about a year; fail if the calendar has had no working time for too long."""
        with _TABLES_LOCK:
            self._grow(started_at)

    def _grow(self, started_at: int) -> None:
        if self.end > _MAX_DAY:
            raise ValueError("deadline beyond the supported range (year 9999)")
        last_working = self.base + self.wd[-1] if self.wd else self.base
        if self.end - max(last_working, started_at) > _MAX_EMPTY_SPAN_DAYS:
            raise ValueError("calendar has no working time in the next ten years")
        self.extend_to(min(self.end + 366, _MAX_DAY + 1))


# --------------------------------------------------------------------------- arithmetic (minutes)


def _position(cal: Calendar, m: int) -> int:
    """Working minutes from the start of the table range to minute ``m`` (tables must cover it)."""
    day = m // _DAY
    tb = cal._tables_for(day)
    i = day - tb.base
    return tb.cum[i] + tb.pats[i].within[m - day * _DAY]


def _add_minutes(cal: Calendar, m: int, n: int) -> int:
    """Earliest minute >= m by which n >= 1 working minutes have elapsed since m."""
    day = m // _DAY
    tb = cal._tables_for(day)
    i = day - tb.base
    cum = tb.cum
    target = cum[i] + tb.pats[i].within[m - day * _DAY] + n
    while target > cum[-1]:
        tb.grow(day)
    j = bisect_left(cum, target, i + 1) - 1
    return (tb.base + j) * _DAY + tb.pats[j].inv[target - cum[j]]


def _next_working_minute(cal: Calendar, m: int) -> int:
    day = m // _DAY
    tb = cal._tables_for(day)
    i = day - tb.base
    x = tb.pats[i].nxt[m - day * _DAY]
    if x >= 0:
        return day * _DAY + x
    k = tb.wrank[i + 1]
    while k >= len(tb.wd):
        tb.grow(day)
    j = tb.wd[k]
    return (tb.base + j) * _DAY + tb.pats[j].first_start


def _add_days(cal: Calendar, m: int, n: int) -> int:
    # Rule for the clock time on day N (a [decision], see add()): the first instant at or after
    # that clock time, on day N, that is working time or a session end; if the day closes before
    # it, the end of day N's last session.
    s = _next_working_minute(cal, m)
    day = s // _DAY
    tb = cal._tables_for(day)
    i = day - tb.base
    k = tb.wrank[i] + n  # day i is a working day, with rank wrank[i]
    while k >= len(tb.wd):
        tb.grow(day)
    j = tb.wd[k]
    within = tb.pats[j].within
    x = tb.pats[j].snap[s - day * _DAY]
    if x and within[x] > within[x - 1]:  # the minute before is working: not a session start
        return (tb.base + j) * _DAY + x
    # A due on a session start is the same working instant as the end of the previous session,
    # and is stored and printed as that end [decision, 2026-12]: the earliest minute with the
    # same working position.
    target = tb.cum[j] + within[x]
    e = bisect_left(tb.cum, target, i + 1) - 1
    return (tb.base + e) * _DAY + tb.pats[e].inv[target - tb.cum[e]]


# --------------------------------------------------------------------------- public API


def add(cal: Calendar, start: datetime, duration: Duration | str) -> datetime:
    """Due instant of ``duration`` (a :class:`Duration` or "180m"/"8h"/"3d") received at ``start``.

    Minutes and hours: the earliest instant by which that many working minutes have elapsed after
    ``start`` (a due time exactly at a session end stays there).

    Days: start outside working time is first moved to the next session start; the due is at the
    same clock time on the N-th working day after it. If that clock time is not working time on
    day N (day N has other sessions than the start day: a Saturday-morning day, a make-up day, a
    unit with uneven weekdays), the due is the first instant *on day N*, at or after that clock
    time, that is working time or a session end; if day N has closed by then, the end of its last
    session. Why: the law fixes the *day* (N working days), so the due never spills into day N+1,
    which would lengthen the lawful period, and it is never earlier on day N than the clock time
    the applicant would expect, unless the office has already closed that day. A session end
    counts, like for minutes, so a 11:30 clock time on a day with a 07:30–11:30 session stays 11:30.
    Last, a due on a session start becomes the end of the previous session (domain spec section 4,
    [decision, 2026-12]), which may be on the working day before day N: the same working instant,
    printed as the close of the office rather than its opening. On a calendar with uneven days,
    N and N+1 days may then share a due (day N closed before the clock time, and day N+1 opens
    exactly at it: both are the same working instant).
    """
    if duration.__class__ is not Duration:
        duration = parse_duration(duration)  # type: ignore[arg-type]
    m = _to_minute(start)
    unit = duration.unit
    if unit == "m":
        return _from_minute(_add_minutes(cal, m, duration.value))
    if unit == "h":
        return _from_minute(_add_minutes(cal, m, duration.value * 60))
    return _from_minute(_add_days(cal, m, duration.value))


def add_minutes(cal: Calendar, start: datetime, minutes: int) -> datetime:
    """Earliest instant at or after ``start`` by which ``minutes`` working minutes have elapsed.

    ``minutes == 0`` returns ``start`` (truncated to the minute, in Vietnamese time).
    """
    if type(minutes) is not int or minutes < 0:
        raise ValueError(f"minutes must be a non-negative int, got {minutes!r}")
    m = _to_minute(start)
    if minutes == 0:
        return _from_minute(m)
    return _from_minute(_add_minutes(cal, m, minutes))


def working_minutes_between(cal: Calendar, a: datetime, b: datetime) -> int:
    """Working minutes in [a, b) at minute resolution; 0 if ``b <= a``."""
    ma = _to_minute(a)
    mb = _to_minute(b)
    if mb <= ma:
        return 0
    # ``a`` first: it may rebuild the tables from an earlier year; ``b`` then only appends days,
    # which keeps the position of ``a`` valid.
    pa = _position(cal, ma)
    return _position(cal, mb) - pa


def next_working_instant(cal: Calendar, t: datetime) -> datetime:
    """``t`` itself (in Vietnamese time) if it is working time, else the next session start."""
    m = _to_minute(t)
    x = _next_working_minute(cal, m)
    if x == m:
        return t.astimezone(VN_TZ)
    return _from_minute(x)


def is_working_time(cal: Calendar, t: datetime) -> bool:
    """Whether ``t`` is inside a session (start inclusive, end exclusive)."""
    m = _to_minute(t)
    day = m // _DAY
    tb = cal._tables_for(day)
    within = tb.pats[day - tb.base].within
    x = m - day * _DAY
    return within[x + 1] > within[x]
