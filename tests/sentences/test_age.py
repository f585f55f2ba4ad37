"""'Under 18' for the reform reduction: the exact day a person turns 18, birthday arithmetic
(not days ÷ 365.25), with 29 February turning 18 on 1 March in a common year."""

from datetime import date

import pytest

from motcua.sentences import rules
from tests.sentences.conftest import local


@pytest.mark.parametrize(
    ("born", "turns_18"),
    [
        (date(2008, 6, 15), date(2026, 6, 15)),
        # 2026 has no 29 February: the decision is 1 March (not 28 February).
        (date(2008, 2, 29), date(2026, 3, 1)),
        (date(2012, 2, 29), date(2030, 3, 1)),
        (date(2000, 2, 29), date(2018, 3, 1)),
        # 28 February and 1 March births keep their own day, leap 18th year or not.
        (date(1990, 2, 28), date(2008, 2, 28)),
        (date(1990, 3, 1), date(2008, 3, 1)),
        (date(2007, 12, 31), date(2025, 12, 31)),
    ],
)
def test_the_day_a_person_turns_18(born, turns_18):
    assert rules.turns_18_on(born) == turns_18
    assert not rules.under_18(born, turns_18)
    assert rules.under_18(born, date.fromordinal(turns_18.toordinal() - 1))


def test_a_29_february_birthday_always_turns_18_on_1_march():
    # Leap years are 4 apart and 18 is not a multiple of 4: the 18th year of a 29 February
    # birth never has a 29 February.
    for year in range(1904, 2025, 4):
        assert rules.turns_18_on(date(year, 2, 29)) == date(year + 18, 3, 1)


def test_the_18th_birthday_is_no_longer_under_18_where_365_25_said_it_was():
    # Born 01/03/2008: 18 on 01/03/2026. Between them lie 18 × 365 days and 4 leap days
    # (29/02 of 2012, 2016, 2020, 2024) = 6,574 days < 18 × 365.25 = 6,574.5: the old
    # approximation still called the person under 18 on the birthday.
    assert (date(2026, 3, 1) - date(2008, 3, 1)).days == 6574
    assert not rules.under_18(date(2008, 3, 1), date(2026, 3, 1))
    assert rules.under_18(date(2008, 3, 1), date(2026, 2, 28))


def _possible_on(client, people, case) -> str:
    client.force_login(people["thaha.vinhphu"])
    client.post(f"/can-bo/thi-hanh-an/ho-so/{case.code}/muc-dich/", {"purpose": "Theo dõi"})
    page = client.get(f"/can-bo/thi-hanh-an/ho-so/{case.code}/").content.decode()
    return page.split('data-testid="possible-on">', 1)[1].split("<", 1)[0]


def test_the_case_page_uses_the_adult_fraction_from_the_18th_birthday(client, people, new_case):
    # Born 01/03/2008, file received (start) 01/03/2026: 18 that day, so a third of the term.
    # 24 months: 01/03/2026 to 29/02/2028 = 731 days; a third is 243.67 -> 244 days served:
    # 01/03/2026 + 244 days = 31/10/2026 (a quarter would be 183 days: 31/08/2026).
    case = new_case(
        kind="reform",
        term_months=24,
        birth_date=date(2008, 3, 1),
        id_number="040208012345",
        file_received_at=local(2026, 3, 1, 9, 0),
    )
    assert (case.start_on, case.end_on) == (date(2026, 3, 1), date(2028, 2, 29))
    assert _possible_on(client, people, case) == "31/10/2026"


def test_the_case_page_keeps_a_29_february_birth_under_18_on_28_february(client, people, new_case):
    # Born 29/02/2008, start 28/02/2026: 18 only on 01/03/2026, so under 18 at the start and a
    # quarter of the term. 24 months: 28/02/2026 to 27/02/2028 = 730 days; a quarter is 182.5
    # -> 183 days: 28/02/2026 + 183 days = 30/08/2026 (a third, 244 days, would be 30/10/2026).
    case = new_case(
        kind="reform",
        term_months=24,
        birth_date=date(2008, 2, 29),
        id_number="040208012345",
        file_received_at=local(2026, 2, 28, 9, 0),
    )
    assert (case.start_on, case.end_on) == (date(2026, 2, 28), date(2028, 2, 27))
    assert _possible_on(client, people, case) == "30/08/2026"
