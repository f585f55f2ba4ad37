"""What a citizen reads of their notices."""

from motcua.notify.models import Notice, NoticeChannel


def notices_for_citizen(user, *, limit: int | None = 50):
    """The citizen's in-app notices, newest first (nothing for anyone else)."""
    if not getattr(user, "is_authenticated", False) or not user.is_citizen:
        return Notice.objects.none()
    rows = (
        Notice.objects.filter(user=user, channel=NoticeChannel.IN_APP)
        # What the list prints; the link already carries the dossier's code.
        .only("id", "event", "subject", "text", "link", "created_at", "read_at")
        .order_by("-created_at", "-id")
    )
    return rows[:limit] if limit else rows


def unread_citizen_notice_count(user) -> int:
    if not getattr(user, "is_authenticated", False) or not user.is_citizen:
        return 0
    return Notice.objects.filter(
        user=user, channel=NoticeChannel.IN_APP, read_at__isnull=True
    ).count()
