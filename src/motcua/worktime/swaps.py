"""Official day swaps (a weekday off, made up by working a Saturday) and extra days off.

Plain data, from the domain spec section 4. The Django layer seeds its editable tables from it;
:func:`motcua.worktime.vietnam.default_calendar` uses it directly.

Compared with the ``holidays`` package 0.109 (Vietnam):

* 2024 (off Mon 29 Apr, worked Sat 4 May), 2025 (off Fri 2 May, worked Sat 26 Apr) and 2026
  National Day (off Mon 31 Aug, worked Sat 22 Aug) are in the package too: the day off as a holiday
  named "Ngày nghỉ (thay cho ngày ...)", the worked Saturday in ``weekend_workdays``.
* The 2026 New-Year swap (off Fri 2 Jan, worked Sat 10 Jan) is **missing** from the package.
* 24 Nov (Vietnam Culture Day): the package has it as a public holiday **every year from 2026**
  (Resolution 80-NQ/TW). Whether the Labour Code amendment is in force was not confirmed (domain
  spec section 4), so the project keeps it as a **provisional** holiday with its source
  (:func:`provisional_holidays`): it counts as a holiday until a system administrator confirms
  or removes it.
"""

from __future__ import annotations

from datetime import date

#: (weekday off, Saturday worked instead, source)
SWAPS: tuple[tuple[date, date, str], ...] = (
    (date(2024, 4, 29), date(2024, 5, 4), "2024 Reunification Day / Labour Day swap"),
    (date(2025, 5, 2), date(2025, 4, 26), "2025 Reunification Day / Labour Day swap"),
    (date(2026, 1, 2), date(2026, 1, 10), "2026 New Year swap (missing from holidays 0.109)"),
    (date(2026, 8, 31), date(2026, 8, 22), "2026 National Day swap"),
)

#: The source shown next to 24 November (Vietnam Culture Day).
CULTURE_DAY_SOURCE = "Nghị quyết 80-NQ/TW (01/2026), Nghị quyết 30/NQ-CP (02/2026)"
CULTURE_DAY_FROM = 2026


def provisional_holidays(years) -> dict[date, tuple[str, str]]:
    """date -> (name, source) of the holidays kept as provisional until confirmed."""
    return {
        date(year, 11, 24): ("Ngày Văn hóa Việt Nam", CULTURE_DAY_SOURCE)
        for year in sorted(set(years))
        if year >= CULTURE_DAY_FROM
    }


def _ddmmyyyy(d: date) -> str:
    return d.strftime("%d/%m/%Y")


#: date -> name: every day off from SWAPS.
DAYS_OFF: dict[date, str] = {
    off: f"Ngày nghỉ (thay cho ngày {_ddmmyyyy(worked)})" for off, worked, _ in SWAPS
}

#: date -> name: every make-up working day from SWAPS.
MAKEUP_DAYS: dict[date, str] = {
    worked: f"Ngày làm bù (cho ngày {_ddmmyyyy(off)})" for off, worked, _ in SWAPS
}
