"""Lan rates how her dossier was served, in a real browser at 360 px: from the tracking page
(with the secret) she follows the rating link, answers the nine questions once, and a second try
(the same form, left open in another tab) is refused. At the desk, the tablet bound by the
receptionist lets the next citizen rate by scanning the receipt, then goes back to its start."""

from datetime import datetime

import pytest
import time_machine

from motcua.worktime.core import VN_TZ
from tests.browser.test_dossier_stories import fits_the_phone, log_in
from tests.dossiers.stories import CITIZEN, all_documents, approved, publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRIDAY_16H = datetime(2026, 11, 27, 16, 0, tzinfo=VN_TZ)


def ready_dossier(org, version):
    from motcua.dossiers.services import dossier_assign, dossier_receive

    d = dossier_receive(
        actor=org["tiepnhan.vinhphu"],
        desk=org.units["VINHPHU"].desks.get(),
        procedure_version=version,
        applicant=CITIZEN,
        checklist=all_documents(),
    )
    leader, handler = org["lanhdao.vinhphu"], org["xuly.vinhphu"]
    d = dossier_assign(actor=leader, dossier=d, version=d.version, handler=handler)
    return approved(d, handler=handler, leader=leader)


def answer_all(page, *, worst_for=()):
    """Click an answer in each of the nine questions: the best one, or the worst for some."""
    for fieldset in page.locator("fieldset.rating-q").all():
        code = fieldset.get_attribute("data-testid").removeprefix("q-")
        labels = fieldset.locator("label")
        (labels.last if code in worst_for else labels.first).click()


def test_a_citizen_rates_once_and_the_second_try_is_refused(page, live_server, org, settings):
    from motcua.ratings.models import Rating

    settings.PUBLIC_BASE_URL = live_server.url
    version = publish(org, "1.004194")
    with time_machine.travel(FRIDAY_16H, tick=True):
        d = ready_dossier(org, version)

        page.goto(f"{live_server.url}/tra-cuu/{d.code}/")
        page.fill("#ma_tra_cuu", d.tracking_secret)
        page.get_by_role("button", name="Xem chi tiết").click()
        page.get_by_test_id("rating-link").click()

        page.get_by_test_id("rating-form").wait_for()
        assert page.locator("fieldset.rating-q").count() == 9
        assert fits_the_phone(page)
        # She opens the same link in a second tab too, and forgets about it.
        second = page.context.new_page()
        second.goto(page.url)
        second.get_by_test_id("rating-form").wait_for()

        answer_all(page, worst_for=("thoi_gian",))
        page.fill("textarea[name=comment]", "<b>Cán bộ tận tình</b>")
        page.get_by_test_id("rating-submit").click()

        assert "Cảm ơn ông/bà đã đánh giá" in page.get_by_test_id("rating-done").inner_text()
        assert page.get_by_test_id("rating-total").inner_text() == "16/18 điểm"
        assert page.get_by_test_id("rating-comment").inner_text() == "<b>Cán bộ tận tình</b>"
        assert fits_the_phone(page)

        # The second tab's form, sent later: refused, nothing changed.
        answer_all(second)
        second.get_by_test_id("rating-submit").click()
        error = second.get_by_test_id("rating-error")
        assert "Mỗi hồ sơ chỉ được đánh giá một lần" in error.inner_text()
        rating = Rating.objects.get(dossier=d)
        assert (rating.total, rating.scores["thoi_gian"]) == (16, 0)
        # The page shows the rating she gave, not the second one.
        assert second.get_by_test_id("rating-total").inner_text() == "16/18 điểm"

        page.goto(f"{live_server.url}/tra-cuu/{d.code}/")
        page.fill("#ma_tra_cuu", d.tracking_secret)
        page.get_by_role("button", name="Xem chi tiết").click()
        assert (
            "Ông/bà đã đánh giá hồ sơ này" in page.get_by_test_id("rating-link-card").inner_text()
        )


def test_the_desk_tablet_takes_a_rating_and_goes_back_to_its_start(browser, live_server, org):
    from motcua.ratings.models import Rating

    version = publish(org, "1.004194")
    with time_machine.travel(FRIDAY_16H, tick=True):
        d = ready_dossier(org, version)

        tablet = log_in(browser, live_server, org, "tiepnhan.vinhphu")
        tablet.goto(f"{live_server.url}/can-bo/danh-gia/kiosk/")
        tablet.get_by_test_id("bind").click()
        tablet.wait_for_url(f"{live_server.url}/danh-gia/quay/")

        # The scanner types the receipt's QR (the tracking URL) into the focused field.
        tablet.keyboard.type(f"{live_server.url}/tra-cuu/{d.code}/")
        tablet.fill("#ma_tra_cuu", d.tracking_secret)
        tablet.get_by_test_id("kiosk-start").click()
        tablet.get_by_test_id("rating-form").wait_for()
        assert fits_the_phone(tablet)
        answer_all(tablet)
        tablet.get_by_test_id("rating-submit").click()
        tablet.get_by_test_id("kiosk-thanks").wait_for()
        assert Rating.objects.get(dossier=d).channel == "kiosk"

        tablet.get_by_test_id("kiosk-scan").wait_for(timeout=20000)  # the screen resets itself
        assert tablet.locator("#ma").input_value() == ""
