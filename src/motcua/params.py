"""Numbers and dates typed by users (query strings, form fields), parsed within sane bounds.

Python takes any integer and dates up to year 9999; the databases and date arithmetic do not
(SQLite and PostgreSQL stop at 64-bit integers, a range ending on 31/12/9999 has no next day).
Every page that reads a number or a date from a user goes through here, so an absurd value is
"not found" or a clear message, never a server error.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FIRST_YEAR, LAST_YEAR = 1900, 2100
# Far beyond any primary key, page number or version, far below 2**63.
MAX_INT = 10**12


def int_param(value, *, minimum: int = 0, maximum: int = MAX_INT) -> int | None:
    """The integer in `value` (ASCII digits only) if it lies in [minimum, maximum], else None."""
    text = str(value if value is not None else "").strip()
    digits = text[1:] if text[:1] in "+-" else text
    if not digits or len(digits) > 18 or not (digits.isascii() and digits.isdigit()):
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def year_in_range(value: date) -> bool:
    return FIRST_YEAR <= value.year <= LAST_YEAR


def check_year(value: date | datetime) -> None:
    """Form validator: refuse dates outside FIRST_YEAR..LAST_YEAR with a message in Vietnamese."""
    if value is not None and not year_in_range(value):
        raise ValidationError(
            _("Năm phải từ %(first)s đến %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
            code="year_out_of_range",
        )


def parse_day(text: str) -> date | None:
    """A dd/mm/yyyy date within FIRST_YEAR..LAST_YEAR, or None."""
    try:
        day = datetime.strptime(str(text).strip(), "%d/%m/%Y").date()
    except ValueError:
        return None
    return day if year_in_range(day) else None
