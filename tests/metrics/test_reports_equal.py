"""The reports read together (scores.index_reports: shared queries, a trend's months at once,
a unit's subtree only, shared indicator results) give exactly the figures of the one-at-a-time
computation they replaced (tests/metrics/reference_scores.py, kept frozen), on random dossiers
and random facts over several units and months: every unrounded score, point, rate, numerator,
denominator, state, band and rank, for years, quarters, months, ranges cut mid-month and
"as of" days, and for the 12-month trends of the overview and the unit page."""

import random
from datetime import date, timedelta

import pytest

from motcua.metrics import scores
from motcua.metrics.facts import FACTS, facts_add
from motcua.metrics.periods import parse_period
from motcua.metrics.satisfaction import CODES as SATISFACTION_CODES
from motcua.metrics.trends import month_starts, monthly_reports
from tests.metrics import reference_scores as reference
from tests.metrics.test_rebuild import random_history


def figures(result, *, ranks=True):
    def rank(r):
        return (r.rank, r.of) if r else None

    return (
        result.score,
        result.points,
        result.applicable_max,
        result.band,
        (rank(result.rank_siblings), rank(result.rank_kind)) if ranks else None,
        [
            (
                g.code,
                g.points,
                g.applicable_max,
                [
                    (i.code, i.state, i.numerator, i.denominator, i.rate, i.points)
                    for i in g.indicators
                ],
            )
            for g in result.groups
        ],
    )


def report_figures(report, *, only=None, ranks=True):
    wanted = report.results if only is None else {u.pk: None for u in only}
    return (
        report.start,
        report.end,
        report.as_of,
        report.definition.pk if report.definition else None,
        {pk: figures(report.results[pk], ranks=ranks) for pk in wanted if pk in report.results},
    )


def random_facts(rng: random.Random, units, count: int) -> None:
    """Facts written straight (as other apps and past days' late finishes write them) at random
    units of the tree, from August to December 2026, including the overdue running sums."""
    codes = [*FACTS, *SATISFACTION_CODES]
    rows = []
    for _ in range(count):
        day = date(2026, 8, 1) + timedelta(days=rng.randrange(0, 150))
        rows.append((rng.choice(units).pk, day, rng.choice(codes), rng.randrange(1, 6)))
    facts_add(rows)


@pytest.fixture
def history(org, vinhphu, thanhvinh):
    rng = random.Random(13)
    random_history(rng, [vinhphu, thanhvinh], 16)
    random_facts(rng, list(org.units.values()), 400)
    # A closed unit: left out of the ranks of periods after its closing.
    closed = org.units["THANHVINH"]
    closed.valid_to = date(2026, 11, 15)
    closed.save(update_fields=["valid_to"])
    return rng


def test_every_figure_equals_the_one_report_at_a_time_computation(history, org):
    rng = history
    spans = [
        parse_period("2026"),
        parse_period("2026-Q4"),
        *(parse_period(f"2026-{m:02d}") for m in range(8, 13)),
        (date(2026, 10, 13), date(2026, 11, 17)),
        (date(2026, 9, 30), date(2026, 10, 31)),
        (date(2026, 10, 1), date(2026, 10, 1)),
    ]
    for _ in range(6):
        start = date(2026, 8, 1) + timedelta(days=rng.randrange(0, 120))
        spans.append((start, start + timedelta(days=rng.randrange(0, 70))))
    as_ofs = [None, date(2026, 10, 5), date(2026, 10, 31), date(2026, 11, 20), date(2026, 7, 1)]
    compared = 0
    for start, end in spans:
        for as_of in as_ofs:
            expected = reference.index_report(start, end, as_of=as_of)
            got = scores.index_report(start, end, as_of=as_of)
            assert report_figures(got) == report_figures(expected), (start, end, as_of)
            compared += 1
    # Some figures were scored and ranked (the comparison was not of empty reports).
    october = scores.index_report(*parse_period("2026-10"))
    assert october.for_unit(org.units["VINHPHU"]).score is not None
    assert october.for_unit(org.units["VINHPHU"]).rank_kind is not None
    assert compared == len(spans) * len(as_ofs)


@pytest.mark.parametrize("as_of", [None, date(2026, 10, 20), date(2026, 11, 30)])
def test_the_trends_equal_twelve_reports_of_their_own(history, org, as_of):
    last = date(2026, 12, 31)
    expected = [
        report_figures(reference.index_report(*parse_period(f"{m:%Y-%m}"), as_of=as_of))
        for m in month_starts(last)
    ]
    # The overview's sparklines: every unit's month, ranks included when all are read.
    together = monthly_reports(last, as_of=as_of)
    assert [first for first, _r in together] == month_starts(last)
    assert [report_figures(r) for _first, r in together] == expected
    # The unit page's trend and a part of the tree: only those units' subtrees are read;
    # their figures are the same (ranks need every peer, so they are not given).
    for only in ([org.units["VINHPHU"]], [org.units["CANA"]], [org.units["THANHVINH"]]):
        part = monthly_reports(last, as_of=as_of, only=only)
        for (_first, report), (_m, full) in zip(part, together, strict=True):
            assert set(report.results) == {u.pk for u in only}
            assert report_figures(report, only=only, ranks=False) == report_figures(
                full, only=only, ranks=False
            )
