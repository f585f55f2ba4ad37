"""The yearly administrative-reform scorecard (domain spec section 7).

A template is a tree of criteria for one year and one kind of unit. A cycle opens a year for a
set of units (participations); each participation holds one assessment per leaf criterion: the
unit's own score with evidence, then the appraisal council's. Publication freezes the cycle and
stores the results; a correction is a new revision of the cycle.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.org.models import Unit, UnitKind


class Method(models.TextChoices):
    FULL_OR_ZERO = "full_or_zero", _("Đạt đủ điểm hoặc 0 điểm")
    GRADED = "graded", _("Chấm theo mức")
    DEDUCTION = "deduction", _("Trừ điểm theo lần vi phạm")
    BONUS = "bonus", _("Điểm thưởng (ngoài điểm tối đa)")
    AUTOMATIC = "automatic", _("Tự động từ chỉ số phục vụ")
    SURVEY = "survey", _("Điều tra xã hội học")


class Template(models.Model):
    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(_("loại đơn vị"), max_length=20, choices=UnitKind.choices)
    name = models.CharField(_("tên bộ tiêu chí"), max_length=255)
    illustrative = models.BooleanField(_("mẫu minh họa"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bộ tiêu chí cải cách hành chính")
        verbose_name_plural = _("bộ tiêu chí cải cách hành chính")
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind"], name="reform_template_year_kind")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class Criterion(models.Model):
    """A node of the tree: a field (no parent), a criterion or a sub-criterion at any depth.
    Only leaves are scored; a parent's points are its children's sum."""

    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(_("mã"), max_length=40)
    text = models.TextField(_("nội dung"))
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=7, decimal_places=2)
    method = models.CharField(_("cách chấm"), max_length=20, choices=Method.choices, blank=True)
    levels = models.CharField(
        _("các mức (%)"), max_length=100, blank=True, help_text=_("Ví dụ: 100,75,50,0")
    )
    points_per_event = models.DecimalField(
        _("điểm trừ mỗi lần"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    na_allowed = models.BooleanField(_("được đánh giá không áp dụng"), default=False)
    indicator = models.CharField(_("mã chỉ tiêu tự động"), max_length=40, blank=True)
    threshold_pct = models.PositiveSmallIntegerField(_("ngưỡng (%)"), default=100)
    position = models.PositiveIntegerField(default=0)
    depth = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(fields=["template", "code"], name="reform_criterion_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.text[:80]}"


class CycleStatus(models.TextChoices):
    OPEN = "open", _("Đang đánh giá")
    PUBLISHED = "published", _("Đã công bố")
    SUPERSEDED = "superseded", _("Đã được đính chính")


class Cycle(models.Model):
    year = models.PositiveSmallIntegerField(_("năm"))
    revision = models.PositiveSmallIntegerField(_("lần"), default=1)
    status = models.CharField(max_length=20, choices=CycleStatus.choices, default="open")
    owner_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField()
    self_due = models.DateTimeField(_("hạn tự đánh giá"))
    appraisal_due = models.DateTimeField(_("hạn thẩm định"))
    publish_due = models.DateTimeField(_("hạn công bố"))
    published_at = models.DateTimeField(null=True, blank=True)
    correction_reason = models.TextField(blank=True)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )

    class Meta:
        ordering = ["-year", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["year", "revision"], name="reform_cycle_revision")
        ]

    def __str__(self) -> str:
        return f"Chỉ số CCHC năm {self.year} (lần {self.revision})"

    @property
    def is_published(self) -> bool:
        return self.status != CycleStatus.OPEN


class ParticipationStatus(models.TextChoices):
    DRAFT = "draft", _("Đang tự đánh giá")
    LOCKED = "locked", _("Đã khóa, chờ thẩm định")
    CLOSED = "closed", _("Đã thẩm định xong")


class Participation(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="participations")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=ParticipationStatus.choices, default="draft")
    locked_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    survey_respondents = models.PositiveIntegerField(null=True, blank=True)
    survey_satisfied_pct = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["cycle", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "unit"], name="reform_participation_once")
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.cycle}"


class AppraisalState(models.TextChoices):
    PENDING = "pending", _("Chờ thẩm định")
    ACCEPTED = "accepted", _("Chấp nhận")
    ADJUSTED = "adjusted", _("Điều chỉnh")
    EVIDENCE_REQUESTED = "evidence", _("Yêu cầu bổ sung tài liệu")


class Assessment(models.Model):
    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="assessments"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    not_applicable = models.BooleanField(default=False)
    # What the unit entered: points, or for a deduction the number of events.
    self_value = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    self_points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    citation = models.CharField(_("văn bản kiểm chứng"), max_length=255, blank=True)
    explanation = models.TextField(_("giải trình"), blank=True)
    appraisal_state = models.CharField(
        max_length=20, choices=AppraisalState.choices, default="pending"
    )
    appraised_points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    appraisal_reason = models.TextField(blank=True)
    evidence_due = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["participation", "criterion__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "criterion"], name="reform_assessment_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participation_id}/{self.criterion_id}"

    @property
    def points(self):
        """What counts: the council's figure once it has one, else the unit's."""
        if self.appraised_points is not None:
            return self.appraised_points
        return self.self_points


class Evidence(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="reform/%Y/", max_length=255)
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


ACTION_LABELS = {
    "cycle.open": _("Mở đánh giá"),
    "cycle.publish": _("Công bố kết quả"),
    "cycle.correct": _("Lập lần đính chính"),
    "self.score": _("Tự chấm điểm"),
    "self.evidence": _("Bổ sung tài liệu kiểm chứng"),
    "self.lock": _("Lãnh đạo duyệt, khóa bản tự đánh giá"),
    "survey.record": _("Ghi kết quả khảo sát"),
    "appraise.accept": _("Hội đồng chấp nhận điểm"),
    "appraise.adjust": _("Hội đồng điều chỉnh điểm"),
    "appraise.ask": _("Hội đồng yêu cầu bổ sung tài liệu"),
    "appraise.close": _("Kết thúc thẩm định"),
}


class Action(models.Model):
    """The cycle's action log: every change, in order, never edited."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="actions")
    participation = models.ForeignKey(
        Participation, null=True, blank=True, on_delete=models.CASCADE, related_name="actions"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    verb = models.CharField(max_length=40)
    detail = models.JSONField(default=dict)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.verb

    @property
    def label(self) -> str:
        return str(ACTION_LABELS.get(self.verb, self.verb))


class Result(models.Model):
    """A unit's result as published (frozen at publication)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20)
    points = models.DecimalField(max_digits=9, decimal_places=2)
    applicable_max = models.DecimalField(max_digits=9, decimal_places=2)
    index = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    band = models.CharField(max_length=40, blank=True)
    rank = models.PositiveIntegerField(null=True)
    rank_of = models.PositiveIntegerField(null=True)
    fields = models.JSONField(default=list)  # [{code, text, points, max, pct, change}]

    class Meta:
        ordering = ["cycle", "kind", "rank", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["cycle", "unit"], name="reform_result_once")]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.index}"
