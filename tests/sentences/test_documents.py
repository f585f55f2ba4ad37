"""The supervision file's documents: uploaded on the case page, checked like dossier scans,
stored at a random path, downloaded only through the logged view, kept across moves."""

import os

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.audit.models import AuditEntry
from motcua.sentences.models import Document, ReadLog

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _open(client, user, case, purpose="Theo dõi, quản lý người chấp hành án"):
    client.force_login(user)
    base = f"/can-bo/thi-hanh-an/ho-so/{case.code}/"
    client.post(base + "muc-dich/", {"purpose": purpose})
    return base


def _upload(client, base, content=PDF, name="quyet-dinh.pdf", **fields):
    data = {"kind": "decision", "title": "Quyết định thi hành án 15/2026"}
    data.update(fields)
    data["file"] = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post(base + "tai-lieu/", data)


def test_an_officer_uploads_a_document_lists_it_and_downloads_it_with_a_log(
    client, people, new_case
):
    case = new_case()
    officer = people["thaha.vinhphu"]
    base = _open(client, officer, case)
    response = _upload(client, base)
    assert response.status_code == 302
    document = Document.objects.get(case=case)
    assert (document.kind, document.title, document.size) == (
        "decision",
        "Quyết định thi hành án 15/2026",
        len(PDF),
    )
    # Stored under the media root, at a path that says nothing about the case or person.
    assert document.file.name.startswith("sentences/")
    assert case.code not in document.file.name and "quyet-dinh" not in document.file.name
    assert os.path.isfile(os.path.join(settings.MEDIA_ROOT, document.file.name))
    assert AuditEntry.objects.filter(action="sentences.document_add").count() == 1

    page = client.get(base).content.decode()
    assert "Quyết định thi hành án 15/2026" in page
    assert f"{base}tai-lieu/{document.pk}/" in page

    reads_before = ReadLog.objects.filter(case=case, what=f"document:{document.pk}").count()
    download = client.get(f"{base}tai-lieu/{document.pk}/")
    assert download.status_code == 200
    assert download.content == PDF and download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    log = ReadLog.objects.filter(case=case, what=f"document:{document.pk}")
    assert log.count() == reads_before + 1
    assert log.get().purpose == "Theo dõi, quản lý người chấp hành án"


def test_a_download_asks_for_a_purpose_first(client, people, new_case):
    case = new_case()
    base = _open(client, people["thaha.vinhphu"], case)
    _upload(client, base)
    document = Document.objects.get()
    client.logout()
    client.force_login(people["thaha.pc10"])  # the agency may read, but has given no purpose
    response = client.get(f"{base}tai-lieu/{document.pk}/")
    assert response.status_code == 302 and response["Location"].endswith("/muc-dich/")
    assert not ReadLog.objects.filter(what__startswith="document:", user=people["thaha.pc10"])


def test_a_forbidden_user_gets_404_and_no_file(client, org, people, new_case):
    case = new_case()
    base = _open(client, people["thaha.vinhphu"], case)
    _upload(client, base)
    document = Document.objects.get()
    # Another ward's officer: not his case.
    _open(client, people["thaha.thanhvinh"], case)
    response = client.get(f"{base}tai-lieu/{document.pk}/")
    assert response.status_code == 404 and PDF not in response.content
    # A document id of another case through this case's address: 404 as well.
    other = new_case(id_number="040090054321", full_name="Trần Văn Bình")
    other_base = _open(client, people["thaha.vinhphu"], other)
    assert client.get(f"{other_base}tai-lieu/{document.pk}/").status_code == 404
    assert client.get(f"{other_base}tai-lieu/999999/").status_code == 404


def test_bad_files_are_refused_in_vietnamese_and_nothing_is_stored(client, people, new_case):
    case = new_case()
    base = _open(client, people["thaha.vinhphu"], case)
    media = os.path.join(settings.MEDIA_ROOT, "sentences")
    files_before = sum(len(f) for _, _, f in os.walk(media)) if os.path.isdir(media) else 0
    cases = [
        (b"MZ\x90\x00 not a pdf", "virus.pdf", {}, "không phải PDF, JPEG hay PNG"),
        (b"", "rong.pdf", {}, "rỗng"),
        (PDF, "a.pdf", {"title": "   "}, "Hãy nhập tên tài liệu."),
        (PDF, "a.pdf", {"kind": "nonsense"}, "Hãy chọn loại tài liệu."),
    ]
    for content, name, fields, message in cases:
        response = _upload(client, base, content=content, name=name, **fields)
        assert response.status_code == 400
        assert message in response.content.decode()
    no_file = client.post(base + "tai-lieu/", {"kind": "decision", "title": "x"})
    assert no_file.status_code == 400 and "Hãy chọn tệp tài liệu" in no_file.content.decode()
    assert not Document.objects.exists()
    assert not AuditEntry.objects.filter(action="sentences.document_add").exists()
    files_after = sum(len(f) for _, _, f in os.walk(media)) if os.path.isdir(media) else 0
    assert files_after == files_before


def test_a_too_large_file_is_refused(client, people, new_case, settings):
    settings.DOSSIER_MAX_UPLOAD_BYTES = 1024
    case = new_case()
    base = _open(client, people["thaha.vinhphu"], case)
    response = _upload(client, base, content=PDF + b"0" * 2048)
    assert response.status_code == 400 and "quá lớn" in response.content.decode()
    assert not Document.objects.exists()


def test_documents_move_with_the_case_to_the_new_ward(client, org, people, new_case):
    case = new_case()
    base = _open(client, people["thaha.vinhphu"], case)
    _upload(client, base, content=PNG, name="bien-ban.png", kind="reception", title="Biên bản")
    document = Document.objects.get()
    client.post(
        base + "thao-tac/transfer/",
        {
            "to_commune": org.units["THANHVINH"].pk,
            "new_address": "Khối 2, phường Thành Vinh",
            "minutes": "Bàn giao hồ sơ.",
        },
    )
    assert client.get(f"{base}tai-lieu/{document.pk}/").status_code == 404
    _open(client, people["thaha.thanhvinh"], case, purpose="Tiếp nhận hồ sơ chuyển đến")
    assert "Biên bản" in client.get(base).content.decode()
    download = client.get(f"{base}tai-lieu/{document.pk}/")
    assert download.status_code == 200 and download.content == PNG
    assert download["Content-Type"] == "image/png"
