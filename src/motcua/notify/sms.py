"""Text messages go out through one pluggable sender, chosen by the SMS_SENDER setting.

- "console" (the default, for the demo): writes the message to the `motcua.sms` log and keeps the
  last messages in memory, so a developer (or a test) can read the one-time code it carried.
- "http": posts JSON {"to", "text"} to SMS_GATEWAY_URL with SMS_GATEWAY_TOKEN as a bearer token, the
  shape most Vietnamese brandname-SMS gateways accept behind a small adapter.
A real gateway plugs in by naming a class with a `send(phone, text)` method in SMS_SENDER.
"""

import json
import logging
import urllib.request
from collections import deque

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("motcua.sms")


class SmsError(Exception):
    """The gateway refused or could not be reached; the caller retries later."""


class ConsoleSmsSender:
    sent: deque = deque(maxlen=200)  # (phone, text), newest last; shared by the process

    def send(self, phone: str, text: str) -> None:
        self.sent.append((phone, text))
        log.info("SMS to %s: %s", phone, text)


class HttpSmsSender:
    def __init__(self, url: str | None = None, token: str | None = None, timeout: float = 10):
        self.url = url or settings.SMS_GATEWAY_URL
        self.token = token if token is not None else settings.SMS_GATEWAY_TOKEN
        self.timeout = timeout

    def send(self, phone: str, text: str) -> None:
        if not self.url:
            raise SmsError("SMS_GATEWAY_URL is not set")
        body = json.dumps({"to": phone, "text": text}).encode()
        request = urllib.request.Request(  # noqa: S310 - the URL is the operator's setting
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                if response.status >= 300:
                    raise SmsError(f"gateway answered {response.status}")
        except OSError as exc:  # URLError, HTTPError, timeouts
            raise SmsError(str(exc)) from exc


SENDERS = {"console": ConsoleSmsSender, "http": HttpSmsSender}


def sms_sender():
    name = settings.SMS_SENDER
    return (SENDERS.get(name) or import_string(name))()


def send_sms(phone: str, text: str) -> None:
    """Send one message now. Raises SmsError when the gateway fails."""
    sms_sender().send(phone, text)
