"""Sending: after commit, through a real SMTP server and SMS gateway, retried with backoff,
never twice."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from motcua.dossiers.services import dossier_refuse
from motcua.notify.models import Notice, NoticeStatus
from motcua.notify.services import (
    MAX_ATTEMPTS,
    application_message,
    notice_for_application,
    notices_send,
)
from motcua.notify.sms import ConsoleSmsSender
from tests.dossiers.stories import CITIZEN


def test_the_worker_delivers_the_e_receipt_through_a_real_smtp_server(received, smtp):
    result = notices_send()
    assert (result.sent, result.retried, result.failed) == (2, 0, 0)

    [(to, subject, message)] = smtp.messages
    assert to == [CITIZEN["email"]]
    assert subject == f"Hồ sơ {received.code} đã được tiếp nhận"
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    assert message["Auto-Submitted"] == "auto-generated"
    body = message.get_content()
    assert f"Mã hồ sơ: {received.code}" in body
    assert "Hẹn trả kết quả: 09:30 ngày 30/11/2026" in body
    assert f"{settings.PUBLIC_BASE_URL}/tra-cuu/{received.code}/" in body
    assert ConsoleSmsSender.sent[-1][0] == CITIZEN["phone"]
    assert received.code in ConsoleSmsSender.sent[-1][1]

    sent = Notice.objects.filter(dossier=received)
    assert {(n.status, n.attempts) for n in sent} == {(NoticeStatus.SENT, 1)}
    # A second run (the next tick of the worker) sends nothing again.
    assert notices_send().sent == 0
    assert len(smtp.messages) == 1


def test_the_step_s_commit_sends_its_notices_at_once(
    received, org, django_capture_on_commit_callbacks
):
    before = len(ConsoleSmsSender.sent)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_refuse(
            actor=org["lanhdao.vinhphu"],
            dossier=received,
            version=received.version,
            reasons="Thiếu giấy tờ",
        )
    # Only the refusal's notices were kicked; the receipt's wait for the worker.
    [message] = [m for m in mail.outbox if m.to == [CITIZEN["email"]]]
    assert message.subject == f"Hồ sơ {received.code} bị từ chối giải quyết"
    assert len(ConsoleSmsSender.sent) == before + 1
    assert Notice.objects.filter(event="refuse", status="sent").count() == 2
    assert Notice.objects.filter(event="receive", status="pending").count() == 2


def test_a_mail_server_that_is_down_is_retried_with_backoff_then_delivered(
    received, smtp, friday_16h
):
    smtp.down = True
    assert notices_send().retried == 1  # the e-mail; the SMS went out
    notice = Notice.objects.get(dossier=received, channel="email")
    assert (notice.status, notice.attempts) == (NoticeStatus.PENDING, 1)
    assert "451" in notice.last_error
    start = notice.next_attempt_at - timedelta(minutes=1)
    assert notice.claimed_until is None

    assert notices_send().retried == 0  # not due for a minute
    friday_16h.shift(timedelta(minutes=1))
    assert notices_send().retried == 1
    notice.refresh_from_db()
    assert notice.attempts == 2
    assert notice.next_attempt_at == start + timedelta(minutes=1 + 5)

    smtp.down = False
    friday_16h.shift(timedelta(minutes=4))
    assert notices_send().sent == 0  # still a minute early
    friday_16h.shift(timedelta(minutes=1))
    assert notices_send().sent == 1
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (NoticeStatus.SENT, 3)
    assert [m.to for m in smtp.messages] == [[CITIZEN["email"]]]


def test_after_the_last_attempt_a_notice_is_failed_until_an_admin_retries_it(
    received, smtp, friday_16h, client, org
):
    smtp.down = True
    for _ in range(MAX_ATTEMPTS):
        notices_send()
        friday_16h.shift(timedelta(hours=7))  # longer than the longest backoff
    notice = Notice.objects.get(dossier=received, channel="email")
    assert (notice.status, notice.attempts) == (NoticeStatus.FAILED, MAX_ATTEMPTS)
    assert notices_send().sent == 0

    # The admin lists it among the failed ones and sends it again.
    smtp.down = False
    client.force_login(org["quantri"])
    listing = client.get("/quan-tri/notify/notice/?status__exact=failed")
    assert listing.status_code == 200 and received.code in listing.content.decode()
    client.post(
        "/quan-tri/notify/notice/",
        {"action": "retry_now", "_selected_action": [notice.pk]},
    )
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == (NoticeStatus.PENDING, 0)
    assert notices_send().sent == 1
    assert len(smtp.messages) == 1


@pytest.fixture
def gateway(settings):
    """An SMS gateway on a local port that answers 500 while `broken` is set."""
    state = {"broken": True, "received": []}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the stdlib's name
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if state["broken"]:
                self.send_response(500)
            else:
                state["received"].append(body)
                self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.SMS_SENDER = "http"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/sms"
    yield state
    server.shutdown()


def test_a_failing_sms_gateway_is_retried(received, gateway, friday_16h, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notices_send().retried == 1
    sms = Notice.objects.get(dossier=received, channel="sms")
    assert sms.status == NoticeStatus.PENDING and "500" in sms.last_error

    gateway["broken"] = False
    friday_16h.shift(timedelta(minutes=1))
    assert notices_send().sent == 1
    assert gateway["received"] == [{"to": CITIZEN["phone"], "text": sms.text}]


def test_the_worker_command_sends_due_notices_and_says_so(received, capsys):
    call_command("run_worker", "--once")
    out = capsys.readouterr().out
    assert "gửi công dân: 2 (thử lại: 0, lỗi: 0)" in out
    assert [m.to for m in mail.outbox] == [[CITIZEN["email"]]]


def test_an_online_application_event_is_told_once(lan_account, django_capture_on_commit_callbacks):
    text = "Hồ sơ trực tuyến Đăng ký tạm trú cần hoàn thiện: thiếu tờ khai CT01."
    for _ in range(2):  # a retried request
        with django_capture_on_commit_callbacks(execute=True):
            notice_for_application(
                key="application7:returned:1",
                text=text,
                link="http://127.0.0.1:8000/cong-dan/",
                user=lan_account,
            )
    rows = Notice.objects.order_by("channel")
    assert [(n.channel, n.address, n.status) for n in rows] == [
        ("email", "lan.nguyen@example.vn", "sent"),
        ("in_app", "", "sent"),
        ("sms", "0912345678", "sent"),
    ]
    [message] = [m for m in mail.outbox if m.to == [CITIZEN["email"]]]
    assert text in message.body and "http://127.0.0.1:8000/cong-dan/" in message.body


def test_an_online_application_returned_for_completion_lists_what_is_missing(lan_account):
    subject, text = application_message(
        "application_returned",
        procedure="Đăng ký tạm trú",
        items=["Tờ khai CT01", "  Giấy tờ chứng minh chỗ ở hợp pháp "],
    )
    assert subject == "Hồ sơ trực tuyến cần hoàn thiện"
    assert text == (
        "Hồ sơ trực tuyến Đăng ký tạm trú cần hoàn thiện trước khi được tiếp nhận: "
        "Tờ khai CT01; Giấy tờ chứng minh chỗ ở hợp pháp."
    )
    notice_for_application(
        key="application9:returned:1",
        subject=subject,
        text=text,
        user=lan_account,
        event="application_returned",
    )
    in_app = Notice.objects.get(channel="in_app")
    assert (in_app.subject, in_app.text, in_app.event) == (subject, text, "application_returned")
    _s, refused = application_message(
        "application_refused", procedure="Đăng ký tạm trú", items=["Không thuộc thẩm quyền"]
    )
    assert refused == (
        "Hồ sơ trực tuyến Đăng ký tạm trú bị từ chối tiếp nhận: Không thuộc thẩm quyền."
    )


def test_a_notice_claimed_by_a_live_sender_is_left_alone_until_its_claim_runs_out(
    received, friday_16h
):
    from django.utils import timezone

    # Another sender took the e-mail a moment ago (and is still sending it, or died doing so).
    Notice.objects.filter(dossier=received, channel="email").update(
        claimed_until=timezone.now() + timedelta(minutes=5), attempts=1
    )
    assert notices_send().sent == 1  # the SMS only
    assert mail.outbox == []
    friday_16h.shift(timedelta(minutes=5, seconds=1))  # the claim ran out: that sender died
    assert notices_send().sent == 1
    assert [m.to for m in mail.outbox] == [[CITIZEN["email"]]]
    assert Notice.objects.get(dossier=received, channel="email").attempts == 2
