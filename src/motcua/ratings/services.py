"""Giving and correcting a rating. Every change is audited in the same transaction."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.services import audit_record
from motcua.dossiers.models import Dossier
from motcua.ratings import criteria
from motcua.ratings.models import Rating, RatingChannel, RatingToken
from motcua.ratings.tokens import RATEABLE

EDIT_WINDOW = timedelta(hours=24)  # [decision]
MAX_COMMENT = 2000


class RatingError(Exception):
    """A refused rating, with a Vietnamese message and the HTTP status a page answers with."""

    status = 409

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidRating(RatingError):
    status = 422


def _clean(scores: dict, comment: str) -> tuple[dict, str]:
    try:
        scores = criteria.clean_scores(scores)
    except ValueError:
        raise InvalidRating(_("Vui lòng chọn một câu trả lời cho mỗi câu hỏi.")) from None
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise InvalidRating(
            _("Ý kiến dài quá %(max)s ký tự, vui lòng rút gọn.") % {"max": MAX_COMMENT}
        )
    return scores, comment


def rating_submit(
    *, dossier: Dossier, scores: dict, comment: str = "", channel: str, desk=None, now=None
) -> Rating:
    """The dossier's one rating. A second one is refused, whatever the channel."""
    scores, comment = _clean(scores, comment)
    if channel not in RatingChannel.values:
        raise InvalidRating(_("Kênh đánh giá không hợp lệ."))
    if dossier.status not in RATEABLE:
        raise RatingError(_("Hồ sơ chưa có kết quả nên chưa thể đánh giá."))
    now = now or timezone.now()
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                dossier=dossier,
                scores=scores,
                total=sum(scores.values()),
                comment=comment,
                channel=channel,
                desk=desk if channel == RatingChannel.KIOSK else None,
                created_at=now,
                updated_at=now,
                editable_until=now + EDIT_WINDOW,
            )
            RatingToken.objects.filter(dossier=dossier, used_at__isnull=True).update(used_at=now)
            audit_record(
                actor=f"citizen:{channel}",
                action="rating.submit",
                obj=rating,
                object_repr=dossier.code,
                changes={"scores": scores, "total": rating.total, "channel": channel},
            )
    except IntegrityError:
        raise RatingError(
            _("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần.")
        ) from None
    return rating


def rating_change(*, rating: Rating, scores: dict, comment: str = "", now=None) -> Rating:
    """Correct a rating within EDIT_WINDOW of giving it; afterwards it is locked."""
    scores, comment = _clean(scores, comment)
    now = now or timezone.now()
    with transaction.atomic():
        rating = Rating.objects.select_for_update().get(pk=rating.pk)
        if rating.is_locked(now):
            raise RatingError(
                _("Đánh giá đã được khóa sau 24 giờ kể từ khi gửi, không thể sửa nữa.")
            )
        before = {"scores": rating.scores, "total": rating.total}
        rating.scores, rating.total, rating.comment = scores, sum(scores.values()), comment
        rating.updated_at, rating.changes = now, rating.changes + 1
        rating.save(update_fields=["scores", "total", "comment", "updated_at", "changes"])
        audit_record(
            actor="citizen:online",
            action="rating.change",
            obj=rating,
            object_repr=rating.dossier.code,
            changes={"before": before, "scores": scores, "total": rating.total},
        )
    return rating
