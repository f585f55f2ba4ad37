"""Reading and writing a dossier's clock: every deadline comes from motcua.worktime."""

from datetime import datetime, timedelta

from django.conf import settings

from motcua.worktime.clock import Clock
from motcua.worktime.core import VN_TZ, Calendar, add_minutes
from motcua.worktime.services import calendar_for_unit

DURATION_SUFFIX = {"minutes": "m", "working_hours": "h", "working_days": "d"}


def procedure_duration(version) -> str:
    return f"{version.time_value}{DURATION_SUFFIX[version.time_unit]}"


def nearing_share() -> float:
    return float(getattr(settings, "DEADLINE_NEARING_SHARE", 0.2))


def calendar_of(dossier) -> Calendar:
    return calendar_for_unit(dossier.handling_unit)


def load_clock(dossier) -> Clock:
    return Clock.from_dict(dossier.clock)


def store_clock(dossier, clock: Clock, cal: Calendar | None = None) -> None:
    """Write the clock and the columns derived from it (due, warning time) onto the dossier."""
    dossier.clock = clock.to_dict()
    dossier.due_at = clock.due
    dossier.original_due_at = clock.original_due
    dossier.extended_due_at = clock.extension
    dossier.warn_at = None
    if clock.state == "running":
        cal = cal or calendar_of(dossier)
        budget = clock.total_minutes + clock.extra_minutes
        until_warning = budget - clock.consumed - int(budget * nearing_share())
        dossier.warn_at = (
            add_minutes(cal, clock.since, until_warning) if until_warning > 0 else clock.since
        )


def transfer_due(cal: Calendar, received_at: datetime) -> datetime:
    """Paper goes to the handling unit the same working day, or the next working morning when
    received after 15:00 (Decree 61/2018 Art. 19, kept by Decree 118/2025)."""
    local = received_at.astimezone(VN_TZ)
    day = local.date()
    if cal.is_working_day(day) and local.hour < 15:
        end = cal.sessions_on(day)[-1][1]
    else:
        day += timedelta(days=1)
        while not cal.is_working_day(day):
            day += timedelta(days=1)
        end = cal.sessions_on(day)[0][1]
    return datetime(day.year, day.month, day.day, tzinfo=VN_TZ) + timedelta(minutes=end)
