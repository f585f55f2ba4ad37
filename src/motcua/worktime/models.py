"""Where the working calendars live in the database. The arithmetic is in core.py."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.worktime.core import normalize_sessions


def validate_sessions(value: str) -> None:
    if not value.strip():
        return
    try:
        normalize_sessions(value)
    except ValueError:
        raise ValidationError(
            _("Giờ làm việc không hợp lệ. Ví dụ đúng: 07:30-11:30, 13:30-17:00"), code="sessions"
        )


class UnitCalendar(models.Model):
    """A unit's own office hours. Units without one use their nearest ancestor's, or the default
    07:30–11:30 and 13:30–17:00, Monday to Friday."""

    unit = models.OneToOneField(
        "org.Unit", on_delete=models.CASCADE, related_name="calendar", verbose_name=_("đơn vị")
    )
    sessions = models.CharField(
        _("giờ làm việc thứ Hai – thứ Sáu"),
        max_length=100,
        default="07:30-11:30, 13:30-17:00",
        validators=[validate_sessions],
    )
    saturday_sessions = models.CharField(
        _("giờ làm việc sáng thứ Bảy"),
        max_length=100,
        blank=True,
        validators=[validate_sessions],
        help_text=_("Để trống nếu không làm việc thứ Bảy. Ví dụ: 07:30-11:30"),
    )
    saturday_counts = models.BooleanField(
        _("buổi làm việc thứ Bảy được tính vào thời hạn giải quyết"),
        default=False,
        help_text=_(
            "Mặc định buổi thứ Bảy chỉ để tiếp nhận và trả kết quả; thời hạn giải quyết chỉ tính "
            "thứ Hai – thứ Sáu và ngày làm bù theo lịch chung."
        ),
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("lịch làm việc của đơn vị")
        verbose_name_plural = _("lịch làm việc của đơn vị")

    def __str__(self) -> str:
        return f"{self.unit}: {self.sessions}"


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Ngày lễ, Tết")
    DAY_OFF = "day_off", _("Ngày nghỉ hoán đổi, nghỉ bổ sung")
    MAKEUP = "makeup", _("Ngày làm bù")


class CalendarDay(models.Model):
    """A national exception to the weekly pattern: a holiday, an extra day off or a make-up day.

    Seeded from the `holidays` package and the official swaps; edited by system administrators
    when the government announces the next year's schedule."""

    day = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("tên"), max_length=255)
    source = models.CharField(_("nguồn"), max_length=100, blank=True)
    provisional = models.BooleanField(
        _("tạm thời, chờ xác nhận"),
        default=False,
        help_text=_(
            "Ngày nghỉ chưa được xác nhận vẫn được tính là ngày nghỉ cho đến khi quản trị hệ thống "
            "xác nhận hoặc xoá."
        ),
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.name}"
