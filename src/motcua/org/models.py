from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.org.roles import Role, capabilities_of


class UnitKind(models.TextChoices):
    MINISTRY = "ministry", _("Bộ")
    PROVINCIAL_POLICE = "provincial", _("Công an tỉnh, thành phố")
    DEPARTMENT = "department", _("Phòng, đơn vị nghiệp vụ")
    DISTRICT_POLICE = "district", _("Công an huyện, thị xã, thành phố")
    COMMUNE_POLICE = "commune", _("Công an xã, phường, thị trấn")
    OTHER = "other", _("Khác")


class UnitQuerySet(models.QuerySet):
    def subtree_of(self, unit: "Unit") -> "UnitQuerySet":
        return self.filter(path__startswith=unit.path)

    def active_on(self, day) -> "UnitQuerySet":
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day),
        )

    def for_user(self, user) -> "UnitQuerySet":
        from motcua.org.scoping import scope

        return scope(self, user, unit_field="")


class Unit(models.Model):
    """A node of the organisation tree.

    `path` is a materialised path of primary keys ("/1/7/42/") so that "this unit and everything
    under it" is one indexed prefix filter, whatever the depth. Units are never deleted: closing
    or merging sets `valid_to` (and `merged_into`), so old dossiers keep their unit.
    """

    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("đơn vị cấp trên"),
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    kind = models.CharField(_("loại đơn vị"), max_length=20, choices=UnitKind.choices)
    code = models.CharField(
        _("mã đơn vị"),
        max_length=40,
        unique=True,
        help_text=_("Mã ngắn dùng trong hệ thống, ví dụ PC06 hoặc NGHIPHU."),
    )
    name = models.CharField(_("tên đơn vị"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    agency_id = models.CharField(
        _("mã định danh"),
        max_length=40,
        blank=True,
        help_text=_(
            "Mã định danh điện tử của cơ quan, dùng trong mã số hồ sơ, ví dụ 000.00.15.H40."
        ),
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    valid_from = models.DateField(_("hiệu lực từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("hết hiệu lực từ ngày"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_units",
        verbose_name=_("sáp nhập vào"),
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        with transaction.atomic():
            old_path = self.path
            if not self.pk:
                super().save(*args, **kwargs)
                kwargs.pop("force_insert", None)
            parent_path = self.parent.path if self.parent_id else "/"
            self.path = f"{parent_path}{self.pk}/"
            self.depth = self.path.count("/") - 2
            super().save(*args, **{**kwargs, "force_insert": False})
            if old_path and old_path != self.path:
                # A move re-roots the whole subtree under the new parent.
                for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                    child.path = self.path + child.path[len(old_path) :]
                    child.depth = child.path.count("/") - 2
                    Unit.objects.filter(pk=child.pk).update(path=child.path, depth=child.depth)

    def clean(self):
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError(
                {"valid_to": _("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.")}
            )
        if self.pk and self.parent_id:
            parent = Unit.objects.get(pk=self.parent_id)
            if parent.path.startswith(self.path):
                raise ValidationError(
                    {"parent": _("Không thể đặt đơn vị làm cấp dưới của chính nó.")}
                )

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return (self.valid_from is None or self.valid_from <= today) and (
            self.valid_to is None or self.valid_to >= today
        )

    def ancestors(self):
        ids = [int(part) for part in self.path.strip("/").split("/") if part]
        return Unit.objects.filter(pk__in=ids).order_by("depth")


class Desk(models.Model):
    """A one-stop desk (Bộ phận một cửa). It belongs to one unit and may serve several."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="desks", verbose_name=_("đơn vị quản lý")
    )
    code = models.CharField(_("mã bộ phận"), max_length=40, unique=True)
    name = models.CharField(_("tên bộ phận"), max_length=255)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    opening_hours = models.CharField(
        _("giờ tiếp nhận"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Sáng 7:30–11:30, chiều 13:30–17:00 từ thứ Hai đến thứ Sáu."),
    )
    served_units = models.ManyToManyField(
        Unit, blank=True, related_name="served_by_desks", verbose_name=_("các đơn vị được phục vụ")
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("bộ phận một cửa")
        verbose_name_plural = _("bộ phận một cửa")
        ordering = ["unit__path", "code"]

    def __str__(self) -> str:
        return self.name


class StaffManager(UserManager):
    def get_queryset(self):
        return super().get_queryset().select_related("unit")

    def for_user(self, user):
        from motcua.org.scoping import scope

        return scope(self.get_queryset(), user, unit_field="unit")


class User(AbstractUser):
    """A staff member (one unit, one role) or a citizen (no unit, role "citizen", identified by a
    12-digit personal identification number; see `motcua.org.citizens`)."""

    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        verbose_name=_("đơn vị"),
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, blank=True)
    position = models.CharField(_("chức vụ"), max_length=120, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    id_number = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)

    objects = StaffManager()

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=~models.Q(id_number=""),
                name="user_id_number_once",
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        # Vietnamese names put the family name first: "Hoàng Thị Thu".
        return f"{self.last_name} {self.first_name}".strip()

    @property
    def capabilities(self) -> frozenset[str]:
        if not self.is_active:
            return frozenset()
        if self.is_superuser:
            return capabilities_of(Role.SYSADMIN)
        return capabilities_of(self.role)

    def can(self, capability: str) -> bool:
        return capability in self.capabilities

    @property
    def is_citizen(self) -> bool:
        return self.is_active and self.role == Role.CITIZEN and self.unit_id is None

    @property
    def is_staff_member(self) -> bool:
        return self.is_active and (self.unit_id is not None or self.is_superuser)
