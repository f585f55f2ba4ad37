from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One row of the append-only, hash-chained audit log.

    A change appends its row *unsealed* (`seq`, `prev_hash` and `hash` empty) with one INSERT in
    the change's own transaction (a rolled-back change leaves no row) and takes no lock, so audited
    writes never queue behind each other. The sealer
    (`audit_seal()`, run by `motcua run-worker` every tick and by `motcua audit-verify`) later
    takes the pending rows in `id` order, numbers them after the chain's tip and chains them: the
    chain order is the seal order, which can differ slightly from `id` order.

    `mac` signs the row's content with AUDIT_KEY (a key kept outside the database) as the row is
    written. Once sealed, `hash` signs the row's number, the previous row's hash and `mac`, so
    altering or deleting any row breaks the chain from that row on, and a database writer cannot
    recompute the chain without the key; `AuditHead` remembers the last row, and the worker
    appends each new head to an anchor file outside the database (`audit_anchor()`), so cutting
    rows from the end is caught too. Between its insert and its seal a row can still be deleted
    (or a genuine recent row copied) without a trace; altering it breaks its `mac`. That window
    lasts up to one worker tick (10 seconds by default, `run-worker --interval`), the price of not
    serialising every audited change in the province.
    """

    seq = models.PositiveBigIntegerField(_("số thứ tự"), null=True, blank=True, unique=True)
    at = models.DateTimeField(_("thời điểm"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    actor_name = models.CharField(_("tên người thực hiện"), max_length=150, blank=True)
    action = models.CharField(_("hành động"), max_length=64, db_index=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=64, blank=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("đối tượng"), max_length=255, blank=True)
    changes = models.JSONField(_("nội dung thay đổi"), default=dict, blank=True)
    ip = models.CharField(_("địa chỉ máy"), max_length=45, blank=True)
    prev_hash = models.CharField(max_length=64, null=True, blank=True)
    mac = models.CharField(max_length=64, blank=True, default="")
    hash = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("bản ghi nhật ký")
        verbose_name_plural = _("nhật ký hệ thống")
        # Not by seq: unsealed rows have none, and SQLite and PostgreSQL sort NULLs differently.
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.seq or '—'} {self.action} {self.object_repr}"  # — until sealed


class AuditHead(models.Model):
    """The single row that serialises sealers (row lock) and remembers the chain's tip."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"
