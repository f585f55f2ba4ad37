"""The shared parsing of user-typed numbers and dates."""

from datetime import date

import pytest

from motcua.params import int_param, parse_day


@pytest.mark.parametrize(
    "text, expected",
    [
        ("12", 12),
        (" 7 ", 7),
        ("0", None),  # below the minimum of 1
        ("²", None),
        ("٣", None),  # an Arabic-Indic three: int() takes it, a query string should not
        ("1" * 5000, None),
        ("9223372036854775808", None),
        ("1000000000000", 1000000000000),
        ("1000000000001", None),
        ("", None),
        (None, None),
        ("-5", None),
        ("1.5", None),
    ],
)
def test_it_reads_only_plain_bounded_integers(text, expected):
    assert int_param(text, minimum=1) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("30/11/2026", date(2026, 11, 30)),
        ("01/01/1900", date(1900, 1, 1)),
        ("31/12/2100", date(2100, 12, 31)),
        ("31/12/9999", None),
        ("01/01/0001", None),
        ("31/02/2026", None),
        ("2026-11-30", None),
    ],
)
def test_it_reads_day_month_year_dates_between_1900_and_2100(text, expected):
    assert parse_day(text) == expected
