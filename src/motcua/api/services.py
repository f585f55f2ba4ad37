from django.utils import timezone

from motcua.api.models import ApiToken, hash_token
from motcua.audit.services import audit_record


def token_create(*, actor, user, name: str = "") -> tuple[ApiToken, str]:
    """Create a token for `user`; the raw value is returned once and never stored."""
    raw = ApiToken.generate()
    token = ApiToken.objects.create(user=user, name=name, key_hash=hash_token(raw), prefix=raw[:10])
    audit_record(actor=actor, action="api.token.create", obj=token, changes={"user": user.username})
    return token, raw


def token_revoke(*, actor, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api.token.revoke", obj=token)


def token_authenticate(raw: str):
    token = (
        ApiToken.objects.select_related("user", "user__unit")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    # Write at most once a minute: the API is read far more often than it needs this stamp.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
