"""The online pages survive a crawl with odd parameters and odd posts: a signed-in citizen from
"Hồ sơ của tôi", the receptionist from the online inbox. No server error anywhere."""

import pytest
from django.test import Client

from motcua.portal.online import services
from tests.portal.online_story import APPLICANT, MANDATORY, lan, photo
from tests.web.test_crawl import _crawl

ODD = ["?trang=-1", "?trang=abc", "?trang=99999", "?desk=%F0%9F%92%A9", "?next=//evil.example"]


@pytest.fixture
def online_site(org, tam_tru, desk_vinhphu):
    from motcua.dossiers.services import dossier_assign, dossier_request_supplement

    citizen = lan()

    def app(submit):
        made, _ = services.application_save(
            citizen=citizen,
            idempotency_key=services.new_key(),
            procedure_version=tam_tru,
            desk=desk_vinhphu,
            applicant=APPLICANT,
            files={name: photo(f"{i}.png") for i, name in enumerate(MANDATORY)},
            submit=submit,
        )
        return made

    app(False)
    waiting = app(True)
    returned = services.application_return(
        actor=org["tiepnhan.vinhphu"], application=app(True), missing=["Ảnh rõ hơn"]
    )
    services.application_refuse(
        actor=org["tiepnhan.vinhphu"], application=app(True), reasons=["Sai địa bàn"]
    )
    d = services.application_accept(actor=org["tiepnhan.vinhphu"], application=app(True))
    d = dossier_assign(
        actor=org["lanhdao.vinhphu"], dossier=d, version=d.version, handler=org["xuly.vinhphu"]
    )
    dossier_request_supplement(
        actor=org["xuly.vinhphu"], dossier=d, version=d.version, items=["Sổ đỏ"]
    )
    return {"citizen": citizen, "waiting": waiting, "returned": returned, "code": d.code}


def _with_odd(paths):
    return [p + odd for p in paths for odd in ("", *ODD)]


def test_a_citizen_crawls_their_pages_without_a_server_error(online_site):
    client = Client(raise_request_exception=False)
    client.force_login(online_site["citizen"])
    starts = _with_odd(["/cong-dan/", f"/cong-dan/ho-so/{online_site['code']}/"])
    starts += ["/cong-dan/don/0/", "/cong-dan/don/99999999999999999999/", "/cong-dan/ho-so/x/"]
    failures, fetched = _crawl(client, starts, set())
    assert failures == []
    assert fetched > 20


def test_the_desk_crawls_its_inbox_without_a_server_error(online_site, org):
    client = Client(raise_request_exception=False)
    client.force_login(org["tiepnhan.vinhphu"])
    starts = _with_odd(["/can-bo/truc-tuyen/", f"/can-bo/truc-tuyen/{online_site['waiting'].pk}/"])
    failures, fetched = _crawl(client, starts, set())
    assert failures == [] and fetched > 10


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"key": "x" * 5000},
        {"key": "0" * 32, "revision": "-5", "desk": "abc", "hanh_dong": "nop"},
        {"key": "0" * 32, "revision": "1" * 40, "desk": "9" * 30, "name": "A" * 10000},
    ],
)
def test_odd_posts_get_an_answer_not_a_server_error(online_site, org, data):
    citizen = Client(raise_request_exception=False)
    citizen.force_login(online_site["citizen"])
    for path in (
        "/cong-dan/nop/1.004194/",
        f"/cong-dan/don/{online_site['returned'].pk}/",
        f"/cong-dan/ho-so/{online_site['code']}/bo-sung/",
    ):
        assert citizen.post(path, data).status_code < 500, path
    desk = Client(raise_request_exception=False)
    desk.force_login(org["tiepnhan.vinhphu"])
    for action in ("tiep-nhan", "bo-sung", "tu-choi", "khac"):
        path = f"/can-bo/truc-tuyen/{online_site['waiting'].pk}/{action}/"
        assert desk.post(path, data).status_code < 500, path
