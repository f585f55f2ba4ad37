"""The arithmetic of section 9 (domain spec), pure Python: terms, absences, reductions.

Days of a term are counted inclusively: a 12-month term from 12/02/2026 ends on 11/02/2027.
"Served" on a date D means the whole days before D: (D - start).days.
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

# Legal maximum of each kind's term in months (Penal Code 2015: Art. 65 suspended sentence's
# probation 1–5 years; Art. 36 non-custodial reform 6 months–3 years; Arts. 41–44 bans,
# probation and loss of civic rights 1–5 years). Kinds not listed have no fixed ceiling here
# (their term is the rest of a prison term), so a generous 30-year guard stands in.
MAX_MONTHS = {
    "suspended": 60,
    "reform": 36,
    "residence_ban": 60,
    "probation": 60,
    "civic_rights": 60,
    "profession_ban": 60,
}
MIN_MONTHS = {"suspended": 12, "reform": 6}
ANY_MAX_MONTHS = 360
# Kinds whose start is the release certificate's date, not the day the file arrives.
FROM_RELEASE = {"residence_ban", "probation"}
# Per-trip absence limits (days): Law 41/2019 as kept by Decree 231/2026.
TRIP_LIMIT = {"suspended": 60, "reform": 30}
# Kinds that report to the officer every month (self-report and check-in).
SELF_REPORT = {"suspended", "reform", "probation", "early_release"}


def term_end(start: date, months: int, days: int) -> date:
    return start + relativedelta(months=months, days=days) - timedelta(days=1)


def term_days(start: date, end: date) -> int:
    return (end - start).days + 1


@dataclass(frozen=True)
class AbsenceCheck:
    allowed: bool
    reason: str
    days: int
    used_days: int
    limit_days: int
    left_days: int


def absence_check(
    *,
    kind: str,
    start_on: date,
    end_on: date,
    trip_start: date,
    trip_end: date,
    medical: bool,
    used_days: int,
    abroad: bool = False,
) -> AbsenceCheck:
    """The checks of an absence request: per-trip limit and total ≤ 1/3 of the term (medical
    treatment excepted). `used_days` counts earlier approved non-medical absences."""
    days = (trip_end - trip_start).days + 1
    limit = term_days(start_on, end_on) // 3
    left = max(limit - used_days, 0)

    def result(allowed: bool, reason: str) -> AbsenceCheck:
        return AbsenceCheck(allowed, reason, days, used_days, limit, left)

    if trip_end < trip_start:
        return result(False, "Ngày về trước ngày đi.")
    if abroad:
        return result(False, "Người chấp hành án không được xuất cảnh.")
    if trip_start < start_on or trip_end > end_on:
        return result(False, "Thời gian vắng mặt phải nằm trong thời hạn chấp hành án.")
    per_trip = TRIP_LIMIT.get(kind)
    if per_trip and days > per_trip:
        return result(False, f"Mỗi lần vắng mặt không quá {per_trip} ngày; đơn xin {days} ngày.")
    if not medical and used_days + days > limit:
        return result(
            False,
            f"Tổng thời gian vắng mặt không quá một phần ba thời hạn ({limit} ngày); "
            f"đã dùng {used_days} ngày, còn {left} ngày, đơn xin {days} ngày.",
        )
    return result(True, "")


def turns_18_on(birth_date: date) -> date:
    """The day a person born on `birth_date` turns 18: the same day and month 18 years on.
    Decision (the law names no day for it): a 29 February birthday, in a year with no
    29 February, turns 18 on 1 March, the first day the full 18 years have surely passed; the
    person keeps the under-18 fractions one day longer rather than one day shorter."""
    year = birth_date.year + 18
    try:
        return birth_date.replace(year=year)
    except ValueError:  # 29 February, and the 18th year is not a leap year
        return date(year, 3, 1)


def under_18(birth_date: date, on: date) -> bool:
    return on < turns_18_on(birth_date)


@dataclass(frozen=True)
class Reduction:
    possible_on: date  # first day the served fraction is reached
    min_served_days: int  # what must still be served after any reduction
    max_reduction_days: int  # with the law's cap (9 months for reform, 1 year for probation)


def reform_reduction(*, start_on: date, end_on: date, under_18: bool) -> Reduction:
    """Non-custodial reform: possible once 1/3 is served (1/4 under 18), 3–9 months a time,
    and at least 1/2 (2/5 under 18) must actually be served."""
    total = term_days(start_on, end_on)
    first, keep = ((1, 4), (2, 5)) if under_18 else ((1, 3), (1, 2))
    served_needed = math.ceil(total * first[0] / first[1])
    must_serve = math.ceil(total * keep[0] / keep[1])
    cap = (start_on + relativedelta(months=9) - start_on).days
    return Reduction(
        possible_on=start_on + timedelta(days=served_needed),
        min_served_days=must_serve,
        max_reduction_days=min(cap, total - must_serve),
    )


def shortened_probation(*, start_on: date, end_on: date) -> Reduction:
    """Suspended sentence: the probation period may be shortened once half is served with good
    conduct, by 1 month to 1 year a time, and at least 3/4 must actually be served."""
    total = term_days(start_on, end_on)
    must_serve = math.ceil(total * 3 / 4)
    cap = (start_on + relativedelta(years=1) - start_on).days
    return Reduction(
        possible_on=start_on + timedelta(days=math.ceil(total / 2)),
        min_served_days=must_serve,
        max_reduction_days=min(cap, total - must_serve),
    )
