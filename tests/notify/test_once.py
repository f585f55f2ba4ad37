"""Two senders at once (two workers, or a worker and an after-commit kick) send each notice
once: each claims a row with a conditional UPDATE before it sends. Real threads, real database,
a real SMTP server."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from motcua.dossiers.services import dossier_receive
from motcua.notify.models import Notice, NoticeStatus
from motcua.notify.services import notices_send
from motcua.notify.sms import ConsoleSmsSender
from tests.dossiers.stories import CITIZEN, all_documents
from tests.threads import in_thread

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_senders_at_once_send_each_notice_once(
    org, tam_tru, desk_vinhphu, friday_16h, smtp, settings
):
    settings.NOTIFY_SEND_AFTER_COMMIT = "off"  # leave them all to the two senders
    codes = [
        dossier_receive(
            actor=org["tiepnhan.vinhphu"],
            desk=desk_vinhphu,
            procedure_version=tam_tru,
            applicant={**CITIZEN, "email": f"cd{n}@example.vn", "phone": f"091200000{n}"},
            checklist=all_documents(),
        ).code
        for n in range(6)
    ]
    assert Notice.objects.filter(status=NoticeStatus.PENDING).count() == 12
    sms_before = len(ConsoleSmsSender.sent)
    start = threading.Barrier(2)

    @in_thread
    def sender(_n):
        start.wait()
        return notices_send()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(sender, range(2)))

    assert sum(r.sent for r in results) == 12
    # (The leaders' own notices of new dossiers went through the same server.)
    told = [m for m in smtp.messages if m.to[0].startswith("cd")]
    assert sorted(m.to[0] for m in told) == sorted(f"cd{n}@example.vn" for n in range(6))
    assert sorted(m.subject for m in told) == sorted(
        f"Hồ sơ {code} đã được tiếp nhận" for code in codes
    )
    assert sorted(phone for phone, _t in list(ConsoleSmsSender.sent)[sms_before:]) == sorted(
        f"091200000{n}" for n in range(6)
    )
    assert {(n.status, n.attempts) for n in Notice.objects.all()} == {(NoticeStatus.SENT, 1)}
    # And again, sequentially: nothing left to send.
    assert notices_send().sent == 0
    assert len([m for m in smtp.messages if m.to[0].startswith("cd")]) == 6


def test_in_production_the_commit_sends_in_a_thread_of_its_own(
    org, tam_tru, desk_vinhphu, friday_16h, smtp, settings
):
    settings.NOTIFY_SEND_AFTER_COMMIT = "thread"  # the default outside the tests
    d = dossier_receive(
        actor=org["tiepnhan.vinhphu"],
        desk=desk_vinhphu,
        procedure_version=tam_tru,
        applicant=dict(CITIZEN),
        checklist=all_documents(),
    )
    deadline = time.monotonic() + 10
    while Notice.objects.filter(dossier=d, status=NoticeStatus.SENT).count() < 2:
        assert time.monotonic() < deadline, "the after-commit thread sent nothing in 10 s"
        time.sleep(0.05)
    assert [m.subject for m in smtp.messages if m.to == [CITIZEN["email"]]] == [
        f"Hồ sơ {d.code} đã được tiếp nhận"
    ]
