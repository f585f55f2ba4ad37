"""A signed electronic result (kết quả điện tử): the PDF a unit issued for a dossier, its hash, and
the random public id printed in its QR code (the verification page's permanent address)."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_public_id() -> str:
    # 128 random bits: the address is printed on paper and must not be guessable from the dossier
    # code or from other results' addresses.
    return secrets.token_urlsafe(16)


class ElectronicResult(models.Model):
    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="electronic_result"
    )
    file = models.OneToOneField(
        "dossiers.DossierFile", on_delete=models.PROTECT, related_name="electronic_result"
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị cấp")
    )
    public_id = models.CharField(max_length=32, unique=True, default=new_public_id)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, unique=True)
    issued_at = models.DateTimeField(_("thời điểm ký"))
    signer_subject = models.CharField(_("chủ thể chứng thư ký"), max_length=500)

    class Meta:
        verbose_name = _("kết quả điện tử")
        verbose_name_plural = _("kết quả điện tử")

    def __str__(self) -> str:
        return self.public_id

    def verification_path(self) -> str:
        return f"/xac-minh/{self.public_id}/"
