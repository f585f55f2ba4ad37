"""Uploads cannot run code in the staff's browser nor lie about their names.

A receptionist of Công an xã Nghi Phú attaches scans to Nguyễn Thị Lan's dossier; a PDF that
would run JavaScript or a program, or carries other files, is refused; names are cleaned the
same way from the screen and the API; every scan is served as a download in a sandbox."""

import io
import json

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.models import Dossier, DossierFile
from motcua.dossiers.services import dossier_receive
from motcua.dossiers.uploads import clean_file_name
from tests.dossiers.stories import CITIZEN, all_documents


def _pdf(change=lambda pdf: None, **save) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    change(pdf)
    out = io.BytesIO()
    pdf.save(out, **save)
    return out.getvalue()


def _open_action(**action):
    return lambda pdf: setattr(pdf.Root, "OpenAction", pikepdf.Dictionary(**action))


def _attach(pdf):
    pdf.attachments["hoa-don.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ...", mime_type="x/y")


ACTIVE = {
    "open-action JavaScript": _pdf(
        _open_action(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    ),
    "JavaScript in a compressed object stream": _pdf(
        _open_action(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")),
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
    ),
    "launch action": _pdf(_open_action(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe"))),
    "embedded file": _pdf(_attach),
    "unreadable, with /JavaScript": b"%PDF-1.4\n/OpenAction << /S /JavaScript /JS (x) >>\n",
}


def _receive(org, tam_tru, desk_nghiphu, files):
    return dossier_receive(
        actor=org["tiepnhan.nghiphu"],
        desk=desk_nghiphu,
        procedure_version=tam_tru,
        applicant=dict(CITIZEN),
        checklist=all_documents(),
        files=files,
    )


@pytest.mark.parametrize("kind", list(ACTIVE))
def test_it_refuses_a_pdf_that_runs_code_or_carries_files(
    org, tam_tru, desk_nghiphu, friday_16h, kind
):
    with pytest.raises(InvalidInput, match="JavaScript"):
        _receive(org, tam_tru, desk_nghiphu, [SimpleUploadedFile("to-khai.pdf", ACTIVE[kind])])
    assert not Dossier.objects.exists() and not DossierFile.objects.exists()


def test_it_keeps_an_ordinary_pdf(org, tam_tru, desk_nghiphu, friday_16h):
    dossier = _receive(org, tam_tru, desk_nghiphu, [SimpleUploadedFile("to-khai.pdf", _pdf())])
    assert [f.name for f in dossier.files.all()] == ["to-khai.pdf"]


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\hoa-don.pdf", "hoa-don.pdf"),
        ("hoadon\u202efdp.exe", "hoadonfdp.exe"),
        ("to\x00khai\r\n.pdf", "tokhai .pdf"),
        ("...", "tep"),
        ("Tờ khai CT01.pdf", "Tờ khai CT01.pdf"),
    ],
)
def test_it_cleans_file_names(raw, shown):
    assert clean_file_name(raw) == shown


def test_the_api_stores_the_same_clean_names_as_the_screen(org, tam_tru, capsys):
    import base64

    call_command("create_token", user="tiepnhan.nghiphu")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {capsys.readouterr().out.strip()}")
    scan = base64.b64encode(_pdf()).decode()
    body = {
        "desk": "NGHIPHU-MC",
        "procedure": "1.004194",
        "applicant": CITIZEN,
        "checklist": all_documents(),
        "files": [
            {"name": "../../etc/passwd.pdf", "content_base64": scan},
            {"name": "hoadon\u202efdp.exe", "content_base64": scan},
        ],
    }
    response = api.post("/api/v1/dossiers", json.dumps(body), content_type="application/json")
    assert response.status_code == 201
    assert sorted(DossierFile.objects.values_list("name", flat=True)) == [
        "hoadonfdp.exe",
        "passwd.pdf",
    ]


def test_it_serves_a_scan_as_a_private_sandboxed_download(
    client, org, tam_tru, desk_nghiphu, friday_16h
):
    dossier = _receive(org, tam_tru, desk_nghiphu, [SimpleUploadedFile("Tờ khai.pdf", _pdf())])
    client.force_login(org["tiepnhan.nghiphu"])
    scan = dossier.files.get()
    response = client.get(reverse("dossier-file", args=[dossier.code, scan.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''T%E1%BB%9D%20khai.pdf" in response["Content-Disposition"]
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
