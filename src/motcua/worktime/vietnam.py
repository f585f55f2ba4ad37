"""Vietnamese public holidays from the ``holidays`` package, and the default calendar.

What ``holidays`` 0.109 gives (checked against the official schedules in the domain spec):

* **Tết 2026** (Bính Ngọ, 17 Feb): Mon 16 – Fri 20 Feb (29 Tết .. mùng 4). This matches the
  official schedule for civil servants: 5 weekdays off, Mon 16 – Fri 20 Feb, i.e. a 9-day break
  from Sat 14 to Sun 22 Feb with the weekends. Weekend days of a Tết break are not listed by the
  package (except where a lunar day falls on them, e.g. Sat 1 Feb 2025), so a unit that works
  Saturday mornings must add the Saturdays of the break as extra days off itself.
* **National Day 2026**: Mon 31 Aug (swapped with Sat 22 Aug, which is in ``weekend_workdays``),
  Tue 1 Sep, Wed 2 Sep: the same as the official schedule (break Sat 29 Aug – Wed 2 Sep).
* **New Year 2026**: only Thu 1 Jan. The official swap (off Fri 2 Jan, worked Sat 10 Jan) is
  missing; :mod:`motcua.worktime.swaps` adds it.
* **24 Nov** (Vietnam Culture Day) is a holiday every year from 2026 on; the project keeps it as
  provisional (:func:`motcua.worktime.swaps.provisional_holidays`).
* Years after those with official decisions (e.g. Tết 2027) are the package's rule-based guesses:
  the Prime Minister fixes the Tết days each year, so they must stay editable data.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from motcua.worktime import swaps
from motcua.worktime.core import Calendar


def _vn(years: Iterable[int]):
    import holidays  # imported lazily: it is only needed to seed data

    return holidays.country_holidays("VN", years=sorted(set(years)), language="vi")


def vietnam_holidays(years: Iterable[int]) -> dict[date, str]:
    """Public holidays (including the package's known swapped days off), date -> Vietnamese name."""
    years = sorted(set(years))
    return {d: name for d, name in sorted(_vn(years).items()) if d.year in years}


def vietnam_makeup_days(years: Iterable[int]) -> dict[date, str]:
    """Make-up working Saturdays known to the package (``weekend_workdays``), date -> name."""
    years = sorted(set(years))
    days = _vn(years).weekend_workdays
    return {d: "Ngày làm bù" for d in sorted(days) if d.year in years}


def default_calendar(
    years: Iterable[int] = range(2020, 2036), *, saturday_morning: bool = False
) -> Calendar:
    """Default sessions, the package's holidays and make-up days, plus the project's swaps."""
    years = sorted(set(years))
    holidays = vietnam_holidays(years)
    holidays.update({d: name for d, (name, _) in swaps.provisional_holidays(years).items()})
    days_off = {d: n for d, n in swaps.DAYS_OFF.items() if d.year in years}
    makeup = vietnam_makeup_days(years)
    makeup.update({d: n for d, n in swaps.MAKEUP_DAYS.items() if d.year in years})
    return Calendar.standard(
        saturday_morning=saturday_morning,
        holidays=holidays,
        days_off=days_off,
        makeup_days=makeup,
    )
