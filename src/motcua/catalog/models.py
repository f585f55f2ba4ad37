"""The procedure catalogue (danh mục thủ tục hành chính).

A `Procedure` is the stable identity: its code and its public URL /tthc/<code>/ never change, and
the QR code printed on posters encodes that URL. Its content lives in `ProcedureVersion` rows:
editing writes a draft, publishing turns the draft into the numbered current version and leaves
the previous one in place (superseded, still readable). A dossier binds to the version in force
when it was received.

The procedure row keeps a copy of a few fields of its current version (name, domain, audience,
online level, folded search text) so that the public list and search read one table.
"""

import hashlib
from pathlib import PurePath

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.org.models import Desk, Unit

CODE_PATTERN = r"[0-9]\.[0-9]{6}(?:\.[A-Z0-9]{1,12})?"
code_validator = RegexValidator(
    rf"^{CODE_PATTERN}$",
    _(
        "Mã thủ tục gồm 1 chữ số, dấu chấm, 6 chữ số và hậu tố địa phương nếu có, ví dụ 1.001234 "
        "hoặc 1.001234.H40."
    ),
)


class Audience(models.TextChoices):
    PUBLIC = "public", _("Công dân, tổ chức")
    PERSONNEL = "internal_personnel", _("Nội bộ: tổ chức cán bộ")
    LOGISTICS = "internal_logistics", _("Nội bộ: hậu cần, tài chính")
    RECORDS = "internal_records", _("Nội bộ: hồ sơ nghiệp vụ")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Không trực tuyến")


class Channel(models.TextChoices):
    DESK = "desk", _("Trực tiếp tại bộ phận một cửa")
    POST = "post", _("Qua dịch vụ bưu chính công ích")
    ONLINE = "online", _("Trực tuyến trên Cổng dịch vụ công")


class TimeUnit(models.TextChoices):
    MINUTES = "minutes", _("phút")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    WORKING_DAYS = "working_days", _("ngày làm việc")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đã công bố")


class Domain(models.Model):
    """A field of procedures (lĩnh vực), e.g. residence, identity cards, immigration."""

    code = models.CharField(_("mã lĩnh vực"), max_length=40, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class ProcedureQuerySet(models.QuerySet):
    def published(self):
        return self.filter(current_version__isnull=False)

    def visible_to(self, user):
        """Published procedures a visitor may read: public ones, and internal ones for staff."""
        qs = self.published()
        if not is_staff_viewer(user):
            qs = qs.filter(audience=Audience.PUBLIC)
        return qs


def is_staff_viewer(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_staff_member)


class Procedure(models.Model):
    code = models.CharField(
        _("mã thủ tục"), max_length=40, unique=True, validators=[code_validator]
    )
    owner_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="catalog_procedures",
        verbose_name=_("đơn vị quản lý danh mục"),
        help_text=_("Đơn vị chịu trách nhiệm cập nhật, công bố thủ tục này."),
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    current_version = models.ForeignKey(
        "ProcedureVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("phiên bản đang có hiệu lực"),
    )
    # A copy of the current version's listing fields, refreshed by procedure_publish.
    name = models.CharField(_("tên thủ tục"), max_length=500, blank=True)
    domain = models.ForeignKey(
        Domain, null=True, blank=True, on_delete=models.PROTECT, related_name="procedures"
    )
    audience = models.CharField(
        _("phạm vi"), max_length=20, choices=Audience.choices, default=Audience.PUBLIC
    )
    online_level = models.CharField(
        _("mức độ trực tuyến"), max_length=10, choices=OnlineLevel.choices, blank=True
    )
    search_text = models.TextField(editable=False, blank=True)
    sort_key = models.CharField(max_length=500, editable=False, blank=True, db_index=True)
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    effective_from = models.DateField(_("hiệu lực từ ngày"), null=True, blank=True)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["sort_key", "code"]
        indexes = [
            models.Index(fields=["audience", "sort_key"], name="catalog_proc_aud_sort"),
            # catalog_generation(): MAX(published_at) without reading the table.
            models.Index(fields=["published_at"], name="catalog_proc_published"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()

    @property
    def is_internal(self) -> bool:
        return self.audience != Audience.PUBLIC

    def public_path(self) -> str:
        # Printed on paper: never change this shape (see urls.py).
        return f"/tthc/{self.code}/"

    def public_url(self) -> str:
        return settings.PUBLIC_BASE_URL + self.public_path()

    def short_url(self) -> str:
        """The public URL as printed under a QR code, without the scheme."""
        return self.public_url().split("://", 1)[-1]

    def draft(self):
        return self.versions.filter(status=VersionStatus.DRAFT).first()

    def latest_version(self):
        """The draft when there is one, else the current version."""
        return self.draft() or self.current_version


def form_upload_to(instance: "FormTemplate", filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    return f"catalog/forms/{instance.sha256[:2]}/{instance.sha256}{suffix}"


class FormTemplate(models.Model):
    """A downloadable form (mẫu đơn, tờ khai). Files are immutable and shared between versions
    by reference, so publishing a new version never copies or loses a file."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="form_files")
    name = models.CharField(_("tên mẫu"), max_length=255)
    file = models.FileField(_("tệp"), upload_to=form_upload_to, max_length=255)
    filename = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mẫu đơn, tờ khai")
        verbose_name_plural = _("mẫu đơn, tờ khai")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def extension(self) -> str:
        return PurePath(self.filename).suffix.lower().lstrip(".")

    @staticmethod
    def digest(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()


class ProcedureVersion(models.Model):
    """One version of a procedure's content: a draft, or a numbered published version."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản số"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )

    # The components of a published procedure (Decree 63/2010 Art. 8, amended by 92/2017).
    name = models.CharField(_("tên thủ tục"), max_length=500)
    domain = models.ForeignKey(
        Domain, on_delete=models.PROTECT, related_name="+", verbose_name=_("lĩnh vực")
    )
    audience = models.CharField(
        _("phạm vi"), max_length=20, choices=Audience.choices, default=Audience.PUBLIC
    )
    agency = models.CharField(_("cơ quan thực hiện"), max_length=500, blank=True)
    handling_units = models.ManyToManyField(
        Unit, related_name="handled_procedure_versions", verbose_name=_("đơn vị thực hiện")
    )
    applicants = models.TextField(_("đối tượng thực hiện"), blank=True)
    steps = models.JSONField(_("trình tự thực hiện"), default=list)
    channels = models.JSONField(_("cách thức thực hiện"), default=list)
    online_level = models.CharField(
        _("mức độ trực tuyến"), max_length=10, choices=OnlineLevel.choices
    )
    sets = models.PositiveSmallIntegerField(_("số bộ hồ sơ"), default=1)
    documents = models.JSONField(_("thành phần hồ sơ"), default=list)
    time_value = models.PositiveIntegerField(_("thời hạn giải quyết"))
    time_unit = models.CharField(_("đơn vị thời hạn"), max_length=20, choices=TimeUnit.choices)
    time_note = models.CharField(_("ghi chú thời hạn"), max_length=500, blank=True)
    fees = models.JSONField(_("phí, lệ phí"), default=list)
    fee_note = models.CharField(_("ghi chú phí, lệ phí"), max_length=500, blank=True)
    result = models.TextField(_("kết quả thực hiện"), blank=True)
    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    forms = models.ManyToManyField(
        FormTemplate, blank=True, related_name="versions", verbose_name=_("mẫu đơn, tờ khai")
    )
    legal_basis = models.JSONField(_("căn cứ pháp lý"), default=list)

    change_note = models.TextField(_("nội dung thay đổi"), blank=True)
    content_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    effective_from = models.DateField(_("hiệu lực từ ngày"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("hết hiệu lực lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "number"], name="catalog_version_number_unique"
            ),
            # Editing always goes to the one draft: two drafts would be two truths.
            models.UniqueConstraint(
                fields=["procedure"],
                condition=Q(status="draft"),
                name="catalog_one_draft_per_procedure",
            ),
            models.CheckConstraint(
                condition=Q(status="draft", number__isnull=True)
                | Q(status="published", number__isnull=False),
                name="catalog_published_versions_are_numbered",
            ),
        ]

    def __str__(self) -> str:
        label = f"v{self.number}" if self.number else str(VersionStatus.DRAFT.label)
        return f"{self.procedure.code} {label}"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def is_current(self) -> bool:
        return self.pk is not None and self.procedure.current_version_id == self.pk

    @property
    def is_superseded(self) -> bool:
        return self.status == VersionStatus.PUBLISHED and not self.is_current

    @property
    def is_internal(self) -> bool:
        return self.audience != Audience.PUBLIC

    def desks(self):
        """The one-stop desks that receive this procedure: those serving a handling unit."""
        return (
            Desk.objects.filter(served_units__in=self.handling_units.all(), is_active=True)
            .distinct()
            .order_by("unit__path", "code")
        )

    @property
    def is_free(self) -> bool:
        return not any(fee.get("desk") or fee.get("online") for fee in self.fees)
