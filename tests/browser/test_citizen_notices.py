"""On her phone, a citizen reads the notices of her dossier and marks them read."""

import pytest
import time_machine
from django.test import Client

from motcua.dossiers.models import Dossier
from motcua.dossiers.services import dossier_apologise, dossier_receive
from motcua.portal.citizens import citizen_upsert
from tests.browser.test_dossier_stories import FRIDAY_16H, PHONE, fits_the_phone
from tests.dossiers.stories import CITIZEN, all_documents, publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_citizen_reads_her_notices_on_a_phone_and_marks_them_read(
    browser, live_server, org, artifacts, settings
):
    settings.PUBLIC_BASE_URL = live_server.url  # where the notices' tracking links point
    lan = citizen_upsert(
        id_number=CITIZEN["id_number"], full_name=CITIZEN["name"], email=CITIZEN["email"]
    )
    tam_tru = publish(org, "1.004194")
    with time_machine.travel(FRIDAY_16H, tick=True):
        d = dossier_receive(
            actor=org["tiepnhan.vinhphu"],
            desk=org.units["VINHPHU"].desks.get(),
            procedure_version=tam_tru,
            applicant=dict(CITIZEN),
            checklist=all_documents(),
        )
        Dossier.objects.filter(pk=d.pk).update(submitted_by=lan)
        d.refresh_from_db()
        dossier_apologise(
            actor=org["lanhdao.vinhphu"],
            dossier=d,
            version=d.version,
            new_due="02/12/2026",
            reason="Chờ xác minh nơi cư trú",
        )

    client = Client()
    client.force_login(lan)
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/cong-dan/thong-bao/")
    notices = page.get_by_test_id("citizen-notice")
    assert notices.count() == 1
    text = notices.first.inner_text()
    assert f"Hồ sơ {d.code}: thư xin lỗi và hẹn lại ngày trả kết quả" in text
    assert "Hẹn trả kết quả mới: 17:00 ngày 02/12/2026" in text
    assert page.get_by_test_id("notice-new").count() == 1
    fits_the_phone(page)
    page.screenshot(path=str(artifacts / "citizen-notices-360.png"), full_page=True)

    page.get_by_role("button", name="Đánh dấu đã đọc").click()
    page.wait_for_url(f"{live_server.url}/cong-dan/thong-bao/")
    assert page.get_by_test_id("notice-new").count() == 0
    page.get_by_role("link", name="Xem tình trạng hồ sơ").click()
    page.wait_for_url(f"**/tra-cuu/{d.code}/")
    context.close()
