"""Key the audit chain with AUDIT_KEY: each row gets the MAC of its content, and the chain's links
become MACs too. The plain SHA-256 chain written so far is checked first, then re-signed, so a log
that was already tampered with is not laundered into a valid keyed chain."""

import hashlib
import json

from django.db import migrations, models

GENESIS = "0" * 64


def _plain_digest(entry) -> str:
    # The unkeyed digest of 0001-0004, kept here as it was.
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


def sign_the_chain(apps, schema_editor):
    # The current signing code: the rows must end up exactly as audit-verify checks them.
    from motcua.audit.services import _link, _mac

    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditHead = apps.get_model("audit", "AuditHead")
    head = AuditHead.objects.filter(pk=1).first()
    old_prev = new_prev = GENESIS
    seq = 0
    for entry in AuditEntry.objects.filter(seq__isnull=False).order_by("seq").iterator():
        seq += 1
        if entry.seq != seq or entry.prev_hash != old_prev or _plain_digest(entry) != entry.hash:
            raise RuntimeError(
                f"Nhật ký hệ thống đã bị can thiệp tại bản ghi #{seq}: không ký lại chuỗi. "
                f"The audit log was tampered with at row #{seq}; it was not re-signed."
            )
        old_prev = entry.hash
        entry.mac = _mac(entry)
        entry.prev_hash = new_prev
        entry.hash = new_prev = _link(seq, new_prev, entry.mac)
        entry.save(update_fields=["mac", "prev_hash", "hash"])
    if head is not None and (head.seq, head.hash) != (seq, old_prev):
        raise RuntimeError(
            f"Nhật ký hệ thống không kết thúc ở bản ghi #{head.seq}: không ký lại chuỗi. "
            f"The audit log should end at row #{head.seq}; it was not re-signed."
        )
    if head is not None:
        head.hash = new_prev
        head.save(update_fields=["hash"])
    for entry in AuditEntry.objects.filter(seq__isnull=True).iterator():
        entry.mac = _mac(entry)
        entry.save(update_fields=["mac"])


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0004_shared_cache_table"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="mac",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.RunPython(sign_the_chain, migrations.RunPython.noop),
    ]
