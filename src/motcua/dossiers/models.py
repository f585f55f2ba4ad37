"""Dossiers (hồ sơ), their append-only action log, files and intake slips."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.text import fold
from motcua.org.scoping import scope

# What the staff search box and the API's q= look in, folded as catalog.text.fold folds the query
# ("Đặng" and "dang" meet as "dang"); the code is only lower-cased, so the words of a folded code
# ("000.46.15.h40 261127 0001") are each inside it.
SEARCHED_FIELDS = (
    "code",
    "applicant_name",
    "applicant_id_number",
    "applicant_org_code",
    "applicant_phone",
    "proxy_name",
    "proxy_id_number",
)


def search_text_of(row) -> str:
    """The folded search column of a dossier (or of a migration's historical row)."""
    code, *rest = (getattr(row, name) or "" for name in SEARCHED_FIELDS)
    return " ".join(part for part in (code.lower(), *map(fold, rest)) if part)


class Status(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận, chờ chuyển")
    ASSIGNING = "assigning", _("Chờ phân công")
    PROCESSING = "processing", _("Đang xử lý")
    PENDING_APPROVAL = "pending_approval", _("Chờ phê duyệt")
    SUPPLEMENT = "supplement", _("Chờ công dân bổ sung")
    RESULT_READY = "result_ready", _("Có kết quả, chờ trả")
    RETURNED = "returned", _("Đã trả kết quả")
    REFUSED = "refused", _("Từ chối giải quyết")
    STOPPED = "stopped", _("Dừng giải quyết")


OPEN_STATUSES = (
    Status.RECEIVED,
    Status.ASSIGNING,
    Status.PROCESSING,
    Status.PENDING_APPROVAL,
    Status.SUPPLEMENT,
)
FINAL_STATUSES = (Status.RETURNED, Status.REFUSED, Status.STOPPED)


class Channel(models.TextChoices):
    DESK = "desk", _("Trực tiếp")
    POST = "post", _("Bưu chính")
    ONLINE = "online", _("Trực tuyến")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức")


class Recipient(models.TextChoices):
    APPLICANT = "applicant", _("Người nộp hồ sơ")
    PROXY = "proxy", _("Người được ủy quyền")


class DeadlineFlag(models.TextChoices):
    OK = "ok", _("Trong hạn")
    NEARING = "nearing", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")


class DossierQuerySet(models.QuerySet):
    def for_user(self, user):
        # A dossier belongs to the unit that received it and to the unit that handles it.
        return scope(self, user, unit_field=("receiving_unit", "handling_unit"))

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Dossier(models.Model):
    code = models.CharField(_("mã hồ sơ"), max_length=64, unique=True)
    tracking_secret = models.CharField(_("mã tra cứu"), max_length=16)
    version = models.PositiveIntegerField(default=1)

    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("thủ tục"),
    )
    desk = models.ForeignKey(
        "org.Desk",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("bộ phận tiếp nhận"),
    )
    receiving_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị tiếp nhận")
    )
    handling_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị giải quyết")
    )
    channel = models.CharField(
        _("hình thức nộp"), max_length=10, choices=Channel.choices, default=Channel.DESK
    )
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, db_index=True)

    applicant_kind = models.CharField(
        max_length=20, choices=ApplicantKind.choices, default=ApplicantKind.PERSON
    )
    applicant_name = models.CharField(_("người nộp"), max_length=255)
    applicant_id_number = models.CharField(_("số định danh"), max_length=20, blank=True)
    applicant_org_code = models.CharField(_("mã số tổ chức"), max_length=20, blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    proxy_name = models.CharField(_("người được ủy quyền"), max_length=255, blank=True)
    proxy_id_number = models.CharField(
        _("số định danh người được ủy quyền"), max_length=20, blank=True
    )
    proxy_authorisation = models.CharField(_("giấy ủy quyền"), max_length=255, blank=True)
    request_summary = models.TextField(_("nội dung yêu cầu"), blank=True)
    checklist = models.JSONField(_("giấy tờ đã nhận"), default=list)

    received_at = models.DateTimeField(_("tiếp nhận lúc"), db_index=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cán bộ tiếp nhận"),
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cán bộ xử lý"),
    )

    # The clock (motcua.worktime.Clock as a dict) and the times read from it, stored so that
    # queues and the deadline worker use indexed columns instead of recomputing. `due_at` is the
    # due the law sets (restarted by a supplement, never moved by an apology): on time, early,
    # nearing and overdue are all judged against it. `extended_due_at` is the apology's new
    # appointment with the applicant.
    clock = models.JSONField(default=dict)
    due_at = models.DateTimeField(_("hạn giải quyết"), null=True, db_index=True)
    warn_at = models.DateTimeField(_("cảnh báo từ lúc"), null=True, db_index=True)
    original_due_at = models.DateTimeField(_("hạn ban đầu"), null=True)
    extended_due_at = models.DateTimeField(_("hạn sau khi hẹn lại"), null=True)
    deadline_flag = models.CharField(
        max_length=10, choices=DeadlineFlag.choices, default=DeadlineFlag.OK, db_index=True
    )

    transfer_due_at = models.DateTimeField(_("hạn chuyển hồ sơ"), null=True)
    transferred_at = models.DateTimeField(_("chuyển lúc"), null=True)
    transfer_mode = models.CharField(max_length=12, blank=True)
    transfer_late = models.BooleanField(default=False)

    supplement_count = models.PositiveSmallIntegerField(default=0)
    supplement_late = models.BooleanField(default=False)
    apology_late = models.BooleanField(default=False)

    # search_text_of(self), rewritten on every save; indexed for LIKE '%word%' on PostgreSQL by a
    # trigram index (migration 0011), which SQLite does without.
    search_text = models.TextField(editable=False, default="")

    result_summary = models.TextField(_("kết quả"), blank=True)
    e_result = models.BooleanField(_("kết quả điện tử"), default=False)
    result_ready_at = models.DateTimeField(null=True)
    returned_at = models.DateTimeField(null=True)
    return_method = models.CharField(max_length=10, blank=True)
    # Who took the result: the applicant, or a named proxy with an ID number (signs for it on
    # the process control slip and in the logbook).
    recipient_kind = models.CharField(max_length=10, choices=Recipient.choices, blank=True)
    recipient_name = models.CharField(_("người nhận kết quả"), max_length=255, blank=True)
    recipient_id_number = models.CharField(
        _("số định danh người nhận kết quả"), max_length=20, blank=True
    )
    returned_early = models.BooleanField(default=False)
    finished_at = models.DateTimeField(null=True, db_index=True)
    finished_on_time = models.BooleanField(null=True)
    stop_reason = models.TextField(blank=True)

    # The fee due is fixed at intake from the procedure; a payment never changes it. The dossier
    # is paid (fee_paid_at set) once the amount paid covers the fee, or once it is exempted.
    fee_amount = models.PositiveBigIntegerField(_("phí, lệ phí (đồng)"), default=0)
    fee_paid_amount = models.PositiveBigIntegerField(_("số tiền đã nộp (đồng)"), default=0)
    # Indexed: the service index counts fees on the day they were paid (metrics-rebuild and the
    # drill-down select by a range of fee_paid_at).
    fee_paid_at = models.DateTimeField(null=True, db_index=True)
    fee_channel = models.CharField(max_length=10, blank=True)
    fee_exempt = models.BooleanField(_("miễn phí, lệ phí"), default=False)
    fee_exempt_reason = models.CharField(_("lý do miễn phí, lệ phí"), max_length=500, blank=True)
    # The citizen account that submitted the dossier online (none for counter intake).
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submitted_dossiers",
        verbose_name=_("công dân nộp trực tuyến"),
    )

    objects = DossierQuerySet.as_manager()
    CITIZEN_OWNER_FIELD = "submitted_by"

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["handling_unit", "status", "due_at"]),
            models.Index(fields=["receiving_unit", "status", "received_at"]),
            models.Index(fields=["desk", "received_at"]),
            # A small unit's newest dossiers, for the search window (selectors._window_edge).
            models.Index(fields=["receiving_unit", "received_at"], name="dossier_recv_unit_time"),
            models.Index(fields=["handling_unit", "received_at"], name="dossier_hand_unit_time"),
            # A whole ID number or phone typed in the search box (selectors.matching).
            models.Index(fields=["applicant_id_number"], name="dossier_applicant_id"),
            models.Index(fields=["applicant_phone"], name="dossier_applicant_phone"),
            models.Index(fields=["proxy_id_number"], name="dossier_proxy_id"),
            models.Index(fields=["applicant_org_code"], name="dossier_applicant_org"),
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args, **kwargs):
        self.search_text = search_text_of(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def fee_outstanding(self) -> int:
        """What is still to pay (0 when nothing is charged, paid or exempted)."""
        if self.fee_exempt or self.fee_paid_at is not None:
            return 0
        return max(self.fee_amount - self.fee_paid_amount, 0)

    @property
    def appointment_at(self):
        """When the applicant is told to come for the result: the apology's new date, unless a
        supplement restarted the clock past it."""
        if self.extended_due_at and self.due_at:
            return max(self.extended_due_at, self.due_at)
        return self.extended_due_at or self.due_at

    @property
    def applicant_display_id(self) -> str:
        return self.applicant_id_number or self.applicant_org_code


class DossierAction(models.Model):
    """One step in a dossier's life. Rows are only ever added: the timeline, the process
    control slip and the indices are read from here."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="actions")
    seq = models.PositiveIntegerField()
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=255, blank=True)
    unit = models.ForeignKey("org.Unit", null=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    due_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["dossier", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "seq"], name="dossier_action_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq} {self.action}"


class FileKind(models.TextChoices):
    SCAN = "scan", _("Bản quét hồ sơ")
    INTERNAL = "internal", _("Tài liệu xử lý nội bộ")
    SUPPLEMENT = "supplement", _("Giấy tờ bổ sung")
    RESULT = "result", _("Kết quả")


class DossierFile(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(max_length=12, choices=FileKind.choices)
    name = models.CharField(max_length=255)
    file = models.FileField(upload_to="dossiers/%Y/%m/", max_length=255)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name


class DailyCounter(models.Model):
    """The per-unit, per-day sequence behind dossier codes. Incremented in the same transaction
    as the dossier it numbers, so a rolled-back intake leaves no gap."""

    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="daily_counter_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day} {self.last}"


class IntakeOutcome(models.TextChoices):
    INCOMPLETE = "incomplete", _("Yêu cầu bổ sung, hoàn thiện hồ sơ")
    REFUSED = "refused", _("Từ chối tiếp nhận")


class IntakeSlip(models.Model):
    """A visit that did not end in a received dossier: still logged, and its slip printable."""

    outcome = models.CharField(max_length=12, choices=IntakeOutcome.choices)
    number = models.CharField(max_length=40, unique=True)
    desk = models.ForeignKey("org.Desk", on_delete=models.PROTECT, related_name="+")
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion", on_delete=models.PROTECT, related_name="+"
    )
    applicant = models.JSONField(default=dict)
    items = models.JSONField(default=list)  # missing documents, or reasons for refusal
    note = models.TextField(blank=True)
    at = models.DateTimeField()
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return self.number


class Notification(models.Model):
    """In-app notice to one staff member. `key` makes each notice unique, so a worker that runs
    twice (or on two machines) never notifies twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    dossier = models.ForeignKey(Dossier, null=True, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=120)
    message = models.CharField(max_length=500)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once")]

    def __str__(self) -> str:
        return self.message
