"""A leader sees how many notices wait for her in the header, opens them, and the count goes."""

import pytest
import time_machine

from motcua.dossiers.services import dossier_receive
from tests.browser.test_dossier_stories import FRIDAY_16H, PHONE, fits_the_phone, log_in
from tests.dossiers.stories import CITIZEN, all_documents, publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_shows_the_notice_count_and_reads_the_notices_when_opened(
    browser, live_server, org, artifacts
):
    tam_tru = publish(org, "1.004194")
    with time_machine.travel(FRIDAY_16H, tick=True):
        codes = [
            dossier_receive(
                actor=org["tiepnhan.vinhphu"],
                desk=org.units["VINHPHU"].desks.get(),
                procedure_version=tam_tru,
                applicant={**CITIZEN, "name": name},
                checklist=all_documents(),
            ).code
            for name in ("Nguyễn Thị Lan", "Trần Văn Bình")
        ]
        page = log_in(browser, live_server, org, "lanhdao.vinhphu")

        count = page.get_by_test_id("notices-count")
        assert count.inner_text() == "2"
        fits_the_phone(page)

        page.get_by_test_id("notices-link").click()
        page.wait_for_url(f"{live_server.url}/can-bo/thong-bao/")
        notices = page.get_by_test_id("notices")
        for code in codes:
            assert code in notices.inner_text()
        assert page.get_by_test_id("notice-new").count() == 2
        # Opening the page read them: the header no longer counts them.
        assert page.get_by_test_id("notices-count").count() == 0
        fits_the_phone(page)
        page.screenshot(path=str(artifacts / "notices-360.png"), full_page=True)

        page.reload()
        assert page.get_by_test_id("notice-new").count() == 0
        page.get_by_role("link", name=codes[0], exact=False).first.click()
        page.wait_for_url(f"{live_server.url}/can-bo/ho-so/{codes[0]}/")
        assert page.get_by_test_id("notices-count").count() == 0
        assert page.viewport_size == PHONE
