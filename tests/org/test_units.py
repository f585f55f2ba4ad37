import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from motcua.audit.models import AuditEntry
from motcua.org.importing import ImportRejected, read_rows, units_import
from motcua.org.models import Unit, UnitKind


def test_it_keeps_the_subtree_when_a_unit_moves(org):
    # A merger recorded under the wrong successor is corrected by moving the old unit.
    nghi_phu = org.units["NGHIPHU"]
    vinh_hung = org.units["VINHHUNG"]
    child = Unit.objects.create(
        code="NGHIPHU-TO1", name="Tổ công tác số 1", kind=UnitKind.OTHER, parent=nghi_phu
    )

    nghi_phu.parent = vinh_hung
    nghi_phu.save()

    child.refresh_from_db()
    assert child.path.startswith(vinh_hung.path)
    assert set(Unit.objects.subtree_of(vinh_hung).values_list("code", flat=True)) >= {
        "NGHIPHU",
        "NGHIPHU-TO1",
        "HUNGDONG",
    }
    vinh_phu = Unit.objects.subtree_of(org.units["VINHPHU"])
    assert "NGHIPHU" not in vinh_phu.values_list("code", flat=True)


def test_it_keeps_a_closed_unit_for_old_records(org):
    from datetime import date

    old = Unit.objects.create(
        code="CAHUNGNGUYEN",
        name="Công an huyện Hưng Nguyên",
        kind=UnitKind.DISTRICT_POLICE,
        parent=org.units["CANA"],
        valid_to=date(2025, 6, 30),
        merged_into=org.units["VINH"],
    )
    assert not old.is_active
    assert old not in Unit.objects.active_on(date(2025, 7, 1))
    assert old in Unit.objects.active_on(date(2025, 6, 30))


CSV_OK = (
    "code,name,short_name,kind,parent_code,agency_id,address,valid_from,valid_to\n"
    "QUYNHLUU,Công an huyện Quỳnh Lưu,CA Quỳnh Lưu,district,CANA,000.34.15.H40,,01/01/2020,\n"
    "QUYNHDOI,Công an xã Quỳnh Đôi,,Công an xã, phường, thị trấn,QUYNHLUU,000.70.15.H40,,,\n"
)


def test_it_imports_units_from_csv_with_vietnamese_kinds(org):
    audited = AuditEntry.objects.filter(action="org.unit.import").count()
    csv = CSV_OK.replace("Công an xã, phường, thị trấn", '"Công an xã, phường, thị trấn"')
    units = units_import(actor=org["quantri"], rows=read_rows("units.csv", csv.encode()))

    assert [u.code for u in units] == ["QUYNHLUU", "QUYNHDOI"]
    quynh_doi = Unit.objects.get(code="QUYNHDOI")
    assert quynh_doi.parent.code == "QUYNHLUU"
    assert quynh_doi.kind == UnitKind.COMMUNE_POLICE
    assert AuditEntry.objects.filter(action="org.unit.import").count() == audited + 2


def test_it_rejects_a_bad_xlsx_row_by_row_and_changes_nothing(org):
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "name", "kind", "parent_code", "valid_from"])
    sheet.append(["ANHSON", "Công an huyện Anh Sơn", "district", "CANA", "31/02/2024"])
    sheet.append(["", "Không có mã", "district", "CANA", ""])
    sheet.append(["TANKY", "Công an huyện Tân Kỳ", "tỉnh lạ", "KHONGCO", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    before = Unit.objects.count()

    with pytest.raises(ImportRejected) as rejected:
        units_import(actor=org["quantri"], rows=read_rows("units.xlsx", buffer.getvalue()))

    report = str(rejected.value)
    assert "Dòng 2, cột valid_from: Ngày không hợp lệ" in report
    assert "Dòng 3, cột code: Không được để trống." in report
    assert "Dòng 4, cột kind: Loại đơn vị không hợp lệ: tỉnh lạ." in report
    assert "Dòng 4, cột parent_code" in report
    assert Unit.objects.count() == before


def test_it_refuses_an_unknown_file_type_in_vietnamese(db):
    with pytest.raises(ImportRejected, match="Chỉ nhận tệp .csv hoặc .xlsx"):
        read_rows("units.pdf", b"%PDF-1.4")


def test_the_cli_reports_errors_and_exits_non_zero(org, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name\nX,Y\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Dòng 1, cột kind: Thiếu cột bắt buộc"):
        call_command("import_units", str(bad))
    good = tmp_path / "good.csv"
    good.write_text(CSV_OK.replace("Công an xã, phường, thị trấn", "commune"), encoding="utf-8")
    call_command("import_units", str(good))
    assert Unit.objects.filter(code__in=["QUYNHLUU", "QUYNHDOI"]).count() == 2


def test_seed_demo_is_idempotent(org):
    from motcua.org import demo
    from motcua.org.models import Desk, User

    counts = (Unit.objects.count(), User.objects.count(), Desk.objects.count())
    demo.seed()
    assert (Unit.objects.count(), User.objects.count(), Desk.objects.count()) == counts
    assert Unit.objects.filter(kind=UnitKind.COMMUNE_POLICE).count() >= 12
    assert Unit.objects.filter(kind=UnitKind.DISTRICT_POLICE).count() >= 3
    assert {"PC06", "PC08", "PA08"} <= set(Unit.objects.values_list("code", flat=True))


def test_the_admin_import_page_lists_errors_and_changes_nothing(client, org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(org["quantri"])
    before = Unit.objects.count()
    bad = SimpleUploadedFile("units.csv", b"code,name,kind\nX1,,district\n")
    html = client.post("/quan-tri/org/unit/nhap/", {"file": bad}).content.decode()
    assert "Dòng 2, cột name: Không được để trống." in html
    assert Unit.objects.count() == before

    good = SimpleUploadedFile(
        "units.csv", CSV_OK.replace("Công an xã, phường, thị trấn", "commune").encode()
    )
    response = client.post("/quan-tri/org/unit/nhap/", {"file": good})
    assert response.status_code == 302
    assert Unit.objects.count() == before + 2


def test_it_imports_a_merger_with_the_successor_later_in_the_file(org):
    rows = read_rows(
        "merge.csv",
        (
            "code,name,kind,parent_code,valid_from,valid_to,merged_into\n"
            "QUYNHDOI,Công an xã Quỳnh Đôi,commune,CANA,,30/06/2025,QUYNHLUU\n"
            "QUYNHLUU,Công an xã Quỳnh Lưu,commune,CANA,01/07/2025,,\n"
        ).encode(),
    )

    units_import(actor=org["quantri"], rows=rows)

    old = Unit.objects.get(code="QUYNHDOI")
    assert old.merged_into.code == "QUYNHLUU"
    assert old not in Unit.objects.active_on(date(2025, 7, 1))


def test_it_rejects_a_merger_into_an_unknown_unit_or_itself(org):
    rows = read_rows(
        "merge.csv",
        (
            "code,name,kind,parent_code,merged_into\n"
            "ANHSON,Công an huyện Anh Sơn,district,CANA,KHONGCO\n"
            "TANKY,Công an huyện Tân Kỳ,district,CANA,TANKY\n"
        ).encode(),
    )
    with pytest.raises(ImportRejected) as rejected:
        units_import(actor=org["quantri"], rows=rows)

    report = str(rejected.value)
    assert "Dòng 2, cột merged_into: Không tìm thấy đơn vị có mã KHONGCO." in report
    assert "Dòng 3, cột merged_into: Đơn vị không thể sáp nhập vào chính nó." in report
    assert not Unit.objects.filter(code__in=["ANHSON", "TANKY"]).exists()


def test_reimporting_the_same_file_changes_and_audits_nothing(org):
    from motcua.org import demo

    audited = AuditEntry.objects.filter(action="org.unit.import").count()
    demo.seed()
    assert AuditEntry.objects.filter(action="org.unit.import").count() == audited
