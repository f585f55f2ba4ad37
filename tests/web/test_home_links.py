"""Every role's home page leads only to pages that exist: each promise is a link, and each link
opens for the person it is shown to."""

from html.parser import HTMLParser

import pytest

from motcua.org.demo import USERS
from motcua.org.roles import Cap


class Links(HTMLParser):
    """The hrefs of <a> inside <main> and the top navigation, and the <li>s of the actions list
    that have no link."""

    def __init__(self):
        super().__init__()
        self.hrefs, self.unlinked = [], []
        self._depth = 0  # inside <main> or <nav>
        self._item = None  # the current actions <li>: [text, has a link]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("main", "nav"):
            self._depth += 1
        if tag == "li" and self._depth:
            self._item = ["", False]
        if tag == "a" and self._depth and attrs.get("href"):
            self.hrefs.append(attrs["href"])
            if self._item is not None:
                self._item[1] = True

    def handle_endtag(self, tag):
        if tag in ("main", "nav"):
            self._depth -= 1
        if tag == "li" and self._item is not None:
            if not self._item[1]:
                self.unlinked.append(self._item[0].strip())
            self._item = None

    def handle_data(self, data):
        if self._item is not None:
            self._item[0] += data


@pytest.mark.parametrize("username", [u[0] for u in USERS])
def test_it_links_every_promise_on_the_home_page_to_a_page_that_opens(client, org, username):
    client.force_login(org[username])
    home = client.get("/can-bo/")
    assert home.status_code == 200
    links = Links()
    links.feed(home.content.decode())

    assert links.unlinked == [], f"{username}: promised without a page: {links.unlinked}"
    internal = sorted({h for h in links.hrefs if h.startswith("/") and "#" not in h})
    # The service index is promised only with its page, to every role that may view reports
    # (a sentence officer's role holds only the sentence capabilities: no link, no promise).
    if org[username].can(Cap.VIEW_REPORTS):
        assert "Xem chỉ số phục vụ" in home.content.decode()
        assert "/can-bo/chi-so/" in internal
    else:
        assert "Xem chỉ số phục vụ" not in home.content.decode()
        assert "/can-bo/chi-so/" not in internal
    assert "/can-bo/" in internal
    for href in internal:
        response = client.get(href)
        assert response.status_code == 200, f"{username} → {href}: {response.status_code}"


def test_an_inspector_is_offered_the_logbooks_and_the_audit_log(client, org):
    client.force_login(org["thanhtra"])
    html = client.get("/can-bo/").content.decode()
    assert 'href="/can-bo/ho-so/so-theo-doi/toan-bo/"' in html
    assert 'href="/can-bo/nhat-ky/"' in html


def test_a_receptionist_is_not_offered_the_audit_log(client, org):
    client.force_login(org["tiepnhan.vinhphu"])
    html = client.get("/can-bo/").content.decode()
    assert "/can-bo/nhat-ky/" not in html
    assert 'href="/can-bo/thong-bao/"' in html
