"""Shared fixtures: the demo organisation of Nghệ An and its people, by name."""

import os
from pathlib import Path

import pytest

# Text messages a test can read (a recording sender in SMS_SENDER).
from tests.sms import sms  # noqa: F401

# A real local SMTP server for any test that reads the mail motcua sends.
from tests.smtp import smtp  # noqa: F401

# Playwright's sync API runs an event loop in the test thread; live_server's ORM calls are fine.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def org(db):
    """The demo units and staff (Công an tỉnh Nghệ An), keyed by unit code and username."""
    from motcua.org import demo
    from motcua.org.models import Unit, User

    demo.seed()

    class Org:
        units = {u.code: u for u in Unit.objects.all()}
        people = {u.username: u for u in User.objects.select_related("unit")}
        password = demo.DEMO_PASSWORD

        def __getitem__(self, username):
            return self.people[username]

    return Org()


@pytest.fixture
def receptionist_vinhphu(org):
    return org["tiepnhan.vinhphu"]


@pytest.fixture
def receptionist_thanhvinh(org):
    return org["tiepnhan.thanhvinh"]


@pytest.fixture(autouse=True)
def _vietnamese_by_default():
    """Each test starts in Vietnamese, whatever language an earlier test left active."""
    from django.utils import translation

    translation.activate("vi")
    yield
    translation.activate("vi")


@pytest.fixture(autouse=True)
def _no_audit_anchors_left_behind():
    """The audit anchor file lives outside the database, so no rollback empties it."""
    yield
    from django.conf import settings

    Path(settings.AUDIT_ANCHOR_FILE).unlink(missing_ok=True)
