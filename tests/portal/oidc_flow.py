"""A citizen's browser, as plain HTTP: sign in at motcua through the demo provider, following
every redirect of the authorisation code flow (PKCE and all) against the live server."""

import re
from urllib.parse import parse_qs, urljoin, urlparse

import requests

from motcua.demo_idp import demo
from motcua.org.demo import DEMO_PASSWORD

SECRET = "test-client-secret"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def configure(settings, live_server) -> str:
    """motcua points at the demo provider of the live server; the provider trusts motcua."""
    from motcua.portal import oidc

    settings.OIDC_ISSUER = f"{live_server.url}/demo-idp"
    settings.OIDC_CLIENT_ID = settings.OIDC_RP_CLIENT_ID = demo.CLIENT_ID
    settings.OIDC_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET = SECRET
    oidc._discovered.clear()
    demo.seed()
    demo.application_setup(base_urls=[live_server.url], secret=SECRET)
    return live_server.url


def follow(session: requests.Session, url: str, limit: int = 10) -> requests.Response:
    """GET `url` and follow redirects by hand, so each hop can be looked at."""
    for _ in range(limit):
        response = session.get(url, allow_redirects=False, timeout=30)
        if response.status_code not in (301, 302, 303):
            return response
        url = urljoin(url, response.headers["Location"])
    raise AssertionError("too many redirects")


def start(session: requests.Session, base: str, next_url: str = "") -> requests.Response:
    """Up to the provider's sign-in page (nobody is signed in there yet)."""
    query = f"?next={next_url}" if next_url else ""
    return follow(session, f"{base}/cong-dan/dang-nhap/dinh-danh/{query}")


def idp_login(
    session: requests.Session, page: requests.Response, username: str, password=DEMO_PASSWORD
) -> requests.Response:
    """Post the provider's sign-in form; stop at the redirect back to motcua's callback."""
    token = CSRF.search(page.text).group(1)
    next_url = parse_qs(urlparse(page.url).query)["next"][0]
    response = session.post(
        page.url,
        data={
            "csrfmiddlewaretoken": token,
            "username": username,
            "password": password,
            "next": next_url,
        },
        headers={"Referer": page.url},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text[:500]
    authorize = session.get(
        urljoin(page.url, response.headers["Location"]), allow_redirects=False, timeout=30
    )
    assert authorize.status_code == 302, authorize.text[:500]
    return authorize  # Location: motcua's callback with ?code=...&state=...


def sign_in(session, base, username, next_url="") -> requests.Response:
    back = idp_login(session, start(session, base, next_url), username)
    return follow(session, urljoin(base, back.headers["Location"]))
