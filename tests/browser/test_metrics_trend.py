"""The unit page draws its 12-month trend with the vendored Chart.js (no CDN, no inline script),
from the figures of the hand-worked October/November 2026 fixture."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from tests.browser.test_dossier_stories import log_in
from tests.dossiers.stories import publish
from tests.metrics.conftest import build_two_months
from tests.metrics.stories import Desk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def two_months_off_the_loop(org):
    """Signing runs asyncio.run(), which cannot run on the thread of Playwright's loop."""
    from motcua.eresults.keys import ensure_demo_pki
    from motcua.metrics.definition import definition_v1_ensure

    def build():
        try:
            definition_v1_ensure()  # a transactional test before this one flushed migration 0002's
            version = publish(org, "1.004194")
            ensure_demo_pki([org.units["VINHPHU"], org.units["THANHVINH"]])
            build_two_months(Desk(org, version, "VINHPHU"), Desk(org, version, "THANHVINH"))
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(build).result()


def test_the_trend_chart_is_drawn_from_the_page_data(browser, live_server, org):
    two_months_off_the_loop(org)
    leader = log_in(browser, live_server, org, "lanhdao.vinhphu")
    errors, outside = [], []
    leader.on("pageerror", lambda error: errors.append(str(error)))
    leader.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    leader.goto(f"{live_server.url}/can-bo/chi-so/don-vi/VINHPHU/?ky=2026-11")
    leader.wait_for_function("document.getElementById('trend-chart').chart !== undefined")
    data = leader.evaluate(
        "() => { const c = document.getElementById('trend-chart').chart;"
        " return {labels: c.data.labels, total: c.data.datasets[0].data}; }"
    )
    assert data["labels"][-2:] == ["10/2026", "11/2026"]
    assert data["total"][-2:] == [63.33, 0]
    assert errors == [] and outside == []
    assert leader.get_by_test_id("trend").get_by_role("cell", name="63,33").count() == 1
