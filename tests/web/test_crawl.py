"""Every page a demo user can reach answers without a server error.

The data is what `motcua seed-demo` loads, plus a few dossiers received and moved on through the
same services the screens call. Each demo role (read from motcua.org.demo, so renamed accounts
are followed) starts from its home page and the seeded objects and follows every link on every
page it is shown, PDFs and spreadsheets included; a citizen without an account does the same
from the public pages.
"""

import re
from collections import deque
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client

from motcua.org import demo as org_demo

HREF = re.compile(r"""(?:href|src)="([^"]+)\"""")
# Leaving the session or switching language is not a page; the admin's sort and filter links
# multiply its lists without showing anything new, and one object of a kind stands for all.
SKIPPED = ("/dang-xuat/", "/i18n/", "/tthc/ngon-ngu/", "/quan-tri/logout/", "/static/")
ADMIN_OBJECT = re.compile(r"^(/quan-tri/[^/]+/[^/]+/)[^/]+/")
FILE_SUFFIXES = (".pdf", ".png", ".svg", ".xlsx")

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n%%EOF\n"


def _links(path: str, html: str) -> list[str]:
    found = []
    for raw in HREF.findall(html):
        url = urldefrag(urljoin(path, raw.replace("&amp;", "&")))[0]
        parts = urlsplit(url)
        if parts.scheme and parts.netloc not in ("", "testserver"):
            continue
        if parts.scheme not in ("", "http", "https"):
            continue
        local = parts.path + (f"?{parts.query}" if parts.query else "")
        if local.startswith(SKIPPED) or (local.startswith("/quan-tri/") and parts.query):
            continue
        found.append(local)
    return found


def _shared(path: str) -> bool:
    """Public pages and files look the same to every role: fetched once, by whoever finds them."""
    return path.startswith("/tthc/") or urlsplit(path).path.endswith(FILE_SUFFIXES)


def _crawl(client: Client, starts: list[str], shared_seen: set) -> tuple[list[str], int]:
    """(pages that answered 5xx, pages fetched)."""
    seen, queue, failures, fetched = set(starts), deque(starts), [], 0
    admin_kinds = set()
    while queue:
        path = queue.popleft()
        if match := ADMIN_OBJECT.match(path):
            kind = (match.group(1), path[match.end() :])
            if kind in admin_kinds:
                continue
            admin_kinds.add(kind)
        if _shared(path):
            if path in shared_seen:
                continue
            shared_seen.add(path)
        response = client.get(path)
        fetched += 1
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {path}")
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for link in _links(path, response.content.decode()):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return failures, fetched


def _seed_dossiers():
    """Dossiers in several states at two communes' desks."""
    from motcua.catalog.selectors import procedures_for_desk
    from motcua.dossiers import services
    from motcua.org.models import Desk, User
    from motcua.org.roles import Role
    from motcua.org.scoping import can_act_on

    people = {u.username: u for u in User.objects.select_related("unit")}

    def first_of(role, unit_code):
        return next(
            u for u in people.values() if u.role == role and u.unit and u.unit.code == unit_code
        )

    codes = []
    for desk_code in ("VINHPHU-MC", "THANHVINH-MC"):
        desk = Desk.objects.select_related("unit").get(code=desk_code)
        receptionist = next(
            u
            for u in people.values()
            if u.role == Role.RECEPTIONIST and u.unit and can_act_on(u, desk.unit)
        )
        procedures = procedures_for_desk(desk, receptionist).select_related("current_version")
        for procedure in procedures[:2]:
            version = procedure.current_version
            dossier = services.dossier_receive(
                actor=receptionist,
                desk=desk,
                procedure_version=version,
                applicant={
                    "kind": "person",
                    "name": "Nguyễn Thị Lan",
                    "id_number": "040190012345",
                    "address": "Khối 5, phường Vinh Phú, Nghệ An",
                    "phone": "0912345678",
                },
                checklist=[d["name"] for d in version.documents],
                files=[ContentFile(PDF, name="to-khai.pdf")],
            )
            codes.append(dossier.code)
        services.intake_incomplete(
            actor=receptionist,
            desk=desk,
            procedure_version=version,
            applicant={"kind": "person", "name": "Trần Văn Bình", "id_number": "040190054321"},
            missing=[d["name"] for d in version.documents][:1] or ["Tờ khai"],
        )
    # One dossier of Vinh Phú goes on: assigned, processed, then a supplement is asked for.
    from motcua.dossiers.models import Dossier

    dossier = Dossier.objects.get(code=codes[0])
    if dossier.status == "assigning":
        leader = first_of(Role.LEADER, dossier.handling_unit.code)
        handler = first_of(Role.HANDLER, dossier.handling_unit.code)
        dossier = services.dossier_assign(
            actor=leader, dossier=dossier, version=dossier.version, handler=handler
        )
        dossier = services.dossier_process(
            actor=handler, dossier=dossier, version=dossier.version, note="Đã thẩm định."
        )
        services.dossier_request_supplement(
            actor=handler, dossier=dossier, version=dossier.version, items=["Bản sao sổ hộ khẩu"]
        )
    return codes


def _seed_feedback(codes):
    """A complaint about a dossier still open, and one about a unit answered and published."""
    from motcua.dossiers.models import Dossier
    from motcua.feedback import services
    from motcua.org.models import User

    dossier = Dossier.objects.get(code=codes[0])
    services.feedback_file(
        subject="dossier",
        dossier_code=dossier.code,
        dossier_secret=dossier.tracking_secret,
        name="Nguyễn Thị Lan",
        contact="0912345678",
        content="Đến hẹn vẫn chưa có kết quả.",
        files=[ContentFile(PDF, name="giay-hen.pdf")],
    )
    answered = services.feedback_file(
        subject="unit",
        unit_code="VINHPHU",
        name="Trần Văn Bình",
        contact="binh@example.vn",
        content="Bộ phận một cửa đóng cửa sớm.",
    )
    leader = User.objects.get(username="lanhdao.vinhphu")
    answered = services.feedback_answer(actor=leader, feedback=answered, answer="Đã chấn chỉnh.")
    services.feedback_publish(
        actor=leader, feedback=answered, public_summary="Đóng cửa sớm.", public_answer="Đã sửa."
    )


@pytest.fixture
def demo_site(db):
    call_command("seed_demo", "--quiet-logins")
    codes = _seed_dossiers()
    _seed_feedback(codes)
    return codes


def _starts(codes: list[str]) -> list[str]:
    from motcua.catalog.models import Procedure
    from motcua.org.models import Desk

    starts = ["/can-bo/", "/can-bo/ho-so/", "/can-bo/tthc/", "/tthc/", "/tra-cuu/"]
    starts += ["/can-bo/phan-anh/", "/can-bo/phan-anh/?trang_thai=tat-ca", "/phan-anh-kien-nghi/"]
    for code in codes:
        starts += [f"/can-bo/ho-so/{code}/", f"/tra-cuu/{code}/"]
    for desk in Desk.objects.all():
        starts.append(f"/can-bo/ho-so/so-theo-doi/{desk.code}.xlsx")
    for code in Procedure.objects.values_list("code", flat=True):
        starts += [f"/can-bo/tthc/{code}/", f"/tthc/{code}/"]
    return starts


def test_it_serves_every_reachable_page_to_every_demo_role_without_a_server_error(demo_site):
    report, fetched, shared_seen = [], 0, set()
    for username, *_rest in org_demo.USERS:
        client = Client(raise_request_exception=False)
        login = client.post(
            "/dang-nhap/", {"username": username, "password": org_demo.DEMO_PASSWORD}
        )
        assert login.status_code == 302, f"{username} cannot log in"
        failures, count = _crawl(client, _starts(demo_site), shared_seen)
        fetched += count
        report += [f"{username}: {failure}" for failure in failures]
    citizen = Client(raise_request_exception=False)
    failures, count = _crawl(
        citizen,
        ["/tthc/", "/tra-cuu/", "/xac-minh/", "/dang-nhap/", "/phan-anh-kien-nghi/"],
        shared_seen,
    )
    fetched += count
    report += [f"(citizen): {failure}" for failure in failures]
    assert fetched > 500, "the crawl found too few pages to mean anything"
    assert report == []
