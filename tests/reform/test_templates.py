"""The criteria tree as data: checks, XLSX round trip, the demo's illustrative template."""

import io
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from motcua.org.models import UnitKind
from motcua.reform.models import Criterion, Method, Template
from motcua.reform.templates_data import (
    ILLUSTRATIVE,
    Row,
    TemplateError,
    export_workbook,
    illustrative_seed,
    template_create,
    template_import,
)
from tests.reform.stories import small_rows, small_template


def create(rows, year=2026):
    return template_create(
        actor="test", year=year, kind=UnitKind.COMMUNE_POLICE, name="Thử", rows=rows
    )


def test_it_writes_the_tree_with_depth_and_order(org):
    t = small_template()
    assert t.criteria.count() == 11
    leaf = t.criteria.get(code="1.2")
    assert (leaf.parent.code, leaf.depth, leaf.method) == ("1", 1, Method.GRADED)


def test_a_loop_is_refused_and_nothing_is_written(db):
    rows = small_rows() + [
        Row("9", "9.2", "A", D(1), Method.FULL_OR_ZERO),
        Row("9.2", "9", "B", D(1), Method.FULL_OR_ZERO),
    ]
    with pytest.raises(TemplateError) as caught:
        create(rows)
    assert any("vòng lặp" in e for e in caught.value.errors)
    assert not Template.objects.exists() and not Criterion.objects.exists()


def test_missing_max_unknown_method_and_bad_sums_are_named(db):
    rows = small_rows()
    rows[1] = Row("1.1", "1", "Kế hoạch", None, Method.FULL_OR_ZERO)
    rows[5] = Row("2.1", "2", "Rà soát", D(8), "tuy_y")
    with pytest.raises(TemplateError) as caught:
        create(rows)
    text = " ".join(caught.value.errors)
    assert "Tiêu chí 1.1: thiếu điểm tối đa." in text
    assert "cách chấm 'tuy_y' không hợp lệ" in text
    assert not Template.objects.exists()


def test_children_must_add_up_to_their_parent(db):
    rows = small_rows()
    rows[5] = Row("2.1", "2", "Rà soát", D(8), Method.GRADED, "100,50,0")
    with pytest.raises(TemplateError) as caught:
        create(rows)
    assert caught.value.errors == [
        "Tiêu chí 2: tổng điểm tối đa các tiêu chí con là 8, khác điểm tối đa 10."
    ]


def test_xlsx_round_trip_keeps_every_criterion(org):
    t = small_template()
    content = export_workbook(t)
    t.delete()
    again = template_import(actor="test", content=content)
    assert (again.year, again.kind) == (2026, UnitKind.COMMUNE_POLICE)
    got = list(again.criteria.values_list("code", "parent__code", "max_points", "method"))
    assert got[:3] == [
        ("1", None, D(10), ""),
        ("1.1", "1", D(4), "full_or_zero"),
        ("1.2", "1", D(6), "graded"),
    ]
    assert len(got) == 11
    assert again.criteria.get(code="3.2").points_per_event == D(3)
    assert again.criteria.get(code="2.1").na_allowed


def test_a_bad_row_in_the_file_names_its_row_and_column_and_writes_nothing(org):
    t = small_template()
    book = load_workbook(io.BytesIO(export_workbook(t)))
    t.delete()
    sheet = book["Tiêu chí"]
    sheet.cell(row=3, column=4).value = "bốn"  # 1.1's maximum
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(TemplateError) as caught:
        template_import(actor="test", content=out.getvalue())
    assert "Trang 'Tiêu chí', dòng 3, cột 'Điểm tối đa': 'bốn' không phải là số." in (
        caught.value.errors
    )
    assert not Template.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused(db):
    with pytest.raises(TemplateError, match="không phải bảng tính"):
        template_import(actor="test", content=b"%PDF-1.4 not a workbook")


def test_the_demo_template_is_illustrative_and_sums_to_100(db):
    made = illustrative_seed(2026)
    illustrative_seed(2026)  # idempotent
    assert Template.objects.count() == 3
    for t in made:
        assert t.illustrative and t.name.startswith(ILLUSTRATIVE)
        fields = t.criteria.filter(parent__isnull=True)
        assert fields.count() == 8
        assert sum(f.max_points for f in fields) == 100
