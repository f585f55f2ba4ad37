import hashlib
import json
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from motcua.audit.middleware import current_ip
from motcua.audit.models import AuditEntry, AuditHead

GENESIS = "0" * 64


def _digest(entry: AuditEntry) -> str:
    payload = json.dumps(
        {
            "seq": entry.seq,
            "at": entry.at.isoformat(),
            "actor": entry.actor_id,
            "actor_name": entry.actor_name,
            "action": entry.action,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "object_repr": entry.object_repr,
            "changes": entry.changes,
            "ip": entry.ip,
            "prev": entry.prev_hash,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _jsonable(value):
    return json.loads(json.dumps(value, default=str))


def audit_record(
    *,
    actor,
    action: str,
    obj=None,
    changes: dict | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    ip: str | None = None,
) -> AuditEntry:
    """Append one unsealed row to the audit log, inside the caller's transaction.

    One INSERT and no lock: audited changes no longer queue behind each other. The row joins the
    hash chain when `audit_seal()` runs (every tick of `motcua run-worker`).
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:255]
    actor_obj = actor if getattr(actor, "pk", None) else None
    return AuditEntry.objects.create(
        at=timezone.now(),
        actor=actor_obj,
        actor_name=(actor_obj.get_username() if actor_obj else str(actor or ""))[:150],
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        object_repr=object_repr[:255],
        changes=_jsonable(changes or {}),
        ip=current_ip.get() if ip is None else ip,
    )


def _locked_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:  # a fresh database (or one flushed by tests)
        AuditHead.objects.get_or_create(pk=1)
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


def audit_seal(batch: int = 5000) -> int:
    """Chain up to `batch` unsealed rows onto the log, oldest `id` first; return how many.

    The head's row lock makes concurrent sealers queue, and the pending rows are read only once
    the lock is held, so two sealers never number the same row or fork the chain. Callers loop
    until it returns 0.
    """
    with transaction.atomic():
        head = _locked_head()
        pending = list(AuditEntry.objects.filter(seq__isnull=True).order_by("id")[:batch])
        if not pending:
            return 0
        seq, prev = head.seq, head.hash
        for entry in pending:
            seq += 1
            entry.seq, entry.prev_hash = seq, prev
            entry.hash = prev = _digest(entry)
        AuditEntry.objects.bulk_update(pending, ["seq", "prev_hash", "hash"], batch_size=500)
        head.seq, head.hash = seq, prev
        head.save(update_fields=["seq", "hash"])
    return len(pending)


def audit_seal_all(batch: int = 5000) -> int:
    """Seal until nothing is pending; return how many rows were sealed."""
    total = 0
    while sealed := audit_seal(batch):
        total += sealed
    return total


def model_changes(old, new, fields) -> dict:
    """{field: [before, after]} for the fields that differ, for an audit summary."""
    diff = {}
    for name in fields:
        before = getattr(old, name, None) if old is not None else None
        after = getattr(new, name, None)
        if before != after:
            diff[name] = [before, after]
    return _jsonable(diff)


class ChainBroken(Exception):
    def __init__(self, seq: int | None, reason: str):
        super().__init__(f"row {seq}: {reason}" if seq is not None else reason)
        self.seq = seq
        self.reason = reason


class Verified(NamedTuple):
    rows: int  # sealed rows, all intact
    unsealed: int  # rows appended since the last seal: not yet protected by the chain


def audit_verify() -> Verified:
    """Walk the sealed chain from the start and check the head; raise ChainBroken at the first
    row that was altered, removed or inserted. Unsealed rows are only counted."""
    # The head first: rows a sealer adds while we walk lie beyond it and wait for the next check.
    head = AuditHead.objects.filter(pk=1).first() or AuditHead()
    prev = GENESIS
    expected_seq = 1
    count = 0
    sealed = AuditEntry.objects.filter(seq__isnull=False, seq__lte=head.seq).order_by("seq")
    for entry in sealed.iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            raise ChainBroken(expected_seq, f"missing (next row present is #{entry.seq})")
        if entry.prev_hash != prev:
            raise ChainBroken(
                entry.seq, "does not follow the previous row (a row was removed or altered)"
            )
        if _digest(entry) != entry.hash:
            raise ChainBroken(entry.seq, "content was altered")
        prev = entry.hash
        expected_seq += 1
        count += 1
    if head.seq != count or head.hash != prev:
        raise ChainBroken(head.seq, f"the log should end at row #{head.seq} but ends at #{count}")
    return Verified(count, AuditEntry.objects.filter(seq__isnull=True).count())
