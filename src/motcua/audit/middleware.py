"""Remembers the client address of the current request so that services can audit it without
every function signature carrying the request."""

from contextvars import ContextVar

current_ip: ContextVar[str] = ContextVar("motcua_current_ip", default="")


def client_ip(request) -> str:
    # Behind our nginx the real address is in X-Real-IP; REMOTE_ADDR otherwise.
    return (request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR") or "")[:45]


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
