"""Citizens sign in through an OpenID Connect provider (VNeID, or the demo one at /demo-idp/):
authorisation code flow with PKCE (S256), through mozilla-django-oidc.

The provider is configured from the environment (settings.OIDC_*): the issuer, whose discovery
document gives the endpoints (read once an hour), or the endpoints one by one. The claims end in
`citizen_upsert`: a citizen account keyed by the 12-digit ID number, never a staff account."""

import logging
import time
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from motcua.audit.middleware import client_ip
from motcua.audit.services import audit_record
from motcua.org.models import User
from motcua.portal.citizens import citizen_upsert

log = logging.getLogger(__name__)

DISCOVERY_TTL = 3600  # seconds
_discovered: dict[str, tuple[float, dict]] = {}


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read."""


def enabled() -> bool:
    return bool(
        settings.OIDC_CLIENT_ID and (settings.OIDC_ISSUER or settings.OIDC_AUTHORIZATION_ENDPOINT)
    )


def provider() -> dict:
    """The provider's endpoints and issuer: the explicit settings, else its discovery document."""
    explicit = {
        "issuer": settings.OIDC_ISSUER,
        "authorization_endpoint": settings.OIDC_AUTHORIZATION_ENDPOINT,
        "token_endpoint": settings.OIDC_TOKEN_ENDPOINT,
        "userinfo_endpoint": settings.OIDC_USERINFO_ENDPOINT,
        "jwks_uri": settings.OIDC_JWKS_ENDPOINT,
        "end_session_endpoint": settings.OIDC_END_SESSION_ENDPOINT,
    }
    if all(v for k, v in explicit.items() if k not in ("issuer", "end_session_endpoint")):
        return explicit
    issuer = settings.OIDC_ISSUER
    if not issuer:
        raise ImproperlyConfigured("Set OIDC_ISSUER or the four OIDC_*_ENDPOINT settings.")
    cached = _discovered.get(issuer)
    if cached is None or cached[0] < time.monotonic():
        url = f"{issuer}/.well-known/openid-configuration"
        try:
            response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise ProviderUnavailable(f"{url}: {exc}") from exc
        cached = (time.monotonic() + DISCOVERY_TTL, document)
        _discovered[issuer] = cached
    document = cached[1]
    return {k: v or document.get(k, "") for k, v in explicit.items()}


SIGNED_OUT = "?da_dang_xuat=1"


def logout_url(request) -> str:
    """Where a citizen signing out goes next to end the provider's session as well (OpenID
    Connect RP-Initiated Logout), or "" when they did not sign in through the provider or it has
    no end_session_endpoint. Read before the session is flushed: it holds the ID token."""
    id_token = request.session.get("oidc_id_token")
    if not id_token or not enabled():
        return ""
    try:
        endpoint = provider().get("end_session_endpoint", "")
    except ProviderUnavailable as exc:
        log.warning("OpenID provider unavailable at sign-out: %s", exc)
        return ""
    if not endpoint:
        return ""
    back = request.build_absolute_uri(reverse("portal:sign_in") + SIGNED_OUT)
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_CLIENT_ID,
            "post_logout_redirect_uri": back,
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def claims_full_name(claims: dict) -> str:
    if name := (claims.get("name") or "").strip():
        return name
    return " ".join(p for p in (claims.get("family_name"), claims.get("given_name")) if p).strip()


class CitizenOIDCBackend(OIDCAuthenticationBackend):
    """Acts only when the callback view calls it (with a nonce); staff passwords pass it by."""

    def __init__(self, *args, **kwargs):
        # The parent reads every endpoint here, on each authenticate() of any login: with no
        # provider configured that would break the staff login. They are read in authenticate().
        self.UserModel = User
        self.OIDC_RP_CLIENT_ID = settings.OIDC_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        if request is None or "nonce" not in kwargs or not enabled():
            return None
        endpoints = provider()
        self.issuer = endpoints["issuer"]
        self.OIDC_OP_TOKEN_ENDPOINT = endpoints["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = endpoints["userinfo_endpoint"]
        self.OIDC_OP_JWKS_ENDPOINT = endpoints["jwks_uri"]
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        # The library checks the signature and the nonce; the token must also be ours, from them.
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token audience is not this client.")
        if self.issuer and payload.get("iss") != self.issuer:
            raise SuspiciousOperation("ID token issuer is not the configured provider.")
        if payload.get("exp", 0) < time.time():
            raise SuspiciousOperation("ID token has expired.")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        claims = {**payload, **self.get_userinfo(access_token, id_token, payload)}
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo and ID token name different people.")
        id_number = str(claims.get(settings.OIDC_ID_NUMBER_CLAIM) or "").strip()
        if not id_number:
            self.request.citizen_error = _(
                "Tài khoản định danh không cung cấp số định danh cá nhân, nên không thể đăng nhập."
            )
            return None
        try:
            return citizen_upsert(
                id_number=id_number,
                full_name=claims_full_name(claims),
                # An address the provider has not verified is not taken as the citizen's.
                email=(claims.get("email") or "") if claims.get("email_verified", True) else "",
                phone=claims.get("phone_number") or "",
            )
        except ValidationError as exc:
            self.request.citizen_error = " ".join(exc.messages)
            return None


class CitizenOIDCStart(OIDCAuthenticationRequestView):
    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_CLIENT_ID

    def get(self, request):
        from motcua.portal.signin_views import sign_in_failed

        if not enabled():
            return sign_in_failed(request, _("Chưa cấu hình đăng nhập bằng tài khoản định danh."))
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider()["authorization_endpoint"]
        except ProviderUnavailable as exc:
            log.warning("OpenID provider unavailable: %s", exc)
            return sign_in_failed(request, _unavailable(), status=503)
        return super().get(request)


def _unavailable() -> str:
    return _("Không kết nối được máy chủ định danh. Vui lòng thử lại sau hoặc đăng nhập bằng mã.")


class CitizenOIDCCallback(OIDCAuthenticationCallbackView):
    @property
    def success_url(self):
        return self.request.session.get("oidc_login_next") or reverse("portal:my_dossiers")

    def login_success(self):
        response = super().login_success()
        audit_record(
            actor=self.user,
            action="citizen.sign_in",
            obj=self.user,
            changes={"method": "oidc"},
            ip=client_ip(self.request),
        )
        return response

    def get(self, request):
        from motcua.portal.signin_views import sign_in_failed

        try:
            response = super().get(request)
        except SuspiciousOperation as exc:
            # A state not issued to this browser (forged, replayed, or the sign-in began in
            # another browser), a bad signature, nonce, audience or issuer.
            log.warning("OpenID Connect callback refused: %s", exc)
            return sign_in_failed(
                request,
                _("Phiên đăng nhập không hợp lệ hoặc đã hết hạn. Vui lòng đăng nhập lại."),
                status=400,
            )
        except (requests.RequestException, ProviderUnavailable, ValueError) as exc:
            log.warning("OpenID provider unavailable: %s", exc)
            return sign_in_failed(request, _unavailable(), status=503)
        if request.user.is_authenticated and getattr(self, "user", None) == request.user:
            return response
        message = getattr(request, "citizen_error", "") or (
            _("Đăng nhập bằng tài khoản định danh không thành công. Vui lòng thử lại.")
        )
        return sign_in_failed(request, message, status=403)
