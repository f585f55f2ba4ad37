"""Legal processing durations: "180m", "8h", "3d".

A duration is a positive whole number followed by a unit:

* ``m``: working minutes,
* ``h``: working hours (60 working minutes each),
* ``d``: working days (see :func:`motcua.worktime.core.add` for the day rule).

A unit is mandatory: "90" is rejected, because a bare number is ambiguous between minutes and days
and a wrong guess would move every deadline of a procedure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from motcua.worktime.core import Calendar

Unit = Literal["m", "h", "d"]
UNITS: tuple[str, ...] = ("m", "h", "d")

_PATTERN = re.compile(r"\s*([0-9]+)\s*([mhdMHD])\s*")


@dataclass(frozen=True, slots=True)
class Duration:
    """A positive whole number of working minutes, hours or days."""

    value: int
    unit: Unit

    def __post_init__(self) -> None:
        if type(self.value) is not int:  # bool is an int subclass: reject it too
            raise ValueError(f"duration value must be an int, got {self.value!r}")
        if self.value <= 0:
            raise ValueError(f"duration value must be positive, got {self.value}")
        if self.unit not in UNITS:
            raise ValueError(f"duration unit must be one of 'm', 'h', 'd', got {self.unit!r}")

    @classmethod
    def parse(cls, text: str) -> Duration:
        return parse_duration(text)

    def __str__(self) -> str:
        return f"{self.value}{self.unit}"

    @property
    def is_days(self) -> bool:
        return self.unit == "d"

    def working_minutes(self, cal: Calendar) -> int:
        """Length in working minutes; a working day counts as the calendar's full-day minutes."""
        if self.unit == "m":
            return self.value
        if self.unit == "h":
            return self.value * 60
        return self.value * cal.full_day_minutes


@lru_cache(maxsize=1024)
def parse_duration(text: str) -> Duration:
    """Parse "180m", "8h" or "3d" (case-insensitive, spaces allowed around the parts).

    Raises ValueError for anything else, including a missing unit, zero, signs and fractions.
    """
    if not isinstance(text, str):
        raise ValueError(f"duration must be a string like '180m', '8h' or '3d', got {text!r}")
    match = _PATTERN.fullmatch(text)
    if match is None:
        raise ValueError(
            f"invalid duration {text!r}: expected a positive whole number and a unit, "
            "m (working minutes), h (working hours) or d (working days), e.g. '180m', '8h', '3d'"
        )
    value = int(match.group(1))
    if value == 0:
        raise ValueError(f"invalid duration {text!r}: must be positive")
    return Duration(value, match.group(2).lower())  # type: ignore[arg-type]
