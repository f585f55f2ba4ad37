"""People serving sentences in the community (domain spec section 9).

A case is kept by one commune police unit; every timer of section 9 is a `Task` row with a
stored, indexed due instant that the worker flags (`watch.sentence_watch`). ID number and
crime summary are encrypted at rest (`crypto.EncryptedTextField`); `id_hash` finds a case by
ID number. Every read of a case leaves a `ReadLog` row (and an audit row)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.sentences.crypto import EncryptedTextField


class Kind(models.TextChoices):
    SUSPENDED = "suspended", _("Án treo")
    REFORM = "reform", _("Cải tạo không giam giữ")
    RESIDENCE_BAN = "residence_ban", _("Cấm cư trú")
    PROBATION = "probation", _("Quản chế")
    CIVIC_RIGHTS = "civic_rights", _("Tước một số quyền công dân")
    PROFESSION_BAN = (
        "profession_ban",
        _("Cấm đảm nhiệm chức vụ, cấm hành nghề hoặc làm công việc nhất định"),
    )
    POSTPONED = "postponed", _("Hoãn chấp hành án phạt tù")
    PRISON_SUSPENDED = "prison_suspended", _("Tạm đình chỉ chấp hành án phạt tù")
    EARLY_RELEASE = "early_release", _("Tha tù trước thời hạn có điều kiện")
    WARNING = "warning", _("Cảnh cáo")


class CaseStatus(models.TextChoices):
    SUPERVISING = "supervising", _("Đang theo dõi")
    COMPLETED = "completed", _("Đã chấp hành xong")
    REVOKED = "revoked", _("Đã hủy bỏ, chuyển chấp hành án khác")


class Case(models.Model):
    code = models.CharField(_("mã hồ sơ"), max_length=20, unique=True)
    commune = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="sentence_cases",
        verbose_name=_("Công an cấp xã theo dõi"),
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cán bộ theo dõi"),
    )
    # The person
    full_name = models.CharField(_("họ và tên"), max_length=120)
    birth_date = models.DateField(_("ngày sinh"))
    address = models.CharField(_("nơi cư trú"), max_length=255)
    background = models.TextField(_("đặc điểm nhân thân"), blank=True)
    id_number = EncryptedTextField(_("số định danh cá nhân"))
    id_hash = models.CharField(max_length=64, db_index=True, editable=False)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    # The court decision
    court = models.CharField(_("tòa án"), max_length=255)
    decision_number = models.CharField(_("số bản án, quyết định"), max_length=60)
    decision_date = models.DateField(_("ngày bản án, quyết định"))
    kind = models.CharField(_("loại hình phạt"), max_length=20, choices=Kind.choices)
    crime_summary = EncryptedTextField(_("tội danh, tóm tắt"), blank=True)
    term_months = models.PositiveSmallIntegerField(_("thời hạn (tháng)"), default=0)
    term_days = models.PositiveSmallIntegerField(_("thời hạn (ngày)"), default=0)
    civil_duties = models.TextField(_("nghĩa vụ dân sự"), blank=True)
    community_supervisors = models.TextField(_("người được giao giám sát, giáo dục"), blank=True)
    file_received_at = models.DateTimeField(_("ngày nhận quyết định, hồ sơ"))
    release_on = models.DateField(_("ngày được trả tự do"), null=True, blank=True)
    start_on = models.DateField(_("ngày bắt đầu"))
    end_on = models.DateField(_("ngày kết thúc"))
    received_at = models.DateTimeField(_("ngày tiếp nhận người chấp hành án"), null=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.SUPERVISING
    )
    prosecution_pending = models.BooleanField(
        _("đang bị truy cứu trách nhiệm hình sự"), default=False
    )
    revocation_pending = models.BooleanField(_("đang đề nghị hủy bỏ, thu hồi"), default=False)
    absconded = models.BooleanField(_("bỏ trốn"), default=False)
    checkin_code_hash = models.CharField(max_length=64, blank=True, editable=False)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("hồ sơ thi hành án tại cộng đồng")
        verbose_name_plural = _("hồ sơ thi hành án tại cộng đồng")
        indexes = [
            models.Index(fields=["commune", "status"]),
            # The dashboards' people by kind and completions of the year, without the table.
            models.Index(
                fields=["status", "kind", "commune"],
                include=["completed_at"],
                name="sentence_case_status_kind",
            ),
        ]

    def __str__(self) -> str:
        # No name: audit rows and logs name a case by its code only.
        return self.code


class TaskKind(models.TextChoices):
    ASSIGN = "assign", _("Phân công cán bộ, bắt đầu theo dõi")
    RECEPTION_REPORT = "reception_report", _("Báo cáo tiếp nhận người chấp hành án")
    PLAN = "plan", _("Lập kế hoạch giám sát, giáo dục")
    CHECKIN = "checkin", _("Trình diện hằng tháng")
    ASSESSMENT = "assessment", _("Nhận xét, đánh giá định kỳ")
    REVIEW_MEETING = "review_meeting", _("Họp kiểm điểm sau vi phạm")
    HANDBACK = "handback", _("Bàn giao hồ sơ trước khi hết thời hạn")
    COMPLETION = "completion", _("Cấp giấy chứng nhận chấp hành xong")


class Task(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    # Denormalised from the case so a commune's to-do page is one indexed range.
    commune = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=TaskKind.choices)
    period = models.DateField(null=True, blank=True)  # the month (1st day) a monthly task is for
    opens_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(db_index=True)
    done_at = models.DateTimeField(null=True, blank=True)
    overdue = models.BooleanField(default=False)
    # Still to do: not done, and the case is still supervised (a case that ends closes its
    # remaining timers). Every screen and the worker read open timers through a partial index.
    is_open = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "period"], name="sentence_task_once"),
        ]
        indexes = [
            models.Index(fields=["commune", "done_at", "due_at"]),
            models.Index(
                fields=["commune", "due_at"],
                condition=models.Q(is_open=True),
                name="sentence_task_open",
            ),
            # The dashboards' monthly completion counts: with done_at in the index they are
            # index-only scans (a month's 14,000 rows of a province lie on as many pages).
            models.Index(
                fields=["period", "kind", "commune"],
                include=["done_at"],
                name="sentence_task_month",
            ),
            # The dashboards' "due now" and "overdue" counts over a whole province (and, with
            # commune_id in the key, a commune's without reading the table).
            models.Index(
                fields=["opens_at", "commune"],
                condition=models.Q(is_open=True, overdue=False),
                name="sentence_task_window",
            ),
            models.Index(
                fields=["commune"],
                condition=models.Q(is_open=True, overdue=True),
                name="sentence_task_late",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.kind}:{self.period or ''}"


class ReadLog(models.Model):
    """Who read which case, when and why (Decree 160/2026: every access logged with a purpose)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    purpose = models.CharField(_("mục đích truy cập"), max_length=255)
    what = models.CharField(max_length=40, default="page")

    def __str__(self) -> str:
        return f"{self.case_id}:{self.user_id}:{self.at:%Y-%m-%d %H:%M}"


class CheckIn(models.Model):
    class How(models.TextChoices):
        OFFICE = "office", _("Trực tiếp tại trụ sở")
        PHONE = "phone", _("Qua điện thoại")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="checkins")
    at = models.DateTimeField()
    how = models.CharField(max_length=10, choices=How.choices)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    photo = models.FileField(upload_to="sentences/checkins/", blank=True)
    # The person's monthly self-report (suspended sentence, reform, probation, early release).
    self_report = models.TextField(_("bản tự nhận xét"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.case_id}:{self.at:%Y-%m-%d %H:%M}"


class Rating(models.TextChoices):
    GOOD = "tot", _("Tốt")
    FAIR = "kha", _("Khá")
    AVERAGE = "trung_binh", _("Trung bình")
    POOR = "kem", _("Kém")


class Assessment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    period = models.DateField()
    rating = models.CharField(max_length=12, choices=Rating.choices)
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "period"], name="sentence_assessment_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.period:%m/%Y}:{self.rating}"


class Violation(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="violations")
    on = models.DateField()
    description = models.TextField()
    fined = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.case_id}:{self.on:%d/%m/%Y}"


class Absence(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="absences")
    start_on = models.DateField()
    end_on = models.DateField()
    destination = models.CharField(max_length=255)
    reason = models.TextField()
    medical = models.BooleanField(default=False)
    approved = models.BooleanField()
    refusal_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.case_id}:{self.start_on:%d/%m/%Y}-{self.end_on:%d/%m/%Y}"

    @property
    def days(self) -> int:
        return (self.end_on - self.start_on).days + 1


class Transfer(models.Model):
    """A move of residence: the file handed over to another commune, with the minutes."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    from_commune = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    to_commune = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    new_address = models.CharField(max_length=255)
    minutes = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.case_id}:{self.from_commune_id}->{self.to_commune_id}"


class DocumentKind(models.TextChoices):
    DECISION = "decision", _("Bản án, quyết định thi hành án")
    RECEPTION = "reception", _("Biên bản tiếp nhận")
    COMMITMENT = "commitment", _("Bản cam kết")
    REPORT = "report", _("Bản tự nhận xét, báo cáo")
    VIOLATION = "violation", _("Biên bản vi phạm")
    OTHER = "other", _("Tài liệu khác")


def _document_path(instance, filename: str) -> str:
    # Non-guessable: a random directory and name, nothing from the case or the person.
    import secrets

    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"sentences/{secrets.token_hex(16)}/{secrets.token_hex(16)}.{extension}"


class Document(models.Model):
    """A document of the supervision file (hồ sơ giám sát, giáo dục). Stored under the media
    root at a random path and served only through the logged download view; it belongs to the
    case, so it moves with the case when the person changes residence."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("loại tài liệu"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("tên tài liệu"), max_length=200)
    name = models.CharField(max_length=255)
    file = models.FileField(upload_to=_document_path, max_length=255)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.title
