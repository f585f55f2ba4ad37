"""Feedback and complaints (phản ánh, kiến nghị: PAKN), their action log and attachments.

A feedback is about a procedure, a dossier or a unit, and belongs to the unit responsible for
answering it (`unit`): the dossier's handling unit, the unit the citizen named, or the unit a
procedure is handled by. Staff see it when that unit lies in their subtree (org.scoping).

Deadlines are working time in that unit's calendar, counted from the filing (domain spec
section 4): reject within 2 working days, ask for more information within 5, answer within 15
(the wait for the citizen's information does not count), publish the answer within 2 working
days of answering. Each due is stored; `due_at`/`warn_at` are the one the worker watches now.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.org.scoping import scope

# Working days allowed for each step.
REJECT_DAYS, INFO_DAYS, ANSWER_DAYS, PUBLISH_DAYS = 2, 5, 15, 2


class Subject(models.TextChoices):
    PROCEDURE = "procedure", _("Thủ tục hành chính")
    DOSSIER = "dossier", _("Hồ sơ")
    UNIT = "unit", _("Đơn vị, cán bộ")


class State(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    REJECTED = "rejected", _("Không tiếp nhận xử lý")
    INFO_REQUESTED = "info_requested", _("Chờ bổ sung thông tin")
    INFO_RECEIVED = "info_received", _("Đã nhận thông tin bổ sung")
    ANSWERED = "answered", _("Đã trả lời")
    PUBLISHED = "published", _("Đã trả lời và công khai")


class DeadlineFlag(models.TextChoices):
    OK = "ok", _("Trong hạn")
    NEARING = "nearing", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")


# States in which the unit owes an answer, and the one in which it owes publication.
AWAITING_ANSWER = (State.RECEIVED, State.INFO_RECEIVED)
WATCHED = (*AWAITING_ANSWER, State.ANSWERED)


class FeedbackQuerySet(models.QuerySet):
    def for_user(self, user):
        return scope(self, user, unit_field="unit")

    def published(self):
        return self.filter(state=State.PUBLISHED)


class Feedback(models.Model):
    code = models.CharField(_("mã phản ánh"), max_length=32, unique=True)
    secret = models.CharField(_("mã theo dõi"), max_length=16)
    subject = models.CharField(_("phản ánh về"), max_length=10, choices=Subject.choices)
    procedure = models.ForeignKey(
        "catalog.Procedure",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("thủ tục"),
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
        verbose_name=_("hồ sơ"),
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị xử lý")
    )
    state = models.CharField(
        _("trạng thái"), max_length=20, choices=State.choices, default=State.RECEIVED
    )

    # What the citizen wrote: shown to staff only, never on a public page.
    name = models.CharField(_("họ và tên"), max_length=200)
    contact = models.CharField(_("điện thoại hoặc thư điện tử"), max_length=254)
    content = models.TextField(_("nội dung"))
    filed_at = models.DateTimeField(_("gửi lúc"), db_index=True)

    reject_due_at = models.DateTimeField(_("hạn từ chối"))
    info_due_at = models.DateTimeField(_("hạn yêu cầu bổ sung thông tin"))
    answer_due_at = models.DateTimeField(_("hạn trả lời"))
    publish_due_at = models.DateTimeField(_("hạn công khai"), null=True, blank=True)
    # The due the worker watches now (the answer's, then the publication's), and when it warns.
    due_at = models.DateTimeField(null=True, db_index=True)
    # Working minutes of the answer's budget left when more information was asked for: the wait
    # for the citizen does not count, so the answer's due moves on by the wait.
    answer_minutes_left = models.PositiveIntegerField(null=True, blank=True)
    warn_at = models.DateTimeField(null=True, db_index=True)
    deadline_flag = models.CharField(
        max_length=10, choices=DeadlineFlag.choices, default=DeadlineFlag.OK, db_index=True
    )

    rejected_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.TextField(_("lý do không tiếp nhận"), blank=True)
    info_requested_at = models.DateTimeField(null=True, blank=True)
    info_request = models.TextField(_("thông tin cần bổ sung"), blank=True)
    info_received_at = models.DateTimeField(null=True, blank=True)
    info_reply = models.TextField(_("thông tin công dân bổ sung"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # What the public page shows: the content and the answer as edited for publication, without
    # names, contacts or ID numbers.
    public_summary = models.TextField(_("tóm tắt nội dung để công khai"), blank=True)
    public_answer = models.TextField(_("nội dung trả lời để công khai"), blank=True)

    # Stored when each step happens: the index counts "feedback handled on time" from these.
    rejected_on_time = models.BooleanField(null=True)
    info_requested_on_time = models.BooleanField(null=True)
    answered_on_time = models.BooleanField(null=True, db_index=True)
    published_on_time = models.BooleanField(null=True)

    # The citizen's verdict on the answer: True liked, False disliked, None not said (once).
    satisfied = models.BooleanField(null=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-filed_at"]
        indexes = [
            models.Index(fields=["unit", "state", "due_at"]),
            models.Index(fields=["state", "published_at"]),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_answered(self) -> bool:
        return self.state in (State.ANSWERED, State.PUBLISHED)

    @property
    def handled_on_time(self) -> bool | None:
        """Answered, or rightly refused, within its due (None while neither happened)."""
        if self.answered_on_time is not None:
            return self.answered_on_time
        return self.rejected_on_time

    @property
    def about(self) -> str:
        """What it is about, as the public may read it (no dossier code: that names a person)."""
        if self.subject == Subject.PROCEDURE and self.procedure_id:
            return self.procedure.name
        if self.subject == Subject.DOSSIER and self.dossier_id:
            return self.dossier.procedure_version.name
        return self.unit.name


class FeedbackAction(models.Model):
    """One step in a feedback's life; rows are only ever added."""

    feedback = models.ForeignKey(Feedback, on_delete=models.PROTECT, related_name="actions")
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=32)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=255, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["feedback", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["feedback", "seq"], name="feedback_action_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.feedback_id}#{self.seq} {self.action}"


class FeedbackFile(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.PROTECT, related_name="files")
    name = models.CharField(max_length=255)
    file = models.FileField(upload_to="feedback/%Y/%m/", max_length=255)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name


class FeedbackCounter(models.Model):
    """The per-day sequence behind PAKN-YYMMDD-XXXX codes."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day} {self.last}"
