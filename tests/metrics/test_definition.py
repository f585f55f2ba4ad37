"""The index definition is versioned data, round-trips through XLSX, and a bad file changes
nothing."""

import io
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from motcua.metrics.definition import export_workbook
from motcua.metrics.models import IndexDefinition, Indicator
from motcua.metrics.scores import index_report, r2

OCT = (date(2026, 10, 1), date(2026, 10, 31))


def test_version_1_is_seeded_with_five_groups_and_100_points(db):
    v1 = IndexDefinition.objects.get(version=1)
    groups = {g.code: sum(i.max_points for i in g.indicators.all()) for g in v1.groups.all()}
    assert groups == {
        "minh_bach": 18,
        "tien_do": 20,
        "truc_tuyen": 22,
        "so_hoa": 22,
        "hai_long": 18,
    }
    on_time = Indicator.objects.get(group__definition=v1, code="dung_han")
    assert (on_time.max_points, on_time.threshold_pct) == (20, 100)
    online = Indicator.objects.get(group__definition=v1, code="hs_truc_tuyen")
    assert online.threshold_pct == 50
    assert [b.name for b in v1.bands.all()] == ["Xuất sắc", "Khá", "Trung bình", "Yếu"]


def edited(book_bytes, edit) -> bytes:
    book = load_workbook(io.BytesIO(book_bytes))
    edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row_of(sheet, code):
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 3).value == code)


@pytest.fixture
def exported(tmp_path, db):
    path = tmp_path / "chi-so.xlsx"
    call_command("metrics_definition_export", str(path), stdout=StringIO())
    return path


def test_a_changed_threshold_is_a_new_version_and_old_periods_keep_theirs(
    two_months, org, exported, tmp_path
):
    def lower_online_threshold(book):
        sheet = book["Chỉ tiêu"]
        sheet.cell(row_of(sheet, "hs_truc_tuyen"), 6).value = 40

    changed = tmp_path / "v2.xlsx"
    changed.write_bytes(edited(exported.read_bytes(), lower_online_threshold))
    out = StringIO()
    call_command("metrics_definition_import", str(changed), "--from", "01/11/2026", stdout=out)
    assert "phiên bản 2" in out.getvalue()
    a = org.units["VINHPHU"]
    # October is still scored by version 1: online 2/5 = 40% below 50% → 4.8.
    october = index_report(*OCT)
    assert october.definition.version == 1
    assert r2(october.for_unit(a).indicator("hs_truc_tuyen").points) == Decimal("4.80")
    # A period ending in November uses version 2: 40% reaches T 40% → full 6.
    both = index_report(date(2026, 10, 1), date(2026, 11, 30))
    assert both.definition.version == 2
    assert r2(both.for_unit(a).indicator("hs_truc_tuyen").points) == Decimal("6.00")


def test_the_export_reads_back_as_the_same_definition(db):
    from motcua.metrics.definition import read_workbook, v1_draft

    v1 = IndexDefinition.objects.get(version=1)
    draft = read_workbook(export_workbook(v1))
    seed = v1_draft()
    assert draft.effective_from == seed.effective_from
    assert [(c, n, list(i)) for c, n, i in draft.groups] == [
        (c, n, list(i)) for c, n, i in seed.groups
    ]
    assert draft.bands == seed.bands


def test_a_bad_file_names_each_problem_and_writes_nothing(exported, tmp_path):
    def spoil(book):
        sheet = book["Chỉ tiêu"]
        r = row_of(sheet, "dung_han")
        sheet.cell(r, 5).value = "hai mươi"
        sheet.cell(r + 1, 6).value = 150
        sheet.cell(r + 1, 7).value = "Có lẽ"
        sheet.cell(row_of(sheet, "so_hoa_ket_qua"), 3).value = "khong_co"

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(edited(exported.read_bytes(), spoil))
    with pytest.raises(CommandError) as error:
        call_command("metrics_definition_import", str(bad), stdout=StringIO())
    message = str(error.value)
    assert "chưa nạp gì" in message
    assert "cột 'Điểm tối đa': phải là số nguyên từ 0 đến 100 (đang là 'hai mươi')" in message
    assert "cột 'Ngưỡng (%)': phải là số nguyên từ 1 đến 100 (đang là '150')" in message
    assert "cột 'Tính điểm (Có/Không)': ghi 'Có' hoặc 'Không' (đang là 'Có lẽ')" in message
    assert "không có công thức nào mang mã 'khong_co'" in message
    assert IndexDefinition.objects.count() == 1


def test_points_that_do_not_add_up_to_100_are_refused(exported, tmp_path):
    def inflate(book):
        sheet = book["Chỉ tiêu"]
        sheet.cell(row_of(sheet, "dung_han"), 5).value = 30

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(edited(exported.read_bytes(), inflate))
    with pytest.raises(CommandError, match="Tổng điểm tối đa các chỉ tiêu là 110, phải bằng 100"):
        call_command("metrics_definition_import", str(bad), stdout=StringIO())
    assert IndexDefinition.objects.count() == 1


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path, db):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a spreadsheet")
    with pytest.raises(CommandError, match="không phải bảng tính Excel"):
        call_command("metrics_definition_import", str(junk), stdout=StringIO())
