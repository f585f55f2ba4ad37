from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier


class PaymentOrder(models.Model):
    """One attempt to pay a dossier's fee online. Only the provider's signed IPN settles it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ thanh toán")
        PAID = "paid", _("Đã thanh toán")
        FAILED = "failed", _("Không thành công")
        # Paid at the gateway while the dossier was already paid (another order, the desk) or
        # closed: the money is to be given back, the dossier is not paid twice.
        REFUND = "refund", _("Cần hoàn tiền")

    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="payment_orders", verbose_name=_("hồ sơ")
    )
    provider = models.CharField(_("cổng thanh toán"), max_length=20)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    txn_ref = models.CharField(_("mã giao dịch"), max_length=40, unique=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    provider_data = models.JSONField(_("dữ liệu cổng thanh toán"), default=dict, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"))
    updated_at = models.DateTimeField(_("cập nhật lúc"))
    paid_at = models.DateTimeField(_("thanh toán lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("giao dịch thanh toán trực tuyến")
        verbose_name_plural = _("giao dịch thanh toán trực tuyến")

    def __str__(self) -> str:
        return self.txn_ref
