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
    """Write the clock and the columns derived from it (due, warning time) onto the dossier.

    `due_at` is the legal due: every on-time, early, nearing and overdue flag reads it. The
    apology's new date is only the applicant's appointment (`extended_due_at`)."""
    dossier.clock = clock.to_dict()
    dossier.due_at = clock.legal_due
    dossier.original_due_at = clock.original_due
    dossier.extended_due_at = clock.extension
    dossier.warn_at = None
    if clock.state == "running":
        cal = cal or calendar_of(dossier)
        budget = clock.total_minutes
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


def legal_dues(actions) -> list[datetime | None]:
    """The legal due after each step of a dossier's action log, in order.

    Steps logged before dossiers migration 0003 carry the apology's new date as their due; the
    legal due is still the one the apology moved from, until a supplement restarts the clock.
    Later steps carry the legal due already, and this reads them unchanged."""
    dues: list[datetime | None] = []
    held = None
    for action in actions:
        if action.action == "apologise":
            old = (action.data or {}).get("old_due")
            held = datetime.fromisoformat(old) if old else None
        elif action.action == "receive_supplement":
            held = None
        dues.append(held or action.due_at)
    return dues


FINISHING = ("approve", "refuse", "stop")


def correct_on_time_flags(dossier_model, action_model) -> int:
    """Recompute the legal due, on-time and returned-early of stored dossiers from their action
    logs (dossiers migration 0003; takes the migration's historical models). Before it, an
    apology moved `due_at`, so a dossier returned after its legal due but before the apology's
    date counted as on time and early; and a dossier stopped while waiting for the applicant was
    judged at the stop. Only those two kinds are read. Returns how many dossiers changed."""
    from django.db.models import Q

    changed = 0
    rows = dossier_model.objects.filter(
        Q(extended_due_at__isnull=False) | Q(status="stopped", supplement_count__gt=0)
    ).order_by("pk")
    for d in rows.iterator():
        actions = list(action_model.objects.filter(dossier_id=d.pk).order_by("seq"))
        if not actions:
            continue
        legal = legal_dues(actions)[-1]
        values = {"due_at": legal}
        if d.clock:
            values["clock"] = {**d.clock, "legal_due": legal.isoformat() if legal else None}
        if d.finished_at is not None:
            judged = d.finished_at
            finishing = [a for a in actions if a.action in FINISHING]
            if finishing and finishing[-1].from_status == "supplement":
                # Stopped while waiting for the applicant: the wait does not count.
                judged = [a.at for a in actions if a.action == "request_supplement"][-1]
            values["finished_on_time"] = legal is None or judged <= legal
        values["returned_early"] = (
            d.returned_at is not None and legal is not None and d.returned_at < legal
        )
        if any(getattr(d, name) != value for name, value in values.items()):
            dossier_model.objects.filter(pk=d.pk).update(**values)
            changed += 1
    return changed
