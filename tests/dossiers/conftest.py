"""Fixtures: a published 180-minute procedure at Công an phường Vinh Phú, a citizen, frozen time."""

from datetime import datetime

import pytest
import time_machine

from motcua.worktime.core import VN_TZ
from tests.dossiers.stories import CITIZEN, all_documents, publish


@pytest.fixture
def tam_tru(org):
    """Đăng ký tạm trú, 180 working minutes, at Vinh Phú and Thành Vinh."""
    return publish(org, "1.004194")


@pytest.fixture
def desk_vinhphu(org):
    return org.units["VINHPHU"].desks.get()


@pytest.fixture
def friday_16h():
    with time_machine.travel(datetime(2026, 11, 27, 16, 0, tzinfo=VN_TZ), tick=False) as t:
        yield t


@pytest.fixture
def citizen():
    return dict(CITIZEN)


@pytest.fixture
def received(org, tam_tru, desk_vinhphu, citizen, friday_16h):
    from motcua.dossiers.services import dossier_receive

    return dossier_receive(
        actor=org["tiepnhan.vinhphu"],
        desk=desk_vinhphu,
        procedure_version=tam_tru,
        applicant=citizen,
        checklist=all_documents(),
    )
