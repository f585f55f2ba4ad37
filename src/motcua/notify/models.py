"""The outbox of notices to citizens: one row per message and channel, written in the same
transaction as the step it tells of, sent after commit (and retried) by the worker."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeChannel(models.TextChoices):
    IN_APP = "in_app", _("Trong ứng dụng")
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")


class NoticeStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi không được")


class Notice(models.Model):
    """One message to one address on one channel.

    `key` is unique ("<action id>:<channel>" for a dossier step), so a step announced twice, or
    an application event retried by its caller, never makes a second notice. In-app notices are
    sent when written: they are what "Hồ sơ của tôi" lists (read_at). E-mail and SMS notices wait
    in `pending` until a sender claims them (claimed_until) and sends them."""

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("hồ sơ"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="citizen_notices",
        verbose_name=_("công dân"),
    )
    event = models.CharField(_("sự kiện"), max_length=40)
    channel = models.CharField(_("kênh"), max_length=10, choices=NoticeChannel.choices)
    address = models.CharField(_("địa chỉ nhận"), max_length=254, blank=True)
    subject = models.CharField(_("tiêu đề"), max_length=255)
    text = models.TextField(_("nội dung"))
    link = models.CharField(_("đường dẫn tra cứu"), max_length=500, blank=True)
    key = models.CharField(max_length=160, unique=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=NoticeStatus.choices,
        default=NoticeStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lần tới lúc"), null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"))
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    read_at = models.DateTimeField(_("đọc lúc"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)

    class Meta:
        verbose_name = _("thông báo cho công dân")
        verbose_name_plural = _("thông báo cho công dân")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The worker's query: pending rows whose next attempt is due.
            models.Index(fields=["status", "next_attempt_at"], name="notice_due"),
            # "Hồ sơ của tôi": a citizen's in-app notices, newest first.
            models.Index(fields=["user", "channel", "created_at"], name="notice_citizen"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.address or self.user_id}: {self.subject}"
