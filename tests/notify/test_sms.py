"""The SMS sender: the console sender keeps what it sent; the HTTP sender posts to a real server."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from motcua.notify.sms import ConsoleSmsSender, HttpSmsSender, SmsError, send_sms


def test_the_console_sender_keeps_the_message(settings):
    settings.SMS_SENDER = "console"
    send_sms("0912345678", "Mã xác thực: 123456")
    assert ConsoleSmsSender.sent[-1] == ("0912345678", "Mã xác thực: 123456")


@pytest.fixture
def gateway():
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the stdlib's name
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append((self.headers["Authorization"], body))
            self.send_response(500 if body["to"] == "0000" else 200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/sms", received
    server.shutdown()


def test_the_http_sender_posts_to_the_gateway(gateway):
    url, received = gateway
    HttpSmsSender(url=url, token="t0k").send("0912345678", "Hồ sơ đã có kết quả")
    assert received == [("Bearer t0k", {"to": "0912345678", "text": "Hồ sơ đã có kết quả"})]


def test_a_failing_gateway_raises_for_a_retry(gateway):
    url, _received = gateway
    with pytest.raises(SmsError):
        HttpSmsSender(url=url, token="t").send("0000", "x")
    with pytest.raises(SmsError):
        HttpSmsSender(url="http://127.0.0.1:9/none", token="t", timeout=2).send("09", "x")
