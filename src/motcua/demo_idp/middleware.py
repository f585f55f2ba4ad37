"""The demo provider lives on the same host as motcua but must behave like another site: signing
in at the provider must not sign anybody in to motcua. Under /demo-idp/ the session cookie is
swapped for the provider's own (sent back with path /demo-idp/, so motcua's pages never see it)."""

from django.conf import settings

PREFIX = "/demo-idp/"
COOKIE = "demo_idp_session"


class DemoIdpSessionCookieMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(PREFIX):
            return self.get_response(request)
        main = settings.SESSION_COOKIE_NAME
        cookies = {k: v for k, v in request.COOKIES.items() if k != main}
        if COOKIE in cookies:
            cookies[main] = cookies.pop(COOKIE)
        request.COOKIES = cookies
        response = self.get_response(request)
        if main in response.cookies:
            morsel = response.cookies.pop(main)
            response.cookies[COOKIE] = morsel.value
            for attribute, value in morsel.items():
                if value:
                    response.cookies[COOKIE][attribute] = value
            response.cookies[COOKIE]["path"] = PREFIX
        return response
