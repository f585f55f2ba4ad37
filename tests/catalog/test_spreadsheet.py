"""Catalogue import/export: an exported workbook re-imports to nothing; a changed row makes a
draft (or a version with --publish); a bad file is reported by row and column in Vietnamese and
changes nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from motcua.audit.models import AuditEntry
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.services import SystemActor, form_template_add, procedure_publish
from motcua.catalog.spreadsheet import COLUMNS, export_workbook, import_workbook

CLI = SystemActor("test")


def export_all() -> bytes:
    return export_workbook(Procedure.objects.all())


def edited(data: bytes, changes: dict[tuple[str, str], object]) -> io.BytesIO:
    """A copy of an exported workbook with cells changed, by (procedure code, column key)."""
    book = load_workbook(io.BytesIO(data))
    sheet = book["Thủ tục"]
    columns = {key: index + 1 for index, (key, _h, _w) in enumerate(COLUMNS)}
    rows = {sheet.cell(row=r, column=1).value: r for r in range(2, sheet.max_row + 1)}
    for (code, key), value in changes.items():
        if code not in rows:
            rows[code] = sheet.max_row + 1
            sheet.cell(row=rows[code], column=1, value=code)
        sheet.cell(row=rows[code], column=columns[key], value=value)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def state():
    return (
        list(ProcedureVersion.objects.order_by("pk").values_list("pk", "status", "content_hash")),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize("publish", [False, True])
def test_it_changes_nothing_when_an_exported_file_comes_back(catalog, org, publish):
    pdf = SimpleUploadedFile("CT01.pdf", b"%PDF-1.4 mau CT01", content_type="application/pdf")
    form_template_add(
        actor=org["danhmuc"], procedure=catalog.residence, name="Tờ khai CT01", upload=pdf
    )
    procedure_publish(actor=org["danhmuc"], procedure=catalog.residence)
    before = state()

    report = import_workbook(io.BytesIO(export_all()), actor=CLI, publish=publish)

    assert report.ok, [str(e) for e in report.errors]
    assert sorted(report.unchanged) == ["1.004194", "2.001159", "2.002286", "2.090001"]
    assert report.changed == 0
    assert state() == before


def test_it_drafts_a_changed_row_and_leaves_the_published_text(catalog, org, client):
    data = edited(
        export_all(),
        {
            ("1.004194", "time_value"): 5,
            ("1.004194", "fees"): "Lệ phí đăng ký thường trú | 20.000 | 5.000 |",
        },
    )

    report = import_workbook(data, actor=CLI)

    assert report.drafted == ["1.004194"]
    assert sorted(report.unchanged) == ["2.001159", "2.002286", "2.090001"]
    draft = catalog.residence.draft()
    assert draft.time_value == 5
    assert draft.fees == [
        {"name": "Lệ phí đăng ký thường trú", "desk": 20000, "online": 5000, "exemption": ""}
    ]
    assert "7 ngày làm việc" in client.get("/tthc/1.004194/").content.decode()


def test_it_publishes_a_changed_row_with_publish(catalog, client):
    data = edited(export_all(), {("2.001159", "name"): "Đăng ký tạm trú, gia hạn tạm trú"})

    report = import_workbook(data, actor=CLI, publish=True)

    assert report.published == ["2.001159"]
    catalog.temporary.refresh_from_db()
    assert catalog.temporary.current_version.number == 2
    assert catalog.temporary.name == "Đăng ký tạm trú, gia hạn tạm trú"
    html = client.get("/tthc/2.001159/").content.decode()
    assert "Đăng ký tạm trú, gia hạn tạm trú" in html


def test_it_creates_a_new_procedure_as_a_draft(catalog):
    data = edited(
        export_all(),
        {
            ("1.004222", "name"): "Xóa đăng ký thường trú",
            ("1.004222", "domain"): "CUTRU",
            ("1.004222", "owner_unit"): "PC06",
            ("1.004222", "handling_units"): "VINHPHU\nTHANHVINH",
            ("1.004222", "steps"): "Nộp hồ sơ.\nNhận kết quả.",
            ("1.004222", "channels"): "Trực tiếp\nTrực tuyến",
            ("1.004222", "online_level"): "Toàn trình",
            ("1.004222", "time_value"): 180,
            ("1.004222", "time_unit"): "phút",
        },
    )

    report = import_workbook(data, actor=CLI)

    assert report.created == ["1.004222"]
    procedure = Procedure.objects.get(code="1.004222")
    assert procedure.current_version is None
    assert procedure.draft().time_unit == "minutes"
    assert procedure.draft().channels == ["desk", "online"]


def test_it_reports_every_error_by_row_and_column_and_changes_nothing(catalog):
    before = state()
    data = edited(
        export_all(),
        {
            ("1.004194", "time_value"): 5,  # a valid change, not applied
            ("2.001159", "domain"): "KHONGCO",
            ("2.002286", "fees"): "Lệ phí cấp hộ chiếu | hai trăm nghìn | |",
            ("2.090001", "online_level"): "Rất cao",
            ("1.00423", "name"): "Mã sai",
        },
    )

    report = import_workbook(data, actor=CLI, publish=True)

    assert not report.ok
    messages = [str(e) for e in report.errors]
    rows = {e.row for e in report.errors}
    assert rows == {3, 4, 5, 6}
    assert "Dòng 3, cột C (Mã lĩnh vực): Không có lĩnh vực mã “KHONGCO”." in messages
    assert any(
        m.startswith("Dòng 4, cột Q (Phí, lệ phí") and "phải là số nguyên" in m for m in messages
    )
    assert any(m.startswith("Dòng 5, cột K (Mức độ dịch vụ công trực tuyến)") for m in messages)
    assert any(m.startswith("Dòng 6, cột A (Mã thủ tục)") for m in messages)
    assert report.summary() == "Tệp có 4 lỗi; chưa thay đổi gì. Sửa các lỗi rồi nhập lại."
    assert state() == before


def test_it_refuses_a_file_that_is_not_a_workbook(catalog):
    report = import_workbook(io.BytesIO(b"not a spreadsheet"), actor=CLI)
    assert [str(e) for e in report.errors] == ["Không đọc được tệp: cần tệp Excel .xlsx."]


def test_it_keeps_formulas_out_of_exported_text(catalog, org):
    from tests.catalog.factories import republish

    republish(org["danhmuc"], catalog.residence, applicants='=HYPERLINK("http://x")')
    book = load_workbook(io.BytesIO(export_all()))
    cell = book["Thủ tục"]["H2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_it_limits_changes_to_the_units_the_importer_keeps(catalog, org):
    from motcua.org.models import User
    from motcua.org.roles import Role

    keeper = User.objects.create(
        username="danhmuc.pc06", role=Role.CATALOG_ADMIN, unit=org.units["PC06"]
    )
    data = edited(
        export_all(),
        {
            ("2.002286", "time_value"): 5,  # PA08's procedure
            ("1.004194", "time_value"): 5,
        },
    )  # PC06's own
    report = import_workbook(data, actor=keeper, publish=True)
    assert [(e.row, e.column) for e in report.errors] == [(4, "A (Mã thủ tục)")]
    assert "không có quyền cập nhật thủ tục của đơn vị Phòng Quản lý xuất nhập cảnh" in str(
        report.errors[0]
    )
    # The rows it leaves unchanged, whoever keeps them, are no obstacle.
    ok = edited(export_all(), {("1.004194", "time_value"): 5})
    assert import_workbook(ok, actor=keeper, publish=True).published == ["1.004194"]


def test_it_runs_from_the_command_line(catalog, tmp_path, capsys):
    path = tmp_path / "danh-muc.xlsx"
    call_command("catalog_export", str(path))
    assert "Đã xuất 4 thủ tục" in capsys.readouterr().out

    call_command("catalog_import", str(path), publish=True)
    assert "4 không thay đổi" in capsys.readouterr().out

    bad = tmp_path / "loi.xlsx"
    bad.write_bytes(edited(path.read_bytes(), {("2.001159", "time_unit"): "tuần"}).getvalue())
    with pytest.raises(CommandError, match="Tệp có 1 lỗi"):
        call_command("catalog_import", str(bad))
    assert "Dòng 3, cột O (Đơn vị thời hạn)" in capsys.readouterr().err
