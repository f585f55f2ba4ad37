"""Remembers the client address of the current request so that services can audit it without
every function signature carrying the request."""

import ipaddress
from contextvars import ContextVar
from functools import lru_cache

from django.conf import settings

current_ip: ContextVar[str] = ContextVar("motcua_current_ip", default="")


@lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(item, strict=False) for item in trusted)


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_ip(request) -> str:
    """The address of whoever sent the request, as throttles and the audit log must see it.

    The peer (REMOTE_ADDR), unless the peer is one of TRUSTED_PROXIES (our nginx), whose
    X-Real-IP names the client. Anyone else's header is ignored: a client choosing its own
    address could rotate it past every throttle and write what it likes into the audit log.
    """
    peer = request.META.get("REMOTE_ADDR") or ""
    peer_address = _address(peer)
    if peer_address is not None and any(
        peer_address in network for network in _networks(tuple(settings.TRUSTED_PROXIES))
    ):
        forwarded = _address(request.META.get("HTTP_X_REAL_IP") or "")
        if forwarded is not None:
            return str(forwarded)
    return peer[:45]


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
