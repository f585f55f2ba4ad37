"""A citizen's rating of how a dossier was served, and the one-time link that lets them give it."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.ratings import criteria


class RatingChannel(models.TextChoices):
    ONLINE = "online", _("Trực tuyến (liên kết đánh giá)")
    KIOSK = "kiosk", _("Máy tính bảng tại bộ phận một cửa")


class Rating(models.Model):
    """One per dossier. Open to changes for EDIT_WINDOW after it is given, then locked."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="rating"
    )
    # {criterion code: points}; codes and points are defined in ratings.criteria.
    scores = models.JSONField(_("điểm từng chỉ số"))
    total = models.PositiveSmallIntegerField(_("tổng điểm"))
    criteria_version = models.CharField(max_length=20, default=criteria.CRITERIA_VERSION)
    comment = models.TextField(_("ý kiến khác"), blank=True)
    channel = models.CharField(_("kênh đánh giá"), max_length=10, choices=RatingChannel.choices)
    desk = models.ForeignKey(
        "org.Desk", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("đánh giá lúc"), db_index=True)
    updated_at = models.DateTimeField(_("sửa lần cuối lúc"))
    editable_until = models.DateTimeField(_("được sửa đến"))
    changes = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total__lte=criteria.MAX_TOTAL), name="rating_total_in_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.total}/{criteria.MAX_TOTAL}"

    def is_locked(self, now=None) -> bool:
        # A citizen may correct a slip for a day [decision]; after that the figure a leader saw
        # stays what it was.
        return (now or timezone.now()) >= self.editable_until

    @property
    def band(self) -> tuple[str, str]:
        return criteria.band(self.total)

    def answers(self) -> list[dict]:
        """Question, answer and points of each index, in the form's order."""
        return [
            {
                "number": c.number,
                "code": c.code,
                "question": str(c.question),
                "answer": c.answer(self.scores.get(c.code)),
                "points": self.scores.get(c.code),
            }
            for c in criteria.CRITERIA
        ]


class RatingToken(models.Model):
    """The dossier's one-time rating link. Only a hash of the token is stored; the token itself is
    derived from the server's secret key and `salt` (ratings.tokens) so the tracking page can show
    the link again without keeping it in the database."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="rating_token"
    )
    salt = models.CharField(max_length=64)
    token_hash = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("liên kết đánh giá")
        verbose_name_plural = _("liên kết đánh giá")

    def __str__(self) -> str:
        return f"{self.dossier_id}"

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at
