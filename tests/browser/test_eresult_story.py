"""The e-result story in a real browser at 360 px: the leader of Công an phường Vinh Phú approves
Nguyễn Thị Lan's temporary residence with an electronic result; she downloads it from the
tracking page with the secret on her receipt, scans its QR, and the verification page says it is
genuine; a copy with one byte changed is not."""

from datetime import datetime

import pytest
import time_machine

from motcua.worktime.core import VN_TZ
from tests.browser.test_dossier_stories import fits_the_phone, log_in, open_action
from tests.dossiers.stories import CITIZEN, all_documents, publish
from tests.eresults.conftest import decode_qr, flip_one_byte

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRIDAY_16H = datetime(2026, 11, 27, 16, 0, tzinfo=VN_TZ)


def test_a_citizen_downloads_her_signed_result_and_checks_it(
    page, browser, live_server, org, settings, tmp_path, artifacts
):
    from motcua.dossiers.services import dossier_assign, dossier_receive, dossier_submit
    from motcua.eresults import demo

    settings.PUBLIC_BASE_URL = live_server.url
    demo.seed()  # the CA and the units' certificates, as `motcua seed-demo` makes them
    version = publish(org, "1.004194")
    with time_machine.travel(FRIDAY_16H, tick=True):
        leader_user, handler_user = org["lanhdao.vinhphu"], org["xuly.vinhphu"]
        d = dossier_receive(
            actor=org["tiepnhan.vinhphu"],
            desk=org.units["VINHPHU"].desks.get(),
            procedure_version=version,
            applicant=dict(CITIZEN),
            checklist=all_documents(),
        )
        d = dossier_assign(actor=leader_user, dossier=d, version=d.version, handler=handler_user)
        d = dossier_submit(
            actor=handler_user, dossier=d, version=d.version, result="Xác nhận đăng ký tạm trú"
        )

        # The leader approves with an electronic result.
        leader = log_in(browser, live_server, org, "lanhdao.vinhphu")
        leader.goto(f"{live_server.url}/can-bo/ho-so/{d.code}/")
        form = open_action(leader, "approve")
        form.get_by_label("Có kết quả điện tử").check()
        form.get_by_test_id("submit-approve").click()
        leader.get_by_text("Đã thực hiện: Phê duyệt kết quả.").wait_for()
        assert leader.get_by_test_id("eresult").is_visible()

        # The citizen opens the tracking page from her receipt and types the secret.
        page.goto(f"{live_server.url}/tra-cuu/{d.code}/")
        page.fill("#ma_tra_cuu", d.tracking_secret)
        page.get_by_role("button", name="Xem chi tiết").click()
        button = page.get_by_test_id("download-eresult")
        assert fits_the_phone(page)
        page.screenshot(path=str(artifacts / "eresult-tracking-360.png"), full_page=True)
        with page.expect_download() as info:
            button.click()
        download = info.value
        assert download.suggested_filename == f"ket-qua-dien-tu-{d.code}.pdf"
        pdf_path = tmp_path / "ket-qua.pdf"
        download.save_as(pdf_path)
        pdf = pdf_path.read_bytes()

        # She scans the QR printed on it: it opens the verification page, which says genuine.
        (url,) = decode_qr(pdf, tmp_path)
        assert url.startswith(f"{live_server.url}/xac-minh/")
        page.goto(url)
        assert page.get_by_test_id("issued").inner_text().startswith("Văn bản hợp lệ")
        assert page.get_by_test_id("issuer").inner_text() == "Công an phường Vinh Phú"
        assert page.get_by_test_id("code").inner_text() == d.code
        assert CITIZEN["name"] not in page.content()
        assert fits_the_phone(page)
        page.screenshot(path=str(artifacts / "eresult-verify-360.png"), full_page=True)

        # Uploading the file she downloaded: genuine.
        page.set_input_files("#tep", str(pdf_path))
        page.get_by_role("button", name="Kiểm tra").click()
        assert page.get_by_test_id("verdict").inner_text() == "Văn bản hợp lệ"

        # A copy with one byte changed: not genuine.
        changed = tmp_path / "ket-qua-sua.pdf"
        changed.write_bytes(flip_one_byte(pdf))
        page.set_input_files("#tep", str(changed))
        page.get_by_role("button", name="Kiểm tra").click()
        assert page.get_by_test_id("verdict").inner_text().startswith("Văn bản không hợp lệ")
