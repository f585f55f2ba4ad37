"""Periods typed by users: a month, a quarter, a year, or a range of dd/mm/yyyy dates."""

import calendar
import re
from datetime import date

from motcua.params import FIRST_YEAR, LAST_YEAR, parse_day

PERIOD = re.compile(r"^(\d{4})(?:-(?:(\d{1,2})|[Qq]([1-4])))?$")


def parse_period(text: str) -> tuple[date, date] | None:
    """ "2026" (a year), "2026-10" (a month), "2026-Q4" (a quarter) → (first day, last day)."""
    match = PERIOD.match(str(text or "").strip())
    if not match:
        return None
    year = int(match.group(1))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    if match.group(2):
        month = int(match.group(2))
        if not 1 <= month <= 12:
            return None
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    if match.group(3):
        first = 3 * int(match.group(3)) - 2
        last = first + 2
        return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])
    return date(year, 1, 1), date(year, 12, 31)


def parse_date(text: str) -> date | None:
    """dd/mm/yyyy or yyyy-mm-dd within the allowed years."""
    day = parse_day(text)
    if day is None:
        try:
            day = date.fromisoformat(str(text or "").strip())
        except ValueError:
            return None
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            return None
    return day
