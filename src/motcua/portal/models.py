from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SignInCode(models.Model):
    """A one-time sign-in code sent by e-mail or SMS (portal/otp.py). Only its salted HMAC is
    kept; it expires after 5 minutes, serves once, and dies after 5 wrong tries."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("Tin nhắn SMS")

    id_number = models.CharField(_("số định danh cá nhân"), max_length=12)
    channel = models.CharField(_("kênh gửi"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("địa chỉ nhận"), max_length=254)
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    salt = models.CharField(max_length=32)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mã đăng nhập một lần")
        verbose_name_plural = _("mã đăng nhập một lần")
        indexes = [models.Index(fields=["id_number", "address", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.id_number} → {self.channel}"
