import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from motcua.web.errors import bad_request


class VietnameseFirstLocaleMiddleware:
    """Vietnamese unless the user picked another language with the switch (a cookie).

    Django's LocaleMiddleware also follows the browser's Accept-Language, which turned the app
    English for every officer whose phone happens to be set to English.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


# An escaped NUL in JSON text (\u0000) that is not itself an escaped backslash followed by "u0000".
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _query_has_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in query.lists())


class RejectNulMiddleware:
    """Answer 400 to a NUL character anywhere a view could read text from.

    PostgreSQL refuses NUL in text, so one `%00` in a path, query, cookie, form field or JSON
    string used to end as a 500 wherever it reached a query. Refusing it once, here, covers every
    page and endpoint (uploaded files' bytes are not text and are left alone)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._carries_nul(request):
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request) -> bool:
        if "\x00" in request.path_info:
            return True
        if _query_has_nul(request.GET):
            return True
        if any("\x00" in key + value for key, value in request.COOKIES.items()):
            return True
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return False
        content_type = request.content_type or ""
        try:
            if content_type.startswith(_FORM_TYPES):
                return _query_has_nul(request.POST)
            # The API reads its body as JSON whatever the declared type.
            if request.path_info.startswith("/api/"):
                return b"\x00" in request.body or _JSON_NUL.search(request.body) is not None
        except (RequestDataTooBig, MultiPartParserError):
            # The view (or Django's handler) answers those: 413 on the API, 400 on pages.
            return False
        return False

    @staticmethod
    def _refuse(request):
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"code": "bad_request", "message": _("Dữ liệu gửi lên chứa ký tự không hợp lệ.")},
                status=400,
            )
        return bad_request(request)
