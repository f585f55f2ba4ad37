"""The processing clock of one dossier (or one step): start, pause, resume, extend, stop.

A :class:`Clock` is a plain dataclass that round-trips through :meth:`Clock.to_dict` /
:meth:`Clock.from_dict` (JSON-safe: datetimes as ISO 8601 strings in UTC), so the Django layer can
keep it in a JSONField. Methods take the unit's :class:`~motcua.worktime.core.Calendar` as their
first argument, because a calendar is not stored in the clock.

Rules (domain spec sections 3 and 4):

* ``consumed`` counts working minutes while running. Pausing (waiting for the applicant: supplement,
  payment) never changes it, whatever the span of the pause.
* :meth:`Clock.resume` either **continues**: the new due is ``add(remaining working minutes,
  resume time)``, minute arithmetic even for a day-based procedure; or **restarts** (the
  post-receipt supplement request): consumed goes back to 0 and the due is computed afresh from
  the resume time with the full duration (the working-day rule for a day-based one).
* The due may be moved **once**, by the apology with a new appointment (:meth:`Clock.extend`);
  the working minutes between the old and the new due are added to the budget, so a later pause and
  resume still lands on a consistent due. A later restart begins a new legal period with the plain
  duration (the extension stays recorded, and still cannot be repeated).
* ``legal_due`` is the due the law sets: the plain duration from the start or the last restart,
  moved by later pauses but never by the extension, which is only an appointment with the
  applicant. Whether a dossier is on time is judged against it.
* The original due, the extension and every pause (reason, from, to, restarted) are kept.
* ``due`` is stored, never recomputed at read time; while paused it is the due as last computed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from motcua.worktime.core import (
    VN_TZ,
    Calendar,
    add,
    add_minutes,
    working_minutes_between,
)
from motcua.worktime.durations import Duration, parse_duration

State = Literal["new", "running", "paused", "stopped"]
SCHEMA_VERSION = 1


def _check_aware(t: datetime, what: str) -> datetime:
    if not isinstance(t, datetime):
        raise TypeError(f"{what}: expected a datetime, got {type(t).__name__}")
    if t.tzinfo is None or t.utcoffset() is None:
        raise ValueError(f"{what}: naive datetime {t!r}, a timezone-aware datetime is required")
    return t


def _dump(t: datetime | None) -> str | None:
    return None if t is None else t.astimezone(UTC).isoformat()


def _load(s: str | None) -> datetime | None:
    if s is None:
        return None
    t = datetime.fromisoformat(s)
    _check_aware(t, "stored instant")
    return t.astimezone(VN_TZ)


@dataclass
class PauseRecord:
    reason: str
    start: datetime  # "from" in to_dict()
    end: datetime | None = None  # "to" in to_dict(); None while the pause lasts
    restarted: bool = False  # whether the resume restarted the clock from zero

    def to_dict(self) -> dict[str, Any]:
        return {
            "reason": self.reason,
            "from": _dump(self.start),
            "to": _dump(self.end),
            "restarted": self.restarted,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PauseRecord:
        start = _load(data["from"])
        assert start is not None
        return cls(
            reason=str(data["reason"]),
            start=start,
            end=_load(data.get("to")),
            restarted=bool(data.get("restarted", False)),
        )


@dataclass
class Clock:
    duration: Duration
    state: State = "new"
    consumed: int = 0  # working minutes consumed up to `since` (excluding any running span)
    since: datetime | None = None  # instant of the last state change
    started_at: datetime | None = None
    total_minutes: int = 0  # the duration in working minutes, fixed at start / restart
    extra_minutes: int = 0  # working minutes added by the extension
    pauses: list[PauseRecord] = field(default_factory=list)
    original_due: datetime | None = None
    extension: datetime | None = None  # the new due set by the apology (moved once)
    due: datetime | None = None  # the current due
    legal_due: datetime | None = None  # the current due without the extension

    def __post_init__(self) -> None:
        if not isinstance(self.duration, Duration):
            self.duration = parse_duration(self.duration)

    # ---- transitions

    def _advance(self, at: datetime, what: str) -> datetime:
        _check_aware(at, what)
        if self.since is not None and at < self.since:
            raise ValueError(f"{what}: {at.isoformat()} is before the last change {self.since}")
        return at.astimezone(VN_TZ)

    def start(self, cal: Calendar, at: datetime) -> Clock:
        if self.state != "new":
            raise ValueError(f"cannot start a {self.state} clock")
        at = self._advance(at, "start")
        self.state = "running"
        self.started_at = self.since = at
        self.consumed = 0
        self.total_minutes = self.duration.working_minutes(cal)
        self.due = self.original_due = self.legal_due = add(cal, at, self.duration)
        return self

    def pause(self, cal: Calendar, at: datetime, reason: str) -> Clock:
        if self.state != "running":
            raise ValueError(f"cannot pause a {self.state} clock")
        at = self._advance(at, "pause")
        assert self.since is not None
        self.consumed += working_minutes_between(cal, self.since, at)
        self.since = at
        self.state = "paused"
        self.pauses.append(PauseRecord(reason=reason, start=at))
        return self

    def resume(self, cal: Calendar, at: datetime, *, restart: bool = False) -> Clock:
        if self.state != "paused":
            raise ValueError(f"cannot resume a {self.state} clock")
        at = self._advance(at, "resume")
        record = self.pauses[-1]
        record.end = at
        record.restarted = restart
        self.since = at
        self.state = "running"
        if restart:
            self.consumed = 0
            self.extra_minutes = 0
            self.total_minutes = self.duration.working_minutes(cal)
            self.due = self.legal_due = add(cal, at, self.duration)
        else:
            remaining = self.total_minutes + self.extra_minutes - self.consumed
            if remaining > 0:
                self.due = add_minutes(cal, at, remaining)
            # else: already overdue when paused; the due stays where it was.
            if self.total_minutes - self.consumed > 0:
                self.legal_due = add_minutes(cal, at, self.total_minutes - self.consumed)
        return self

    def extend(self, cal: Calendar, new_due: datetime) -> Clock:
        """Move the due once (apology with a new appointment)."""
        _check_aware(new_due, "extend")
        if self.state in ("new", "stopped"):
            raise ValueError(f"cannot extend a {self.state} clock")
        if self.extension is not None:
            raise ValueError("the due date may be moved only once")
        assert self.due is not None
        if new_due <= self.due:
            raise ValueError(f"new due {new_due.isoformat()} is not after {self.due.isoformat()}")
        self.extra_minutes += working_minutes_between(cal, self.due, new_due)
        self.extension = self.due = new_due.astimezone(VN_TZ)
        return self

    def stop(self, cal: Calendar, at: datetime) -> Clock:
        """Result returned, or dossier stopped / withdrawn: freeze the clock."""
        if self.state not in ("running", "paused"):
            raise ValueError(f"cannot stop a {self.state} clock")
        at = self._advance(at, "stop")
        if self.state == "running":
            assert self.since is not None
            self.consumed += working_minutes_between(cal, self.since, at)
        else:
            self.pauses[-1].end = at
        self.since = at
        self.state = "stopped"
        return self

    # ---- reading

    def consumed_at(self, cal: Calendar, now: datetime) -> int:
        """Working minutes consumed as of ``now`` (counting the running span, if any)."""
        _check_aware(now, "consumed_at")
        if self.state != "running":
            return self.consumed
        assert self.since is not None
        return self.consumed + working_minutes_between(cal, self.since, now)

    def remaining_at(self, cal: Calendar, now: datetime) -> int:
        """Working minutes left (negative when overdue), appointment included."""
        return self.total_minutes + self.extra_minutes - self.consumed_at(cal, now)

    def legal_remaining_at(self, cal: Calendar, now: datetime) -> int:
        """Working minutes left before the legal due (negative when late): the extension
        gives the applicant a new appointment, not the unit more time."""
        return self.total_minutes - self.consumed_at(cal, now)

    @property
    def restart_count(self) -> int:
        return sum(1 for p in self.pauses if p.restarted)

    # ---- storage

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": SCHEMA_VERSION,
            "duration": str(self.duration),
            "state": self.state,
            "consumed": self.consumed,
            "since": _dump(self.since),
            "started_at": _dump(self.started_at),
            "total_minutes": self.total_minutes,
            "extra_minutes": self.extra_minutes,
            "pauses": [p.to_dict() for p in self.pauses],
            "original_due": _dump(self.original_due),
            "extension": _dump(self.extension),
            "due": _dump(self.due),
            "legal_due": _dump(self.legal_due),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Clock:
        version = data.get("version", SCHEMA_VERSION)
        if version != SCHEMA_VERSION:
            raise ValueError(f"unsupported clock schema version {version!r}")
        state = data["state"]
        if state not in ("new", "running", "paused", "stopped"):
            raise ValueError(f"invalid clock state {state!r}")
        due, original_due = _load(data.get("due")), _load(data.get("original_due"))
        extra_minutes = int(data.get("extra_minutes", 0))
        if "legal_due" in data:
            legal_due = _load(data["legal_due"])
        else:
            # Stored before the legal due was kept: without a running extension it is the due;
            # with one, dossiers migration 0003 rewrites it from the action log.
            legal_due = due if extra_minutes == 0 else original_due
        return cls(
            duration=parse_duration(data["duration"]),
            state=state,
            consumed=int(data["consumed"]),
            since=_load(data.get("since")),
            started_at=_load(data.get("started_at")),
            total_minutes=int(data.get("total_minutes", 0)),
            extra_minutes=extra_minutes,
            pauses=[PauseRecord.from_dict(p) for p in data.get("pauses", [])],
            original_due=original_due,
            extension=_load(data.get("extension")),
            due=due,
            legal_due=legal_due,
        )
