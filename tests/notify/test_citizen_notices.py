"""A citizen reads their notices and marks them read; nobody else sees them."""

import pytest
from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.dossiers.services import dossier_refuse
from motcua.notify.models import Notice
from motcua.notify.services import citizen_notices_mark_read, notice_for_application

URL, READ = "/cong-dan/thong-bao/", "/cong-dan/thong-bao/da-doc/"


@pytest.fixture
def lans_notices(received, org, lan_account):
    """Lan's dossier (submitted from her account) was refused: one in-app notice."""
    Dossier.objects.filter(pk=received.pk).update(submitted_by=lan_account)
    dossier_refuse(
        actor=org["lanhdao.vinhphu"],
        dossier=received,
        version=received.version,
        reasons="Chỗ ở không hợp pháp",
    )
    return list(Notice.objects.filter(user=lan_account, channel="in_app"))


def test_the_citizen_reads_her_notices(client, lans_notices, lan_account, received):
    client.force_login(lan_account)
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Hồ sơ {received.code} bị từ chối giải quyết" in html
    assert "Lý do: Chỗ ở không hợp pháp" in html
    assert html.count('data-testid="citizen-notice"') == 1
    assert html.count('data-testid="notice-new"') == 1


def test_marking_one_notice_read(client, lans_notices, lan_account):
    # A second notice (an online application returned), so marking one leaves the other new.
    notice_for_application(
        key="application1:returned:1", text="Hồ sơ trực tuyến cần hoàn thiện.", user=lan_account
    )
    first, second = Notice.objects.filter(user=lan_account, channel="in_app").order_by("id")
    client.force_login(lan_account)
    answer = client.post(READ, {"id": first.pk, "next": URL})
    assert answer.status_code == 302 and answer["Location"] == URL
    first.refresh_from_db(), second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    assert client.get(URL).content.decode().count('data-testid="notice-new"') == 1

    client.post(READ, {})
    second.refresh_from_db()
    assert second.read_at is not None


@pytest.mark.parametrize("odd", ["abc", "-1", "99999999999999999999999", "1 OR 1=1", "\u0661"])
def test_an_odd_id_marks_nothing_and_does_not_fail(client, lans_notices, lan_account, odd):
    client.force_login(lan_account)
    answer = client.post(READ, {"id": odd})
    assert answer.status_code == 302
    assert Notice.objects.filter(read_at__isnull=False).count() == 0


def test_the_way_back_never_leaves_the_site(client, lans_notices, lan_account):
    client.force_login(lan_account)
    answer = client.post(READ, {"next": "https://evil.example/"})
    assert answer["Location"] == URL


def test_a_citizen_cannot_mark_someone_else_s_notices(lans_notices):
    from motcua.portal.citizens import citizen_upsert

    other = citizen_upsert(id_number="001099000001", full_name="Lê Văn Nam")
    assert citizen_notices_mark_read(actor=other, ids=[lans_notices[0].pk]) == 0
    assert Notice.objects.get(pk=lans_notices[0].pk).read_at is None


def test_staff_and_strangers_are_kept_out(client, org, lans_notices):
    assert client.get(URL).status_code == 302  # to the sign-in page
    assert client.post(READ).status_code == 302
    client.force_login(org["tiepnhan.vinhphu"])
    assert client.get(URL).status_code == 403
    assert client.post(READ, {"id": lans_notices[0].pk}).status_code == 403
    assert Notice.objects.get(pk=lans_notices[0].pk).read_at is None
    assert client.get(URL, {"trang": "x\x00"}).status_code in (400, 403)


def test_a_citizen_without_notices_is_told_so(client, lan_account):
    client.force_login(lan_account)
    assert "Ông/bà chưa có thông báo nào." in client.get(URL).content.decode()


def test_reading_is_recorded_in_the_audit_log(lans_notices, lan_account):
    from motcua.audit.models import AuditEntry

    assert citizen_notices_mark_read(actor=lan_account) == 1
    assert AuditEntry.objects.filter(action="notify.notice.read", actor=lan_account).exists()
    assert Notice.objects.get(pk=lans_notices[0].pk).read_at <= timezone.now()
