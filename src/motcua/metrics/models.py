"""The service index (Decision 766): its definition as versioned data, and the daily facts.

A definition version holds groups, indicators and bands. It is never edited once scores are
read from it: changing a weight or a threshold makes a new version with a later effective date,
and a period is always scored by the version in force on its last day (so the scores of old
periods keep theirs).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexDefinition(models.Model):
    version = models.PositiveIntegerField(_("phiên bản"), unique=True)
    name = models.CharField(_("tên bộ chỉ số"), max_length=255)
    effective_from = models.DateField(_("áp dụng từ ngày"))
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("bộ chỉ số")
        verbose_name_plural = _("bộ chỉ số")
        ordering = ["-effective_from", "-version"]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class IndicatorGroup(models.Model):
    definition = models.ForeignKey(IndexDefinition, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(_("mã nhóm"), max_length=40)
    name = models.CharField(_("tên nhóm"), max_length=255)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["definition", "position"]
        constraints = [
            models.UniqueConstraint(fields=["definition", "code"], name="metrics_group_code")
        ]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    group = models.ForeignKey(IndicatorGroup, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("mã chỉ tiêu"), max_length=40)
    name = models.CharField(_("tên chỉ tiêu"), max_length=500)
    max_points = models.PositiveSmallIntegerField(_("điểm tối đa"))
    # Full points at or above this rate (percent); below it points = rate × max ÷ threshold.
    threshold_pct = models.PositiveSmallIntegerField(_("ngưỡng đạt điểm tối đa (%)"), default=100)
    formula = models.CharField(_("công thức"), max_length=60)
    enabled = models.BooleanField(
        _("đang tính điểm"),
        default=True,
        help_text=_("Bỏ chọn: chỉ tiêu hiển thị là chưa có dữ liệu và không tính vào điểm tối đa."),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["group", "position"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Band(models.Model):
    definition = models.ForeignKey(IndexDefinition, on_delete=models.CASCADE, related_name="bands")
    code = models.CharField(_("mã xếp loại"), max_length=40)
    name = models.CharField(_("xếp loại"), max_length=100)
    min_score = models.PositiveSmallIntegerField(_("điểm từ"))

    class Meta:
        ordering = ["definition", "-min_score"]

    def __str__(self) -> str:
        return self.name


class DailyFact(models.Model):
    """How many times something countable happened at one unit on one day (Vietnamese date).

    Written in the same transaction as the dossier step that caused it (metrics.receivers), by
    an upsert that adds to the value, and recomputed from the dossiers by `metrics-rebuild`."""

    # No index of its own: the unique (unit, day, code) index leads with the unit, and every
    # index more is one more write per fact row when metrics-rebuild rewrites millions of them.
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", db_index=False)
    day = models.DateField()
    code = models.CharField(max_length=40)
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "day", "code"], name="metrics_fact_unique")
        ]
        indexes = [models.Index(fields=["day", "code"], name="metrics_fact_day")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day} {self.code}={self.value}"


class MonthlyFact(models.Model):
    """The daily facts of a calendar month summed (`month` is its first day): written by the
    same upsert as the day's, so a year's figures read 12 rows per unit and fact, not 365."""

    # No index of its own: the unique (unit, day, code) index leads with the unit, and every
    # index more is one more write per fact row when metrics-rebuild rewrites millions of them.
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", db_index=False)
    month = models.DateField()
    code = models.CharField(max_length=40)
    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "month", "code"], name="metrics_month_unique")
        ]
        indexes = [models.Index(fields=["month", "code"], name="metrics_month_month")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%m/%Y} {self.code}={self.value}"


class FillState(models.Model):
    """One row per day that `metrics-rebuild` has recomputed in its current run (resume point)."""

    day = models.DateField(unique=True)
    done_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.day}"


class ProcedurePaidOnline(models.Model):
    """Which days of a month saw at least one fee paid online for a procedure at a unit: bit
    d-1 of `days` is set when a dossier of the procedure handled by the unit had its fee paid
    online on day d (Vietnamese date). The indicator "procedures with an online payment in the
    period" reads these few rows instead of a DISTINCT over the dossiers (metrics.catalog_facts).

    Written by the same receiver as the fee_paid_online fact (an upsert OR-ing the day's bit),
    recomputed by `metrics-rebuild`."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    month = models.DateField()
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="+")
    days = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month", "procedure"], name="metrics_paid_online_unique"
            )
        ]
        indexes = [models.Index(fields=["month"], name="metrics_paid_online_month")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%m/%Y} {self.procedure_id} {self.days:b}"
