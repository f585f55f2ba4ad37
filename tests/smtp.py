"""A real SMTP server (aiosmtpd) on a free local port, for any test that reads the mail motcua
sends: `from tests.smtp import smtp` makes the `smtp` fixture available in a test module."""

import email
import email.policy
import socket
import threading
from email.header import decode_header, make_header
from typing import NamedTuple

import pytest


class Delivered(NamedTuple):
    to: list
    subject: str
    message: email.message.EmailMessage


class Mailbox:
    """What the SMTP server accepted, parsed; `down` makes it refuse every message."""

    def __init__(self):
        self.messages = []
        self.down = False
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        if self.down:
            return "451 4.3.0 Máy chủ tạm thời không nhận thư"
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        # The subject as a mail client shows it: RFC 2047 words decoded from the raw header.
        raw = email.message_from_bytes(envelope.original_content)["Subject"]
        subject = str(make_header(decode_header(raw)))
        with self.lock:
            self.messages.append(Delivered(envelope.rcpt_tos, subject, message))
        return "250 OK"


@pytest.fixture
def smtp(settings):
    """Django's SMTP backend pointed at a live aiosmtpd server; yields its mailbox."""
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield box
    controller.stop()
