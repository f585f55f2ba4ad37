"""`seed-demo` gives the demo citizens something to see and the Vinh Phú desk something in its
online inbox, through the real services; a second run adds nothing."""

from datetime import datetime

import pytest
import time_machine
from django.test import Client

from motcua.dossiers.models import Channel, Dossier, Status
from motcua.org.models import User
from motcua.portal.online import demo
from motcua.portal.online.models import OnlineApplication
from motcua.worktime.core import VN_TZ

TUESDAY_10H = datetime(2026, 12, 1, 10, 0, tzinfo=VN_TZ)


@pytest.fixture
def seeded(org):
    from motcua.catalog import demo as catalog_demo
    from motcua.demo_idp import demo as idp_demo
    from motcua.eresults import demo as eresults_demo
    from motcua.worktime import demo as worktime_demo

    with time_machine.travel(TUESDAY_10H, tick=True):
        catalog_demo.seed()
        worktime_demo.seed()
        eresults_demo.seed()
        idp_demo.seed()
        made = demo.seed()
    return made


def test_congdan1_sees_a_waiting_an_open_and_a_finished_dossier(seeded, org):
    assert seeded == 4
    an = User.objects.get(id_number="040090001234")
    assert an.is_citizen and an.get_full_name() == "Nguyễn Văn An"
    assert User.objects.filter(role="citizen").count() == 3  # congdan1..3

    mine = Dossier.objects.for_user(an)
    assert sorted(mine.values_list("status", flat=True)) == [Status.PROCESSING, Status.RETURNED]
    assert set(mine.values_list("channel", flat=True)) == {Channel.ONLINE}
    finished = mine.get(status=Status.RETURNED)
    assert finished.electronic_result is not None and finished.fee_outstanding == 0
    going = mine.get(status=Status.PROCESSING)

    client = Client()
    client.force_login(an)
    page = client.get("/cong-dan/").content.decode()
    assert "Bạn đang đăng nhập với tên Nguyễn Văn An." in page
    assert "Đã nộp, chờ tiếp nhận" in page  # the application waiting at the desk
    assert going.code in page and finished.code in page
    assert 'data-testid="finished-dossiers"' in page

    detail = client.get(f"/cong-dan/ho-so/{finished.code}/").content.decode()
    assert "Đã trả kết quả" in detail and "Tải kết quả điện tử (PDF đã ký số)" in detail

    # congdan2 has her draft, and sees none of congdan1's dossiers.
    binh = User.objects.get(id_number="040185004321")
    client.force_login(binh)
    page = client.get("/cong-dan/").content.decode()
    assert 'data-testid="drafts"' in page
    assert going.code not in page and finished.code not in page


def test_the_vinh_phu_desk_has_one_application_in_its_online_inbox(seeded, org):
    waiting = OnlineApplication.objects.filter(status="submitted")
    assert waiting.count() == 1
    client = Client()
    client.force_login(org["tiepnhan.vinhphu"])
    inbox = client.get("/can-bo/truc-tuyen/").content.decode()
    assert inbox.count('data-testid="inbox-row"') == 1
    assert waiting.get().procedure_version.name in inbox


def test_a_second_seed_adds_nothing(seeded, org):
    counts = (Dossier.objects.count(), OnlineApplication.objects.count(), User.objects.count())
    with time_machine.travel(TUESDAY_10H, tick=True):
        assert demo.seed() == 0
    assert counts == (
        Dossier.objects.count(),
        OnlineApplication.objects.count(),
        User.objects.count(),
    )
