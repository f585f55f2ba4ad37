from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from motcua.audit.middleware import client_ip
from motcua.audit.services import audit_record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(
        actor=user, action="auth.login", obj=user, ip=client_ip(request) if request else None
    )


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(
            actor=user, action="auth.logout", obj=user, ip=client_ip(request) if request else None
        )


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    audit_record(
        actor=username,
        action="auth.login_failed",
        object_type="org.user",
        object_repr=username,
        ip=client_ip(request) if request else None,
    )
