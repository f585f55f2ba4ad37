"""An online application (đơn nộp trực tuyến): what a citizen fills in and uploads before the
desk receives it. Drafts are not dossiers: no code, no clock, not counted anywhere. Accepting one
makes the Dossier (channel online); the application keeps a link to it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    SUBMITTED = "submitted", _("Đã nộp, chờ tiếp nhận")
    RETURNED = "returned", _("Cần bổ sung, hoàn thiện")
    RESUBMITTED = "resubmitted", _("Đã nộp lại, chờ tiếp nhận")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
    REFUSED = "refused", _("Từ chối tiếp nhận")


# What the citizen may still change, and what waits in the desk's inbox.
EDITABLE = (AppStatus.DRAFT, AppStatus.RETURNED)
WAITING = (AppStatus.SUBMITTED, AppStatus.RESUBMITTED)


class OnlineApplicationQuerySet(models.QuerySet):
    def for_user(self, user):
        from motcua.org.scoping import scope

        # Staff see the applications sent to desks of their subtree; a citizen their own.
        return scope(self, user, unit_field="desk__unit")

    def waiting(self):
        return self.filter(status__in=WAITING)


class OnlineApplication(models.Model):
    # One per form the citizen was given: a double tap, a retried request or a replayed form
    # carries the same key and can never make a second application.
    idempotency_key = models.CharField(max_length=64, unique=True)
    # Bumped on every change; a form carries the revision it was rendered from, and a post made
    # from an older one changes nothing.
    revision = models.PositiveIntegerField(default=1)
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="online_applications",
        verbose_name=_("công dân"),
    )
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("thủ tục"),
    )
    desk = models.ForeignKey(
        "org.Desk", on_delete=models.PROTECT, related_name="+", verbose_name=_("nơi tiếp nhận")
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=AppStatus.choices,
        default=AppStatus.DRAFT,
        db_index=True,
    )
    # The applicant as dossiers.services.clean_applicant reads it (kind, name, id_number, ...).
    applicant = models.JSONField(default=dict)
    request_summary = models.TextField(_("nội dung yêu cầu"), blank=True)

    # Returned for completion: once, every missing item listed.
    missing_items = models.JSONField(default=list, blank=True)
    return_note = models.TextField(blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    refusal_reasons = models.JSONField(default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    dossier = models.OneToOneField(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="online_application",
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When it last entered the desk's inbox (first submission or resubmission): the inbox age.
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = OnlineApplicationQuerySet.as_manager()
    CITIZEN_OWNER_FIELD = "citizen"

    class Meta:
        verbose_name = _("đơn nộp trực tuyến")
        verbose_name_plural = _("đơn nộp trực tuyến")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["desk", "status", "submitted_at"])]

    def __str__(self) -> str:
        # What the audit log names it by: no query (the procedure is in the audited changes).
        return f"#{self.pk}"

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def was_returned(self) -> bool:
        return self.returned_at is not None

    @property
    def applicant_name(self) -> str:
        return str(self.applicant.get("name", ""))


class ApplicationFile(models.Model):
    """The upload for one component of the document checklist (one file per component; a new
    upload replaces the old)."""

    application = models.ForeignKey(
        OnlineApplication, on_delete=models.CASCADE, related_name="files"
    )
    component = models.CharField(_("thành phần hồ sơ"), max_length=500)
    name = models.CharField(max_length=255)
    file = models.FileField(upload_to="online/%Y/%m/", max_length=255)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["application", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "component"], name="online_file_one_per_component"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ApplicationEvent(models.Model):
    """The application's history, append-only: every step that concerns the citizen before a
    dossier exists (after that, the dossier's action log speaks). `events.application_event`
    writes it; the notices app hangs off that one function."""

    application = models.ForeignKey(
        OnlineApplication, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=20)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["application", "at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind}"
