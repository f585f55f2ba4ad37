"""The catalogue administrator's pages: create, edit a draft, review what changed, publish,
import; and who may not."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalog.content import content_of
from motcua.catalog.models import Procedure


def form_data(content: dict, **extra) -> dict:
    """POST data of the edit form for `content` (formsets included)."""
    data = {
        "name": content["name"],
        "domain": content["domain"],
        "audience": content["audience"],
        "agency": content["agency"],
        "handling_units": content["handling_units"],
        "applicants": content["applicants"],
        "steps": "\n".join(content["steps"]),
        "channels": content["channels"],
        "online_level": content["online_level"],
        "sets": content["sets"],
        "time_value": content["time_value"],
        "time_unit": content["time_unit"],
        "time_note": content["time_note"],
        "fee_note": content["fee_note"],
        "result": content["result"],
        "conditions": content["conditions"],
        "form_files": content["forms"],
        "change_note": "",
    }
    for prefix, rows, fields in (
        ("docs", content["documents"], ["name", "copies", "mandatory", "note"]),
        ("fees", content["fees"], ["name", "desk", "online", "exemption"]),
        ("legal", content["legal_basis"], ["number", "title", "effective"]),
    ):
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = len(rows)
        for i, row in enumerate(rows):
            for name in fields:
                value = row[name]
                if value is None or value is False:
                    continue
                data[f"{prefix}-{i}-{name}"] = "on" if value is True else value
    data.update(extra)
    return data


@pytest.fixture
def keeper(client, org):
    client.force_login(org["danhmuc"])
    return client


def test_it_shows_the_catalogue_to_its_keeper(catalog, keeper):
    html = keeper.get("/can-bo/tthc/").content.decode()
    assert "Đăng ký thường trú" in html and "Xác nhận quá trình công tác" in html
    assert "Cập nhật danh mục thủ tục hành chính" in keeper.get("/can-bo/").content.decode()


@pytest.mark.parametrize("username", ["tiepnhan.vinhphu", "xuly.pc06", "thanhtra"])
def test_it_keeps_others_out_of_catalogue_administration(catalog, client, org, username):
    client.force_login(org[username])
    assert client.get("/can-bo/tthc/").status_code == 403
    assert client.get("/can-bo/tthc/1.004194/sua/").status_code == 403


def test_it_scopes_a_leader_to_their_own_units_procedures(catalog, client, org):
    client.force_login(org["lanhdao.pc06"])
    html = client.get("/can-bo/tthc/").content.decode()
    assert "Đăng ký thường trú" in html and "Cấp hộ chiếu" not in html
    assert client.get("/can-bo/tthc/2.002286/").status_code == 404


def test_it_saves_an_edit_as_a_draft_then_publishes_it(catalog, keeper, client):
    content = content_of(catalog.residence.current_version)
    response = keeper.post(
        "/can-bo/tthc/1.004194/sua/",
        form_data({**content, "time_value": 5}, change_note="Rút ngắn thời hạn còn 5 ngày."),
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert catalog.residence.draft().time_value == 5
    assert "7 ngày làm việc" in client.get("/tthc/1.004194/").content.decode()

    review = keeper.get("/can-bo/tthc/1.004194/cong-bo/").content.decode()
    assert "Thời hạn giải quyết" in review and "5 ngày làm việc" in review

    published = keeper.post(
        "/can-bo/tthc/1.004194/cong-bo/",
        {"effective_from": "01/08/2025", "change_note": "Rút ngắn thời hạn còn 5 ngày."},
    )
    assert published.status_code == 302
    catalog.residence.refresh_from_db()
    assert catalog.residence.current_version.number == 2
    assert catalog.residence.current_version.effective_from.isoformat() == "2025-08-01"
    keeper.logout()
    assert "5 ngày làm việc" in client.get("/tthc/1.004194/").content.decode()


def test_it_shows_invalid_input_next_to_the_field_and_saves_nothing(catalog, keeper):
    content = content_of(catalog.residence.current_version)
    response = keeper.post(
        "/can-bo/tthc/1.004194/sua/",
        form_data({**content, "channels": ["desk"]}),  # full online without the online channel
    )
    assert response.status_code == 200
    assert "cách thức phải có “Trực tuyến”" in response.content.decode()
    assert catalog.residence.draft() is None


def test_it_creates_a_procedure_and_uploads_a_form(catalog, keeper):
    content = content_of(catalog.residence.current_version)
    created = keeper.post(
        "/can-bo/tthc/them/",
        form_data(
            {**content, "name": "Xóa đăng ký thường trú", "forms": []},
            code="1.004222",
            owner_unit="PC06",
        ),
    )
    assert created.status_code == 302
    procedure = Procedure.objects.get(code="1.004222")
    assert procedure.current_version is None

    pdf = SimpleUploadedFile("CT01.pdf", b"%PDF-1.4 to khai", content_type="application/pdf")
    edited = keeper.post(
        "/can-bo/tthc/1.004222/sua/",
        form_data(content_of(procedure.draft()), new_form_file=pdf, new_form_name="Tờ khai CT01"),
    )
    assert edited.status_code == 302
    assert [f.name for f in procedure.draft().forms.all()] == ["Tờ khai CT01"]

    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", content_type="application/pdf")
    refused = keeper.post(
        "/can-bo/tthc/1.004222/sua/",
        form_data(content_of(procedure.draft()), new_form_file=fake),
    )
    assert "không phải là tệp PDF hợp lệ" in refused.content.decode()


def test_it_compares_the_draft_with_the_current_version(catalog, keeper):
    content = content_of(catalog.residence.current_version)
    keeper.post(
        "/can-bo/tthc/1.004194/sua/", form_data({**content, "name": "Đăng ký thường trú mới"})
    )
    html = keeper.get("/can-bo/tthc/1.004194/so-sanh/?tu=1&den=nhap").content.decode()
    assert "Đăng ký thường trú mới" in html and 'data-component="name"' in html


def test_it_reports_import_errors_on_the_page(catalog, keeper):
    upload = SimpleUploadedFile(
        "danh-muc.xlsx", b"PK\x03\x04 not really", content_type="application/octet-stream"
    )
    response = keeper.post("/can-bo/tthc/excel/nhap/", {"file": upload, "dry_run": "on"})
    assert "Không đọc được tệp" in response.content.decode()


def test_it_exports_and_reimports_from_the_page(catalog, keeper):
    exported = keeper.get("/can-bo/tthc/excel/xuat/")
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    upload = SimpleUploadedFile("danh-muc.xlsx", exported.content)
    response = keeper.post("/can-bo/tthc/excel/nhap/", {"file": upload, "publish": "on"})
    assert "4 không thay đổi" in response.content.decode()


def test_it_lists_desk_sheets(catalog, keeper):
    html = keeper.get("/can-bo/tthc/bo-phan/").content.decode()
    assert "/tthc/bo-phan/VINHPHU-MC/qr.pdf" in html
