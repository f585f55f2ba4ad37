from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from motcua.api.services import token_authenticate


class BearerToken(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class HeaderToken(APIKeyHeader):
    param_name = "X-API-Token"

    def authenticate(self, request, key):
        user = token_authenticate(key) if key else None
        if user is not None:
            request.user = user
        return user


class StaffSession(SessionAuth):
    """The logged-in browser session (CSRF-checked on unsafe methods).

    Without a logged-in session there is nothing to CSRF-check: answer "not authenticated" (401)
    instead of letting the CSRF check turn a bad token into a 403."""

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


AUTH = [BearerToken(), HeaderToken(), StaffSession()]
