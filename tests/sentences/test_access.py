"""Who can read a case, and the trace every read leaves.

Allowed: the supervising officer and leader of Vinh Phú (the case's ward) and the provincial
agency (PC10). Refused, through pages and exports: the sibling ward Thành Vinh, the provincial
inspector (counts only), a receptionist, the system administrator and an anonymous visitor."""

import io
from datetime import date

import pytest
from django.db import connection

from motcua.audit.models import AuditEntry
from motcua.sentences import services
from motcua.sentences.models import ReadLog

READERS = ["thaha.vinhphu", "lanhdao.vinhphu", "thaha.pc10", "lanhdao.pc10"]
REFUSED = ["thaha.thanhvinh", "lanhdao.thanhvinh", "thanhtra", "tiepnhan.vinhphu", "quantri"]


def case_urls(case, absence):
    base = f"/can-bo/thi-hanh-an/ho-so/{case.code}/"
    return [base, base + "muc-dich/", base + f"vang-mat/{absence.pk}.pdf"]


# A sibling ward's officer has these pages for their own cases: they must list none of ours.
LISTS = [
    "/can-bo/thi-hanh-an/viec-can-lam/",
    "/can-bo/thi-hanh-an/ho-so/",
    "/can-bo/thi-hanh-an/ho-so/?q=040090012345",
    "/can-bo/thi-hanh-an/danh-sach-thang.xlsx?thang=03/2026",
    "/can-bo/thi-hanh-an/danh-sach-thang.pdf?thang=03/2026",
]


def spreadsheet_text(content: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    return " ".join(str(c.value) for row in book.active.iter_rows() for c in row)


@pytest.fixture
def case(new_case):
    return new_case()


@pytest.mark.parametrize("username", REFUSED + [None])
def test_it_shows_no_case_to_anyone_outside_the_commune_and_the_agency(
    client, people, case, username
):
    absence = services.absence_decide(
        actor=people["thaha.vinhphu"],
        case=case,
        start_on=date(2026, 4, 1),
        end_on=date(2026, 4, 10),
        destination="Hà Nội",
        reason="Thăm người thân",
    )
    if username:
        client.force_login(people[username])
    for url in case_urls(case, absence) + LISTS:
        response = client.get(url)
        body = response.content
        if url.endswith("xlsx") and response.status_code == 200:
            body = spreadsheet_text(body).encode()
        assert response.status_code in (200, 302, 403, 404), url
        if response.status_code == 200:
            assert url in LISTS and username.endswith(".thanhvinh"), url
        assert "Nguyễn Văn An".encode() not in body, url
        if "q=" not in url:  # (the search box repeats what was typed)
            assert b"040090012345" not in body, url
        if response.status_code == 200:  # (a 404 page repeats the address asked for)
            assert case.code.encode() not in body, url
        if username is None:
            assert response.status_code == 302 and "/dang-nhap" in response["Location"]
    for action in ("receive", "checkin", "complete"):
        response = client.post(f"/can-bo/thi-hanh-an/ho-so/{case.code}/thao-tac/{action}/")
        assert response.status_code in (302, 403, 404)
    response = client.post(f"/can-bo/thi-hanh-an/ho-so/{case.code}/muc-dich/", {"purpose": "x"})
    assert response.status_code in (302, 403, 404)
    assert not ReadLog.objects.exists()
    case.refresh_from_db()
    assert case.received_at is None and not case.checkins.exists()


def test_it_gives_the_inspector_counts_and_never_a_name(client, people, case):
    client.force_login(people["thanhtra"])
    page = client.get("/can-bo/thi-hanh-an/thong-ke/")
    assert page.status_code == 200
    assert page.context["d"]["supervising"] == 1
    assert "Nguyễn Văn An" not in page.content.decode()
    assert "THA2026-" not in page.content.decode()


@pytest.mark.parametrize("username", READERS)
def test_it_asks_a_purpose_once_and_logs_every_read(client, people, case, username):
    client.force_login(people[username])
    page = f"/can-bo/thi-hanh-an/ho-so/{case.code}/"

    first = client.get(page)
    assert first.status_code == 302 and first["Location"].endswith("muc-dich/")
    assert not ReadLog.objects.exists()

    client.post(page + "muc-dich/", {"purpose": "Báo cáo cấp trên"})
    shown = client.get(page)
    again = client.get(page)

    assert shown.status_code == again.status_code == 200
    assert "040090012345" in shown.content.decode()
    reads = ReadLog.objects.filter(case=case, user=people[username])
    assert reads.count() == 2
    assert set(reads.values_list("purpose", flat=True)) == {"Báo cáo cấp trên"}
    audited = AuditEntry.objects.filter(action="sentences.read", object_id=str(case.pk))
    assert audited.count() == 2
    # The audit row names the case by its code, never the person.
    assert all("Nguyễn" not in e.object_repr for e in audited)


def test_an_export_leaves_a_read_row_per_case_listed(client, people, case):
    client.force_login(people["thaha.pc10"])
    response = client.get("/can-bo/thi-hanh-an/danh-sach-thang.xlsx?thang=03/2026")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ReadLog.objects.filter(case=case, what="monthly_xlsx").count() == 1


def test_it_finds_a_case_by_id_number_through_the_keyed_hash(client, people, case, new_case):
    new_case(id_number="040301012345", birth_date=date(2001, 1, 2))
    client.force_login(people["thaha.vinhphu"])
    page = client.get("/can-bo/thi-hanh-an/ho-so/?q=040090012345")
    assert [c.code for c in page.context["cases"]] == [case.code]


def test_it_keeps_the_id_number_and_crime_summary_encrypted_in_the_database(case):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, crime_summary, id_hash FROM sentences_case WHERE id = %s",
            [case.pk],
        )
        id_number, summary, digest = cursor.fetchone()
    assert id_number.startswith("fernet:") and "040090012345" not in id_number
    assert summary.startswith("fernet:") and "Trộm cắp" not in summary
    assert digest != "040090012345" and len(digest) == 64
    case.refresh_from_db()
    assert case.id_number == "040090012345"
    assert case.crime_summary == "Trộm cắp tài sản (Điều 173 BLHS)"


def test_the_api_has_no_way_to_read_a_case(client, people, case):
    client.force_login(people["thaha.vinhphu"])
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert not [p for p in paths if "sentence" in p or "thi-hanh-an" in p or "case" in p]
