"""The 12-month trend (unit page chart and table) and the overview's sparklines, checked month by
month against index_report on the hand-worked October/November 2026 fixture."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from motcua.metrics.periods import parse_period
from motcua.metrics.scores import index_report, r2
from motcua.metrics.trends import month_starts, monthly_reports, series, sparkline


@pytest.fixture
def as_user(org):
    def login(username):
        client = Client()
        client.force_login(org[username])
        return client

    return login


def test_the_twelve_months_end_with_the_period_and_cross_the_year():
    months = month_starts(date(2026, 11, 30))
    assert months[0] == date(2025, 12, 1) and months[-1] == date(2026, 11, 1)
    assert len(months) == 12 and len(set(months)) == 12


def test_the_series_matches_index_report_month_by_month(two_months, org):
    reports = monthly_reports(date(2026, 11, 30))
    for unit_code in ("VINHPHU", "THANHVINH", "CANA"):
        unit = org.units[unit_code]
        points = series(reports, unit)
        assert [p.month for p in points] == month_starts(date(2026, 11, 30))
        for p in points:
            expected = index_report(*parse_period(f"{p.month:%Y-%m}")).for_unit(unit).score
            assert p.score == r2(expected), (unit_code, p.month)
    # Hand-worked: Vinh Phú 63,33 in October, 0,00 in November; Thành Vinh 69,08 then nothing;
    # no dossier before October, so no score in the ten months before.
    vinhphu = series(reports, org.units["VINHPHU"])
    assert [p.score for p in vinhphu[-2:]] == [Decimal("63.33"), Decimal("0.00")]
    assert all(p.score is None for p in vinhphu[:-2])
    thanhvinh = series(reports, org.units["THANHVINH"])
    assert [p.score for p in thanhvinh[-2:]] == [Decimal("69.08"), None]


def test_a_sparkline_draws_the_known_months_and_reads_them_out(two_months, org):
    points = series(monthly_reports(date(2026, 11, 30)), org.units["VINHPHU"])
    svg = str(sparkline(points))
    assert 'role="img"' in svg
    assert "10/2026: 63,33; 11/2026: 0,00" in svg
    # Two neighbouring months: one line from (x of month 11) to (x of month 12), 0–100 upward.
    assert '<polyline points="85.6,9.3 94.0,22.0"' in svg
    thanhvinh = str(sparkline(series(monthly_reports(date(2026, 11, 30)), org.units["THANHVINH"])))
    assert "<polyline" not in thanhvinh and "<circle" in thanhvinh  # one month: a dot
    assert sparkline(series(monthly_reports(date(2026, 8, 31)), org.units["VINHPHU"])) == ""


def test_the_overview_shows_a_sparkline_per_unit(two_months, as_user):
    html = as_user("thanhtra").get("/can-bo/chi-so/?ky=2026-11").content.decode()
    table = html[html.index('data-testid="ranking"') :]
    assert 'aria-label="Điểm 12 tháng gần nhất: 10/2026: 63,33; 11/2026: 0,00"' in table


def test_the_unit_page_carries_the_trend_as_chart_data_and_as_a_table(two_months, as_user):
    page = as_user("lanhdao.vinhphu").get("/can-bo/chi-so/don-vi/VINHPHU/?ky=2026-11")
    assert page.status_code == 200
    html = page.content.decode()
    start = html.index('id="trend-data"')
    raw = html[html.index(">", start) + 1 : html.index("</script>", start)]
    data = json.loads(raw)
    assert data["labels"][0] == "12/2025" and data["labels"][-1] == "11/2026"
    assert data["datasets"][0]["data"] == [None] * 10 + [63.33, 0.0]
    assert "vendor/chartjs/chart.umd.js" in html and "motcua/metrics-trend.js" in html
    table = html[html.index('data-testid="trend"') :]
    assert "<td>10/2026</td><td>63,33</td>" in table
    assert "<td>11/2026</td><td>0,00</td>" in table
    assert "<td>09/2026</td><td>–</td>" in table
