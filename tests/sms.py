"""Text messages a test can read: the `sms` fixture names a recording sender in SMS_SENDER, the
same pluggable setting a real gateway's class goes in, so the messages come out of the code path
production uses (notify's sending, after commit, in whatever thread sends them).
`from tests.sms import sms` makes the fixture available in a test module."""

import threading

import pytest


class SmsOutbox:
    def __init__(self):
        self.messages: list[tuple[str, str]] = []  # (phone, text), oldest first
        self.lock = threading.Lock()

    def to(self, phone: str) -> list[str]:
        with self.lock:
            return [text for to, text in self.messages if to == phone]


class RecordingSmsSender:
    """A sender (motcua.notify.sms's interface: send(phone, text)) that keeps what it is given."""

    outbox: SmsOutbox | None = None

    def send(self, phone: str, text: str) -> None:
        box = type(self).outbox
        if box is None:
            raise AssertionError("RecordingSmsSender used outside the `sms` fixture")
        with box.lock:
            box.messages.append((phone, text))


@pytest.fixture
def sms(settings):
    """motcua's SMS sender replaced by a recorder; yields its outbox."""
    box = SmsOutbox()
    RecordingSmsSender.outbox = box
    settings.SMS_SENDER = f"{__name__}.RecordingSmsSender"
    settings.NOTIFY_SMS = True
    yield box
    RecordingSmsSender.outbox = None
