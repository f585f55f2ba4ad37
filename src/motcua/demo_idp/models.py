"""The demo provider's own accounts: what a real identity provider (VNeID) knows of a person.

Each has a user row of its own (the toolkit's grants and tokens point at users) with no unit, no
role and no usable password, so it can sign in nowhere but at the demo provider's own page, and
only into the provider's own session (middleware.py). The citizen account in motcua is another
row, made by `citizen_upsert` from the claims when the person comes back."""

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoIdentity(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="demo_identity"
    )
    username = models.CharField(_("tên đăng nhập"), max_length=60, unique=True)
    password = models.CharField(_("mật khẩu"), max_length=128)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    id_number = models.CharField(_("số định danh cá nhân"), max_length=12, unique=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("tài khoản định danh mô phỏng")
        verbose_name_plural = _("tài khoản định danh mô phỏng")

    def __str__(self) -> str:
        return self.username

    def check_password(self, raw: str) -> bool:
        return check_password(raw, self.password)
