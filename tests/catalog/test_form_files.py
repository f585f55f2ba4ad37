"""Declaration forms (tờ khai) attached to a procedure version, downloaded by citizens.

Phan Văn Đức (`danhmuc`, catalogue administrator) attaches the CT01 declaration to the draft of
"Đăng ký thường trú" and publishes it. A citizen opens the page behind the QR code (or its copy
nginx serves) and downloads the file. Published versions never change: a later draft may drop
or add forms, the version in force keeps its own until the next publish.
"""

import io
import re
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalog import static_pages
from motcua.catalog.content import content_of
from motcua.catalog.models import FormTemplate
from motcua.catalog.services import (
    MAX_FORM_BYTES,
    CatalogError,
    form_template_add,
    procedure_draft_save,
    procedure_publish,
)
from tests.catalog.factories import republish

PDF = b"%PDF-1.4\n% to khai CT01\n%%EOF\n"
DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Danh sách nhân khẩu"
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PUBLIC_PAGES_ROOT = tmp_path / "public"


@pytest.fixture
def keeper(org):
    return org["danhmuc"]


def attach(keeper, procedure, filename: str, data: bytes, name: str = "") -> FormTemplate:
    upload = SimpleUploadedFile(filename, data)
    return form_template_add(actor=keeper, procedure=procedure, name=name, upload=upload)


def form_links(html: str) -> list[str]:
    return re.findall(r'href="(/tthc/[^"]+/mau/\d+/)"', html)


def test_a_citizen_downloads_the_ct01_form_of_the_published_version(
    client, catalog, keeper, django_capture_on_commit_callbacks
):
    residence = catalog.residence
    form = attach(keeper, residence, "CT01.pdf", PDF, name="Tờ khai thay đổi thông tin cư trú")
    url = f"/tthc/1.004194/mau/{form.pk}/"
    assert client.get(url).status_code == 404  # a draft's form is not public yet
    assert url not in client.get("/tthc/1.004194/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        procedure_publish(actor=keeper, procedure=residence)

    html = client.get("/tthc/1.004194/").content.decode()
    assert form_links(html) == [url]
    assert "Tờ khai thay đổi thông tin cư trú" in html
    for language in ("vi", "en"):  # the files nginx serves carry the same link
        assert form_links(static_pages.page_file("1.004194", language).read_text()) == [url]

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="CT01.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize(
    "filename, data, content_type",
    [
        ("CT01.doc", DOC, "application/msword"),
        (
            "Tờ khai CT01.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "Danh sách nhân khẩu.xlsx",
            xlsx_bytes(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_word_and_excel_forms_download_under_their_own_type(
    client, catalog, keeper, filename, data, content_type
):
    form = attach(keeper, catalog.residence, filename, data)
    procedure_publish(actor=keeper, procedure=catalog.residence)

    response = client.get(f"/tthc/1.004194/mau/{form.pk}/")
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment; filename")
    assert b"".join(response.streaming_content) == data
    # A Vietnamese file name is kept, encoded for the header (RFC 6266).
    if not filename.isascii():
        assert "filename*=utf-8''" in response["Content-Disposition"]


@pytest.mark.parametrize(
    "filename, data, message",
    [
        ("CT01.exe", b"MZ\x90\x00", "Mẫu đơn phải là tệp PDF, DOC, DOCX hoặc XLSX."),
        ("CT01.pdf", b"MZ\x90\x00 renamed program", "không phải là tệp PDF hợp lệ"),
        ("CT01.pdf", b"", "không phải là tệp PDF hợp lệ"),
        # A zip is not a Word file unless it holds a Word document.
        ("CT01.docx", xlsx_bytes(), "không phải là tệp DOCX hợp lệ"),
        ("CT01.xlsx", b"PK\x03\x04 broken zip", "không phải là tệp XLSX hợp lệ"),
        ("CT01.pdf", PDF + b"0" * MAX_FORM_BYTES, "Tệp mẫu đơn lớn quá 10 MB."),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_changes(
    catalog, keeper, filename, data, message
):
    before = (FormTemplate.objects.count(), catalog.residence.draft())
    with pytest.raises(CatalogError, match=re.escape(message)):
        attach(keeper, catalog.residence, filename, data)
    assert (FormTemplate.objects.count(), catalog.residence.draft()) == before


def test_the_version_in_force_keeps_its_forms_while_the_draft_changes(client, catalog, keeper):
    residence = catalog.residence
    form = attach(keeper, residence, "CT01.pdf", PDF, name="Tờ khai CT01")
    procedure_publish(actor=keeper, procedure=residence)
    residence.refresh_from_db()
    published = residence.current_version

    # A draft copied from the published version starts with its forms.
    draft = procedure_draft_save(
        actor=keeper,
        procedure=residence,
        content={**content_of(published), "time_value": 5},
    )
    assert list(draft.forms.all()) == [form]

    # The draft drops the form: citizens still get it until the next publish.
    procedure_draft_save(
        actor=keeper, procedure=residence, content={**content_of(draft), "forms": []}
    )
    assert list(published.forms.all()) == [form]
    assert form_links(client.get("/tthc/1.004194/").content.decode()) == [
        f"/tthc/1.004194/mau/{form.pk}/"
    ]

    republish(keeper, residence)
    assert form_links(client.get("/tthc/1.004194/").content.decode()) == []
    # The old version's page still offers the form it was published with.
    old = client.get(f"/tthc/1.004194/v/{published.number}/").content.decode()
    assert form_links(old) == [f"/tthc/1.004194/mau/{form.pk}/"]
    assert client.get(f"/tthc/1.004194/mau/{form.pk}/").status_code == 200


def test_staff_see_and_download_the_drafts_forms_on_the_procedure_page(
    client, catalog, keeper, org
):
    form = attach(keeper, catalog.residence, "CT01.pdf", PDF, name="Tờ khai CT01")
    client.force_login(keeper)
    html = client.get("/can-bo/tthc/1.004194/").content.decode()
    assert "Mẫu đơn, tờ khai của bản nháp" in html
    assert f'href="/can-bo/tthc/1.004194/mau/{form.pk}/"' in html and "Tờ khai CT01" in html
    response = client.get(f"/can-bo/tthc/1.004194/mau/{form.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"

    # A commune's leader manages no PC06 procedure: no page, no file.
    client.force_login(org["lanhdao.vinhphu"])
    assert client.get(f"/can-bo/tthc/1.004194/mau/{form.pk}/").status_code in (403, 404)


def test_an_internal_procedures_forms_stay_with_staff(client, catalog, keeper, org):
    form = attach(keeper, catalog.internal, "Mau-01.pdf", PDF)
    procedure_publish(actor=keeper, procedure=catalog.internal)
    url = f"/tthc/2.090001/mau/{form.pk}/"
    assert client.get(url).status_code == 404
    client.force_login(org["tiepnhan.vinhphu"])
    assert client.get(url).status_code == 200
