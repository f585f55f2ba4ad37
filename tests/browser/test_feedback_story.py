"""A complaint in a real browser at 360 px: a citizen complains about her dossier from the
tracking page, the unit answers after the 15-working-day deadline, and the status page and the
public page both say it was answered late. Time is frozen (ticking) around each part; the live
server runs in a thread of this process, so it sees the same clock."""

from datetime import datetime

import pytest
import time_machine

from motcua.feedback.models import Feedback
from motcua.feedback.watch import feedback_watch
from motcua.worktime.core import VN_TZ
from tests.browser.test_dossier_stories import fits_the_phone, log_in
from tests.dossiers.stories import CITIZEN, all_documents, publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRIDAY_16H = datetime(2026, 11, 27, 16, 0, tzinfo=VN_TZ)
# 15 working days after 16:00 Fri 27/11 is 16:00 Fri 18/12; the answer comes half an hour late.
LATE = datetime(2026, 12, 18, 16, 30, tzinfo=VN_TZ)


def test_a_complaint_answered_after_its_deadline_shows_as_late(page, browser, live_server, org):
    from motcua.dossiers.services import dossier_receive

    version = publish(org, "1.004194")
    with time_machine.travel(FRIDAY_16H, tick=False):
        dossier = dossier_receive(
            actor=org["tiepnhan.vinhphu"],
            desk=org.units["VINHPHU"].desks.get(),
            procedure_version=version,
            applicant=dict(CITIZEN),
            checklist=all_documents(),
        )

    with time_machine.travel(FRIDAY_16H, tick=True):
        # Nguyễn Thị Lan follows her dossier and complains from its page.
        page.goto(f"{live_server.url}/tra-cuu/{dossier.code}/")
        page.get_by_test_id("feedback-link").click()
        page.wait_for_url(f"{live_server.url}/phan-anh-kien-nghi/gui/*")
        assert page.locator("input[name=subject][value=dossier]").is_checked()
        assert page.locator("#dossier_code").input_value() == dossier.code
        assert fits_the_phone(page)
        page.fill("#dossier_secret", dossier.tracking_secret)
        page.fill("#name", CITIZEN["name"])
        page.fill("#contact", CITIZEN["phone"])
        page.fill("#content", "Đã quá giờ hẹn nhưng chưa có kết quả đăng ký tạm trú.")
        page.get_by_test_id("feedback-submit").click()
        code = page.get_by_test_id("feedback-code").inner_text()
        secret = page.get_by_test_id("feedback-secret").inner_text()
        assert fits_the_phone(page)
    assert code == "PAKN-261127-0001"
    assert Feedback.objects.get(code=code).answer_due_at == datetime(
        2026, 12, 18, 16, 0, tzinfo=VN_TZ
    )

    with time_machine.travel(LATE, tick=True):
        assert feedback_watch().overdue == 1  # the worker's tick
        staff = log_in(browser, live_server, org, "xuly.vinhphu")
        staff.get_by_role("link", name="Phản ánh", exact=True).click()
        row = staff.locator(f"tr[data-code='{code}']")
        assert "Quá hạn" in row.inner_text()
        row.get_by_role("link", name=code).click()
        staff.get_by_test_id("action-answer").click()
        staff.fill("#answer-answer", "Kết quả đã có, mời bà đến nhận. Xin lỗi vì chậm trễ.")
        staff.get_by_test_id("submit-answer").click()
        assert staff.get_by_test_id("late").inner_text() == "Trả lời trễ hạn"
        assert fits_the_phone(staff)

        leader = log_in(browser, live_server, org, "lanhdao.vinhphu")
        leader.goto(f"{live_server.url}/can-bo/phan-anh/{code}/")
        leader.get_by_test_id("action-publish").click()
        leader.fill(
            "#publish-public_summary", "Công dân phản ánh chậm trả kết quả đăng ký tạm trú."
        )
        leader.get_by_test_id("submit-publish").click()
        assert leader.get_by_test_id("status").inner_text().startswith("Đã trả lời và công khai")

        # The citizen follows her complaint with its code and secret.
        page.goto(f"{live_server.url}/phan-anh-kien-nghi/theo-doi/")
        page.fill("#code", code)
        page.fill("#secret", secret)
        page.get_by_role("button", name="Xem").click()
        assert page.get_by_test_id("late").inner_text() == "Trả lời trễ hạn"
        assert "Kết quả đã có" in page.get_by_test_id("answer").inner_text()
        assert fits_the_phone(page)
        page.get_by_test_id("dislike").click()
        assert page.get_by_test_id("verdict").inner_text() == "Bạn đã đánh giá: không hài lòng."
        assert page.get_by_test_id("like").count() == 0  # once only

        # Anyone reads the published answer, late and without her name.
        page.goto(f"{live_server.url}/phan-anh-kien-nghi/")
        assert page.get_by_test_id("late").first.inner_text() == "Trả lời trễ hạn"
        page.get_by_role("link", name=code).click()
        assert page.get_by_test_id("late").inner_text() == "Trả lời trễ hạn"
        assert CITIZEN["name"] not in page.content()
        assert CITIZEN["phone"] not in page.content()
        assert fits_the_phone(page)
    fb = Feedback.objects.get(code=code)
    assert (fb.answered_on_time, fb.satisfied) == (False, False)
    assert (fb.state, fb.due_at, fb.published_on_time) == ("published", None, True)
