"""The audit log is append-only: any change made behind the application's back is found."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from motcua.audit.models import AuditEntry
from motcua.audit.services import ChainBroken, audit_record, audit_verify


@pytest.fixture
def chain(org):
    actor = org["quantri"]
    for n in range(5):
        audit_record(
            actor=actor,
            action="test.write",
            object_type="org.unit",
            object_id=str(n),
            object_repr=f"Đơn vị {n}",
            changes={"name": ["cũ", f"mới {n}"]},
        )
    return list(AuditEntry.objects.order_by("seq"))


def _sql(statement, *params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_it_verifies_an_untouched_chain(chain):
    assert audit_verify() == len(chain)
    call_command("audit_verify")


def test_it_names_the_row_whose_content_was_altered_in_sql(chain):
    target = chain[2]
    _sql("UPDATE audit_auditentry SET object_repr = %s WHERE seq = %s", "Sửa lén", target.seq)

    with pytest.raises(CommandError, match=f"bản ghi #{target.seq}"):
        call_command("audit_verify")


def test_it_names_the_gap_when_a_row_is_deleted(chain):
    target = chain[1]
    _sql("DELETE FROM audit_auditentry WHERE seq = %s", target.seq)

    with pytest.raises(ChainBroken) as broken:
        audit_verify()
    assert broken.value.seq == target.seq


def test_it_notices_rows_cut_from_the_end(chain):
    _sql("DELETE FROM audit_auditentry WHERE seq = %s", chain[-1].seq)
    with pytest.raises(ChainBroken):
        audit_verify()


def test_it_notices_a_row_rewritten_with_a_fresh_hash(chain):
    # Someone who recomputes the altered row's own hash still breaks the link to the next row.
    from motcua.audit.services import _digest

    target = AuditEntry.objects.get(seq=chain[2].seq)
    target.changes = {"name": ["cũ", "giả mạo"]}
    target.hash = _digest(target)
    _sql(
        "UPDATE audit_auditentry SET changes = %s, hash = %s WHERE seq = %s",
        '{"name": ["cũ", "giả mạo"]}',
        target.hash,
        target.seq,
    )

    with pytest.raises(ChainBroken) as broken:
        audit_verify()
    assert broken.value.seq == chain[3].seq


def test_it_logs_logins_and_failed_logins_with_the_address(client, org):
    client.post(
        "/dang-nhap/", {"username": "tiepnhan.nghiphu", "password": "sai"}, REMOTE_ADDR="10.0.0.7"
    )
    client.post(
        "/dang-nhap/",
        {"username": "tiepnhan.nghiphu", "password": org.password},
        REMOTE_ADDR="10.0.0.7",
    )

    failed = AuditEntry.objects.get(action="auth.login_failed")
    login = AuditEntry.objects.get(action="auth.login")
    assert failed.object_repr == "tiepnhan.nghiphu" and failed.ip == "10.0.0.7"
    assert login.actor == org["tiepnhan.nghiphu"] and login.ip == "10.0.0.7"
    assert audit_verify() == 2


def test_it_audits_changes_made_in_the_admin(client, org):
    client.force_login(org["quantri"])
    unit = org.units["NGHIPHU"]
    response = client.post(
        f"/quan-tri/org/unit/{unit.pk}/change/",
        {
            "kind": unit.kind,
            "code": unit.code,
            "name": "Công an xã Nghi Phú (mới)",
            "short_name": unit.short_name,
            "agency_id": unit.agency_id,
            "address": unit.address,
            "parent": unit.parent_id,
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="org.unit.change")
    assert entry.actor == org["quantri"]
    assert entry.changes["name"] == ["Công an xã Nghi Phú", "Công an xã Nghi Phú (mới)"]
