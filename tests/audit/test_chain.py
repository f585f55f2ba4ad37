"""The audit log is append-only: any change made behind the application's back is found."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from motcua.audit.models import AuditEntry, AuditHead
from motcua.audit.services import ChainBroken, audit_record, audit_seal, audit_verify


def write(actor, n):
    return audit_record(
        actor=actor,
        action="test.write",
        object_type="org.unit",
        object_id=str(n),
        object_repr=f"Đơn vị {n}",
        changes={"name": ["cũ", f"mới {n}"]},
    )


@pytest.fixture
def chain(org):
    for n in range(5):
        write(org["quantri"], n)
    audit_seal()
    return list(AuditEntry.objects.order_by("seq"))


def _sql(statement, *params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_it_verifies_an_untouched_chain(chain):
    assert audit_verify() == (len(chain), 0)
    call_command("audit_verify")


def test_it_records_with_one_insert_and_leaves_the_row_unsealed(org, django_assert_num_queries):
    actor = org["quantri"]
    with transaction.atomic(), django_assert_num_queries(1):
        entry = write(actor, 1)

    entry.refresh_from_db()
    assert (entry.seq, entry.prev_hash, entry.hash) == (None, None, None)
    assert entry.actor == actor and entry.changes == {"name": ["cũ", "mới 1"]}
    assert audit_verify() == (0, 1)


def test_it_seals_pending_rows_in_order_and_then_has_nothing_to_seal(org):
    entries = [write(org["quantri"], n) for n in range(3)]

    assert audit_seal() == 3
    assert audit_seal() == 0

    sealed = list(AuditEntry.objects.order_by("seq"))
    assert [e.pk for e in sealed] == [e.pk for e in entries]
    assert [e.seq for e in sealed] == [1, 2, 3]
    assert sealed[0].prev_hash == "0" * 64
    assert [e.prev_hash for e in sealed[1:]] == [e.hash for e in sealed[:-1]]
    head = AuditHead.objects.get()
    assert (head.seq, head.hash) == (3, sealed[-1].hash)
    assert audit_verify() == (3, 0)


def test_it_seals_in_batches_onto_one_chain(org):
    for n in range(5):
        write(org["quantri"], n)

    assert [audit_seal(batch=2) for _ in range(4)] == [2, 2, 1, 0]
    assert audit_verify() == (5, 0)


def test_it_seals_later_rows_onto_the_same_chain(chain, org):
    tip = chain[-1]
    later = write(org["tiepnhan.vinhphu"], 99)
    assert audit_verify() == (5, 1)

    assert audit_seal() == 1

    later.refresh_from_db()
    assert (later.seq, later.prev_hash) == (tip.seq + 1, tip.hash)
    assert audit_verify() == (6, 0)


def test_the_command_seals_pending_rows_and_says_how_many(chain, org, capsys):
    write(org["quantri"], 5)
    write(org["quantri"], 6)

    call_command("audit_verify")

    out = capsys.readouterr().out
    assert "Nhật ký toàn vẹn: 7 bản ghi (đã niêm phong thêm 2 bản ghi)." in out
    assert "Audit log intact: 7 rows (2 newly sealed)." in out
    assert not AuditEntry.objects.filter(seq__isnull=True).exists()


def test_a_rolled_back_change_leaves_no_audit_row(org):
    class Refused(Exception):
        pass

    with pytest.raises(Refused), transaction.atomic():
        write(org["quantri"], 1)
        raise Refused

    assert not AuditEntry.objects.exists()
    assert audit_seal() == 0


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


def test_it_still_notices_a_cut_end_after_sealing_more_rows(chain, org):
    _sql("DELETE FROM audit_auditentry WHERE seq = %s", chain[-1].seq)
    write(org["quantri"], 5)

    with pytest.raises(CommandError, match=f"bản ghi #{chain[-1].seq}"):
        call_command("audit_verify")


def test_a_database_writer_without_the_key_cannot_recompute_the_chain(chain, settings):
    # The writer alters row 3, then recomputes every later link and the head, exactly as the
    # application would, but with a key of their own: the real key is not in the database.
    from motcua.audit.services import _link, _mac

    real_key = settings.AUDIT_KEY
    settings.AUDIT_KEY = "khóa đoán mò"
    prev = chain[1].hash
    for entry in AuditEntry.objects.filter(seq__gte=3).order_by("seq"):
        if entry.seq == 3:
            entry.changes = {"name": ["cũ", "giả mạo"]}
        entry.mac = _mac(entry)
        entry.prev_hash, entry.hash = prev, _link(entry.seq, prev, entry.mac)
        prev = entry.hash
        entry.save()
    AuditHead.objects.filter(pk=1).update(hash=prev)
    settings.AUDIT_KEY = real_key

    with pytest.raises(ChainBroken, match="content was altered") as broken:
        audit_verify()
    assert broken.value.seq == 3


def test_a_database_writer_who_deletes_a_row_and_renumbers_the_rest_is_caught(chain):
    # Row 3 goes; rows 4 and 5 move up and row 4 now points at row 2. Every number and pointer is
    # consistent again, but the links are MACs over (number, previous, content): they need the key.
    _sql("DELETE FROM audit_auditentry WHERE seq = 3")
    _sql("UPDATE audit_auditentry SET seq = 3, prev_hash = %s WHERE seq = 4", chain[1].hash)
    _sql("UPDATE audit_auditentry SET seq = 4 WHERE seq = 5")
    AuditHead.objects.filter(pk=1).update(seq=4, hash=chain[4].hash)

    with pytest.raises(ChainBroken, match="recomputed without the audit key") as broken:
        audit_verify()
    assert broken.value.seq == 3


def test_the_chain_does_not_verify_under_another_key(chain, settings):
    settings.AUDIT_KEY = "một khóa khác"
    with pytest.raises(ChainBroken) as broken:
        audit_verify()
    assert broken.value.seq == 1


def test_it_logs_logins_and_failed_logins_with_the_address(client, org):
    client.post(
        "/dang-nhap/", {"username": "tiepnhan.vinhphu", "password": "sai"}, REMOTE_ADDR="10.0.0.7"
    )
    client.post(
        "/dang-nhap/",
        {"username": "tiepnhan.vinhphu", "password": org.password},
        REMOTE_ADDR="10.0.0.7",
    )

    failed = AuditEntry.objects.get(action="auth.login_failed")
    login = AuditEntry.objects.get(action="auth.login")
    assert failed.object_repr == "tiepnhan.vinhphu" and failed.ip == "10.0.0.7"
    assert login.actor == org["tiepnhan.vinhphu"] and login.ip == "10.0.0.7"
    assert audit_seal() == 2
    assert audit_verify() == (2, 0)


def test_it_audits_changes_made_in_the_admin(client, org):
    client.force_login(org["quantri"])
    unit = org.units["VINHPHU"]
    response = client.post(
        f"/quan-tri/org/unit/{unit.pk}/change/",
        {
            "kind": unit.kind,
            "code": unit.code,
            "name": "Công an phường Vinh Phú (mới)",
            "short_name": unit.short_name,
            "agency_id": unit.agency_id,
            "address": unit.address,
            "parent": unit.parent_id,
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="org.unit.change")
    assert entry.actor == org["quantri"]
    assert entry.changes["name"] == ["Công an phường Vinh Phú", "Công an phường Vinh Phú (mới)"]


def test_a_row_altered_before_its_seal_is_caught_once_sealed(org):
    # The row's content is signed as it is written, so the unsealed window no longer hides edits.
    entry = write(org["quantri"], 1)
    _sql("UPDATE audit_auditentry SET object_repr = %s WHERE id = %s", "Sửa lén", entry.pk)

    assert audit_seal() == 1
    with pytest.raises(ChainBroken, match="content was altered"):
        audit_verify()


def test_a_row_deleted_before_its_seal_goes_unnoticed(org):
    # What remains of the window, stated plainly (docs/operations.md): until the worker's next
    # tick seals a row, deleting it leaves no trace.
    write(org["quantri"], 1)
    doomed = write(org["quantri"], 2)
    _sql("DELETE FROM audit_auditentry WHERE id = %s", doomed.pk)

    assert audit_seal() == 1
    assert audit_verify() == (1, 0)
