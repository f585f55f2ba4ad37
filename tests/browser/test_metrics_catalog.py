"""The catalogue indicators on the pages: the public statistics page shows their figures, and a
leader's scorecard opens onto the procedures behind them (tests/metrics/test_catalog_indicators
works the figures out by hand)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from tests.browser.test_dossier_stories import log_in
from tests.dossiers.stories import publish
from tests.metrics.stories import Desk, vn
from tests.metrics.test_catalog_indicators import build_catalogue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ONLINE = "Thủ tục cung cấp dịch vụ công trực tuyến toàn trình, một phần"
PAYABLE = "Thủ tục có thu phí được thanh toán trực tuyến"
PAID = "Thủ tục có phát sinh thanh toán trực tuyến"


def catalogue_off_the_loop(org):
    """Django's ORM refuses to run on the thread of Playwright's event loop."""
    from motcua.metrics.definition import definition_v1_ensure

    def build():
        try:
            definition_v1_ensure()  # a transactional test before this one flushed migration 0002's
            version = publish(org, "1.004194")
            build_catalogue(org, version)
            desk = Desk(org, version, "VINHPHU")
            for day in (5, 20):
                d = desk.receive(vn(2026, 10, day, 8, 0), channel="online")
                d = desk.approve(d, vn(2026, 10, day, 9, 0))
                desk.pay(d, vn(2026, 10, day, 9, 30), "online")
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(build).result()


def cells(page, indicator):
    row = page.get_by_role("row").filter(has=page.get_by_role("cell", name=indicator, exact=True))
    return [text.strip() for text in row.get_by_role("cell").all_inner_texts()]


def test_the_public_page_shows_the_catalogue_figures(browser, live_server, org):
    catalogue_off_the_loop(org)
    page = browser.new_context(locale="vi-VN").new_page()
    page.goto(f"{live_server.url}/chi-so/THANHVINH/?ky=2026-10")
    # Thành Vinh has no dossier: scored on the three catalogue indicators alone, 10 of 12.
    assert "83,33/100" in page.get_by_test_id("score").inner_text()
    assert cells(page, ONLINE) == [ONLINE, "2", "2", "100,00%", "80%", "6,00/6"]
    assert cells(page, PAYABLE) == [PAYABLE, "1", "1", "100,00%", "80%", "4,00/4"]
    assert cells(page, PAID) == [PAID, "0", "1", "0,00%", "100%", "0,00/2"]
    page.goto(f"{live_server.url}/chi-so/VINHPHU/?ky=2026-10")
    assert cells(page, ONLINE) == [ONLINE, "2", "3", "66,67%", "80%", "5,00/6"]
    assert page.get_by_role("link", name="3").count() == 0  # no drill-down in public


def test_the_leader_opens_the_procedures_behind_a_figure(browser, live_server, org):
    catalogue_off_the_loop(org)
    leader = log_in(browser, live_server, org, "lanhdao.vinhphu")
    leader.goto(f"{live_server.url}/can-bo/chi-so/don-vi/VINHPHU/?ky=2026-10")
    row = leader.get_by_role("row").filter(has=leader.get_by_role("cell", name=ONLINE, exact=True))
    row.get_by_role("link", name="3").click()
    listing = leader.get_by_test_id("procedures")
    codes = [
        listing.locator("tbody tr").nth(i).get_by_role("cell").first.inner_text()
        for i in range(listing.locator("tbody tr").count())
    ]
    assert codes == ["1.000001", "1.000002", "1.004194"]
    assert "Xác nhận thông tin cư trú" in listing.inner_text()
    assert "Nâng lương cán bộ" not in listing.inner_text()  # internal: not a public service
