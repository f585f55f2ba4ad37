"""The Django side of working time: which calendar a unit uses, and the holiday table."""

import time
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max

from motcua.audit.services import audit_record
from motcua.worktime import swaps
from motcua.worktime.core import DEFAULT_SESSIONS, SATURDAY_MORNING, Calendar, add
from motcua.worktime.durations import Duration
from motcua.worktime.models import CalendarDay, DayKind, UnitCalendar

SEED_YEARS = range(2020, 2036)

# Building a Calendar (and its lookup tables) costs far more than one deadline, so each process
# keeps the calendars it built, keyed by everything they were built from: a change to the
# holiday table changes the key. Reading that key costs two queries, which every intake paid,
# so a unit's calendar is reused for WORKTIME_CALENDAR_RECHECK seconds (default 5) before the
# key is read again: an edit made in another process counts within seconds, one made in this
# process at once (the signals in apps.py call `forget_calendars`).
_cache: dict[tuple, Calendar] = {}
_recent: dict[str, tuple[float, Calendar]] = {}  # unit path -> (checked at, calendar)


def forget_calendars(**_signal) -> None:
    _recent.clear()


def holiday_rows(years=SEED_YEARS) -> dict:
    """date -> (kind, name, source) from the `holidays` package and the official swaps."""
    from motcua.worktime.vietnam import vietnam_holidays, vietnam_makeup_days

    wanted: dict = {}
    for day, name in vietnam_holidays(years).items():
        wanted[day] = (DayKind.HOLIDAY, name, "holidays")
    for day, name in vietnam_makeup_days(years).items():
        wanted[day] = (DayKind.MAKEUP, name, "holidays")
    for day, name in swaps.DAYS_OFF.items():
        wanted[day] = (DayKind.DAY_OFF, name, "official swap")
    for day, name in swaps.MAKEUP_DAYS.items():
        wanted[day] = (DayKind.MAKEUP, name, "official swap")
    for day, (name, source) in swaps.provisional_holidays(years).items():
        wanted[day] = (DayKind.HOLIDAY, name, source)
    return {d: (str(k), n[:255], s) for d, (k, n, s) in sorted(wanted.items())}


def holidays_seed(*, actor="system", years=SEED_YEARS) -> int:
    """Add the days of `holiday_rows` that the table lacks; rows that exist (possibly edited by
    an administrator) are left alone. Returns the number of rows added."""
    with transaction.atomic():
        existing = set(CalendarDay.objects.values_list("day", flat=True))
        provisional = swaps.provisional_holidays(years)
        new = [
            CalendarDay(day=d, kind=k, name=n, source=s, provisional=d in provisional)
            for d, (k, n, s) in holiday_rows(years).items()
            if d not in existing
        ]
        CalendarDay.objects.bulk_create(new)
        forget_calendars()  # bulk_create sends no signal
        if new:
            audit_record(
                actor=actor,
                action="worktime.holidays.seed",
                object_type="worktime.calendarday",
                changes={"added": len(new), "years": [min(years), max(years)]},
            )
    return len(new)


def calendar_days_confirm(*, actor, days) -> int:
    """Confirm provisional days off (e.g. 24 November once the law is amended): they stay days
    off, without the mark. Returns how many were confirmed."""
    with transaction.atomic():
        confirmed = list(
            CalendarDay.objects.select_for_update().filter(
                pk__in=[d.pk for d in days], provisional=True
            )
        )
        for day in confirmed:
            day.provisional = False
            day.save(update_fields=["provisional", "updated_at"])
            audit_record(
                actor=actor,
                action="worktime.calendarday.confirm",
                obj=day,
                changes={"provisional": [True, False]},
            )
    return len(confirmed)


def _sessions_for(unit) -> tuple[str, str]:
    """The weekday sessions, and the Saturday sessions that count towards deadlines (none unless
    the unit's calendar says they count: Saturday mornings are for receiving and returning)."""
    if unit is not None:
        ids = [int(part) for part in unit.path.strip("/").split("/") if part]
        own = {c.unit_id: c for c in UnitCalendar.objects.filter(unit_id__in=ids)}
        for unit_id in reversed(ids):  # nearest ancestor first
            if unit_id in own:
                cal = own[unit_id]
                return cal.sessions, cal.saturday_sessions if cal.saturday_counts else ""
    return "", ""


def calendar_for_unit(unit=None) -> Calendar:
    """The calendar a unit's deadlines count: its own sessions or its nearest ancestor's, and the
    national holiday table (provisional days off included). Saturday sessions count only where the
    unit's calendar says so; make-up Saturdays of the national table always count."""
    path = unit.path if unit is not None else ""
    checked = time.monotonic()
    recent = _recent.get(path)
    if recent is not None and checked - recent[0] < settings.WORKTIME_CALENDAR_RECHECK:
        return recent[1]
    sessions, saturday = _sessions_for(unit)
    stamp = CalendarDay.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    key = (sessions, saturday, stamp["n"], stamp["at"])
    calendar = _cache.get(key)
    if calendar is None:
        days = {k: {} for k in DayKind.values}
        for day, kind, name in CalendarDay.objects.values_list("day", "kind", "name"):
            days[kind][day] = name
        calendar = Calendar.standard(
            sessions=sessions or DEFAULT_SESSIONS,
            saturday_morning=bool(saturday),
            saturday_sessions=saturday or SATURDAY_MORNING,
            holidays=days[DayKind.HOLIDAY],
            days_off=days[DayKind.DAY_OFF],
            makeup_days=days[DayKind.MAKEUP],
        )
        if len(_cache) > 64:
            _cache.clear()
        _cache[key] = calendar
    if len(_recent) > 4096:
        _recent.clear()
    _recent[path] = (checked, calendar)
    return calendar


def due_at(*, unit, start: datetime, duration: Duration | str) -> datetime:
    """The due instant of a duration started at `start` in `unit`: every deadline in motcua."""
    return add(calendar_for_unit(unit), start, duration)
