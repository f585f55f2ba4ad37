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


def test_the_after_commit_sender_waits_out_a_long_write_and_marks_the_notice_sent_once(
    org, tam_tru, desk_vinhphu, friday_16h, smtp, settings, monkeypatch
):
    """Another writer holds the lock longer than the connection's usual 5 s busy timeout
    between the delivery of a notice and its marking as sent (on SQLite the whole database, on
    PostgreSQL the notice's row): the sender waits, the notice ends SENT, and nothing is sent
    twice by the worker afterwards."""
    from django.db import transaction

    import motcua.notify.services as notify_services

    settings.NOTIFY_SEND_AFTER_COMMIT = "thread"
    delivered, locked, release = [], threading.Event(), threading.Event()
    real_deliver = notify_services._deliver

    @in_thread
    def other_writer(pk):
        with transaction.atomic():
            list(Notice.objects.select_for_update().filter(pk=pk))
            Notice.objects.filter(pk=pk).update(last_error="")  # hold the write lock
            locked.set()
            time.sleep(6)
        release.set()

    def deliver_then_wait_for_the_lock(notice):
        real_deliver(notice)
        delivered.append(notice.pk)
        if len(delivered) == 1:
            threading.Thread(target=other_writer, args=(notice.pk,), daemon=True).start()
            assert locked.wait(10)

    monkeypatch.setattr(notify_services, "_deliver", deliver_then_wait_for_the_lock)
    d = dossier_receive(
        actor=org["tiepnhan.vinhphu"],
        desk=desk_vinhphu,
        procedure_version=tam_tru,
        applicant=dict(CITIZEN),
        checklist=all_documents(),
    )
    deadline = time.monotonic() + 30
    while Notice.objects.filter(dossier=d, status=NoticeStatus.SENT).count() < 2:
        assert time.monotonic() < deadline, "the after-commit thread gave up"
        time.sleep(0.1)
    assert release.is_set()
    assert sorted(delivered) == sorted(
        Notice.objects.filter(dossier=d).values_list("pk", flat=True)
    )
    # The worker, even once every claim has run out, finds nothing left to send.
    monkeypatch.setattr(notify_services, "CLAIM_SECONDS", 0)
    assert notices_send().sent == 0
    assert [m.subject for m in smtp.messages if m.to == [CITIZEN["email"]]] == [
        f"Hồ sơ {d.code} đã được tiếp nhận"
    ]
