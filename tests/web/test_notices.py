"""Staff notices are shown: a count in the header, a page that lists them and reads them."""

import re

from motcua.audit.models import AuditEntry
from motcua.dossiers.models import Notification
from motcua.dossiers.services import dossier_assign
from motcua.dossiers.watch import deadline_watch


def header_count(html: str) -> int:
    found = re.search(r'data-testid="notices-count"[^>]*>(\d+)<', html)
    return int(found.group(1)) if found else 0


def test_a_leader_sees_the_count_opens_the_notices_and_they_are_read(client, org, received):
    leader = org["lanhdao.vinhphu"]
    unread = Notification.objects.filter(user=leader, read_at__isnull=True).count()
    assert unread >= 1  # the received dossier waits for her to assign it
    client.force_login(leader)

    assert header_count(client.get("/can-bo/").content.decode()) == unread

    page = client.get("/can-bo/thong-bao/").content.decode()
    assert received.code in page
    assert page.count('data-testid="notice-new"') == unread
    assert f'href="/can-bo/ho-so/{received.code}/"' in page

    assert header_count(client.get("/can-bo/").content.decode()) == 0
    again = client.get("/can-bo/thong-bao/").content.decode()
    assert received.code in again and 'data-testid="notice-new"' not in again
    assert not Notification.objects.filter(user=leader, read_at__isnull=True).exists()
    assert AuditEntry.objects.filter(action="dossiers.notification.read", actor=leader).count() == 1


def test_it_counts_new_notices_from_the_deadline_watch(client, org, received, friday_16h):
    handler = org["xuly.vinhphu"]
    dossier_assign(
        actor=org["lanhdao.vinhphu"], dossier=received, version=received.version, handler=handler
    )
    client.force_login(handler)
    before = header_count(client.get("/can-bo/").content.decode())
    assert before == 1  # the assignment

    received.refresh_from_db()
    friday_16h.move_to(received.due_at)
    deadline_watch()

    client.force_login(handler)  # a new working day, a new session
    assert header_count(client.get("/can-bo/").content.decode()) == before + 1
    assert "đã quá hạn" in client.get("/can-bo/thong-bao/").content.decode()


def test_nobody_reads_someone_elses_notices(client, org, received):
    client.force_login(org["tiepnhan.vinhphu"])
    page = client.get("/can-bo/thong-bao/").content.decode()
    assert "Bạn chưa có thông báo nào." in page
    assert Notification.objects.filter(user=org["lanhdao.vinhphu"], read_at__isnull=True).exists()


def test_a_page_without_login_sends_to_login(client, db):
    response = client.get("/can-bo/thong-bao/")
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
