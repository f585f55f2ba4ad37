import hashlib
import hmac
import json
import os
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.audit.middleware import current_ip
from motcua.audit.models import AuditEntry, AuditHead

GENESIS = "0" * 64


def _sign(message: str) -> str:
    # Keyed with AUDIT_KEY, which is not in the database: a database writer cannot compute a row's
    # MAC or a link of the chain, so rewriting the log and recomputing the chain is detected.
    return hmac.new(settings.AUDIT_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()


def _mac(entry: AuditEntry) -> str:
    """The row's content, signed when the row is written, before it joins the chain."""
    content = json.dumps(
        {
            "at": entry.at.isoformat(),
            "actor": entry.actor_id,
            "actor_name": entry.actor_name,
            "action": entry.action,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "object_repr": entry.object_repr,
            "changes": entry.changes,
            "ip": entry.ip,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return _sign(content)


def _link(seq: int, prev: str, mac: str) -> str:
    return _sign(f"{seq}:{prev}:{mac}")


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

    One INSERT and no lock: audited changes no longer queue behind each other. The row carries
    its content's MAC at once, so a change to it before its seal is detected too; it joins the
    hash chain when `audit_seal()` runs (every tick of `motcua run-worker`).
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:255]
    actor_obj = actor if getattr(actor, "pk", None) else None
    entry = AuditEntry(
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
    entry.mac = _mac(entry)
    entry.save(force_insert=True)
    return entry


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
            entry.hash = prev = _link(seq, prev, entry.mac)
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


class Anchor(NamedTuple):
    """The chain's head as the worker wrote it to the anchor file, outside the database."""

    at: datetime
    seq: int
    hash: str


def _anchor_path(path) -> Path:
    return Path(path or settings.AUDIT_ANCHOR_FILE)


def _anchor_line(anchor: Anchor) -> str:
    body = f"{anchor.at.isoformat()} {anchor.seq} {anchor.hash}"
    return f"{body} {_sign('anchor ' + body)}"


def _parse_anchor(line: str, where: str) -> Anchor:
    try:
        at, seq, hash_, _signature = line.split()
        anchor = Anchor(datetime.fromisoformat(at), int(seq), hash_)
    except ValueError:
        raise ChainBroken(None, f"anchor file {where} is unreadable")
    if not hmac.compare_digest(_anchor_line(anchor), line):
        raise ChainBroken(None, f"anchor file {where} is not signed with the audit key")
    return anchor


def audit_anchors(path=None) -> list[Anchor]:
    """Every anchor in the file, checked against their signatures (none if there is no file)."""
    try:
        with _anchor_path(path).open(encoding="ascii", errors="replace") as file:
            lines = [(n, line.strip()) for n, line in enumerate(file, start=1) if line.strip()]
    except FileNotFoundError:
        return []
    return [_parse_anchor(line, f"line {n}") for n, line in lines]


def audit_last_anchor(path=None) -> Anchor | None:
    """The newest anchor (reads only the end of the file), or None."""
    try:
        with _anchor_path(path).open("rb") as file:
            file.seek(0, os.SEEK_END)
            file.seek(max(0, file.tell() - 1024))  # a line is under 200 bytes
            lines = file.read().decode("ascii", errors="replace").strip().splitlines()
    except FileNotFoundError:
        return None
    return _parse_anchor(lines[-1], "last line") if lines else None


def audit_anchor(path=None) -> Anchor | None:
    """Append the chain's head to the anchor file if it moved since the last anchor; return it.

    The file is only ever appended to, and each line is signed: truncating the log in the
    database, or rewinding its head to an earlier row, no longer matches the file.
    """
    head = AuditHead.objects.filter(pk=1).first()
    if head is None or head.seq == 0:
        return None
    try:
        last = audit_last_anchor(path)
    except ChainBroken:  # audit-verify reports the bad line; the worker keeps anchoring
        last = None
    if last is not None and (last.seq, last.hash) == (head.seq, head.hash):
        return None
    anchor = Anchor(timezone.now(), head.seq, head.hash)
    target = _anchor_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("a", encoding="ascii") as file:
        file.write(_anchor_line(anchor) + "\n")
        file.flush()
        os.fsync(file.fileno())
    return anchor


def audit_verify(anchor_file=None) -> Verified:
    """Walk the sealed chain from the start, check the head and every anchor in the anchor file;
    raise ChainBroken at the first row that was altered, removed or inserted. Unsealed rows are
    only counted."""
    anchors = {anchor.seq: anchor for anchor in audit_anchors(anchor_file)}
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
        if not hmac.compare_digest(_mac(entry), entry.mac):
            raise ChainBroken(entry.seq, "content was altered")
        if not hmac.compare_digest(_link(entry.seq, prev, entry.mac), entry.hash):
            raise ChainBroken(entry.seq, "the chain was recomputed without the audit key")
        anchor = anchors.get(entry.seq)
        if anchor is not None and anchor.hash != entry.hash:
            raise ChainBroken(entry.seq, f"differs from the anchor of {anchor.at:%Y-%m-%d %H:%M}")
        prev = entry.hash
        expected_seq += 1
        count += 1
    if head.seq != count or head.hash != prev:
        raise ChainBroken(head.seq, f"the log should end at row #{head.seq} but ends at #{count}")
    beyond = [seq for seq in anchors if seq > count]
    if beyond:
        raise ChainBroken(
            count + 1, f"the log ends at row #{count} but was anchored at row #{max(beyond)}"
        )
    return Verified(count, AuditEntry.objects.filter(seq__isnull=True).count())
