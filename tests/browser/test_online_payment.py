"""Lan pays her fee online from the tracking page, in a real browser at 360 px: the demo
gateway shows the order, she pays, the gateway notifies motcua over HTTP (the IPN), she comes
back, and both she and the desk see the fee paid online."""

from datetime import datetime

import pytest
import time_machine

from motcua.worktime.core import VN_TZ
from tests.browser.test_dossier_stories import fits_the_phone, log_in
from tests.dossiers.stories import CITIZEN, all_documents, publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRIDAY_16H = datetime(2026, 11, 27, 16, 0, tzinfo=VN_TZ)


def show_details(page, secret):
    page.fill("#ma_tra_cuu", secret)
    page.get_by_role("button", name="Xem chi tiết").click()
    page.get_by_test_id("fee").wait_for()


def test_a_citizen_pays_online_and_the_desk_sees_it(
    page, browser, live_server, org, settings, artifacts
):
    from motcua.dossiers.services import dossier_receive

    # The gateway's server calls back this server's own address.
    settings.PUBLIC_BASE_URL = live_server.url
    version = publish(org, "1.004194")
    with time_machine.travel(FRIDAY_16H, tick=True):
        d = dossier_receive(
            actor=org["tiepnhan.vinhphu"],
            desk=org.units["VINHPHU"].desks.get(),
            procedure_version=version,
            applicant=CITIZEN,
            checklist=all_documents(),
        )

        page.goto(f"{live_server.url}/tra-cuu/{d.code}/")
        show_details(page, d.tracking_secret)
        assert page.get_by_test_id("fee").inner_text() == "15.000 đồng, chưa nộp"
        page.get_by_role("button", name="Thanh toán trực tuyến").click()

        page.wait_for_url(f"{live_server.url}/demo-vnpay/?**")
        assert page.get_by_test_id("amount").inner_text() == "15.000 đồng"
        assert fits_the_phone(page)
        page.get_by_role("button", name="Thanh toán", exact=True).click()

        page.wait_for_url(f"{live_server.url}/thanh-toan/ket-qua/?**")
        assert page.get_by_test_id("payment-result").inner_text() == (
            f"Đã nộp 15.000 đồng phí, lệ phí cho hồ sơ {d.code}. Cảm ơn bạn."
        )
        page.screenshot(path=artifacts / "online-payment-result.png")
        page.get_by_role("link", name="Về trang tra cứu hồ sơ").click()
        show_details(page, d.tracking_secret)
        assert page.get_by_test_id("fee").inner_text() == "15.000 đồng, đã nộp (Trực tuyến)"
        assert page.get_by_role("button", name="Thanh toán trực tuyến").count() == 0
        assert "Đã nộp phí, lệ phí" in page.locator(".timeline").inner_text()

        desk = log_in(browser, live_server, org, "tiepnhan.vinhphu")
        desk.goto(f"{live_server.url}/can-bo/ho-so/{d.code}/")
        fee = desk.get_by_test_id("fee").inner_text()
        assert fee.startswith("15.000 đồng · đã nộp 15.000 đồng lúc ")
        assert fee.endswith("(Trực tuyến)")


def test_a_citizen_who_cancels_at_the_gateway_has_paid_nothing(page, live_server, org, settings):
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.services import dossier_receive

    settings.PUBLIC_BASE_URL = live_server.url
    version = publish(org, "1.004194")
    with time_machine.travel(FRIDAY_16H, tick=True):
        d = dossier_receive(
            actor=org["tiepnhan.vinhphu"],
            desk=org.units["VINHPHU"].desks.get(),
            procedure_version=version,
            applicant=CITIZEN,
            checklist=all_documents(),
        )
        page.goto(f"{live_server.url}/tra-cuu/{d.code}/")
        show_details(page, d.tracking_secret)
        page.get_by_role("button", name="Thanh toán trực tuyến").click()
        page.get_by_role("button", name="Hủy").click()

        page.wait_for_url(f"{live_server.url}/thanh-toan/ket-qua/?**")
        assert (
            "không thành công hoặc đã bị hủy" in page.get_by_test_id("payment-result").inner_text()
        )
        assert Dossier.objects.get(pk=d.pk).fee_paid_at is None
