"""The ranked table and a unit's scorecard as Excel workbooks (what the pages show)."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from motcua.documents.spreadsheets import put
from motcua.metrics.scores import r2

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATES = {"no_data": "chưa có dữ liệu", "no_dossiers": "không phát sinh", "shown": "chỉ hiển thị"}


def _num(value):
    shown = r2(value)
    return float(shown) if shown is not None else None


def _header(sheet, row: int, headers: list[str]) -> None:
    for col, text in enumerate(headers, start=1):
        put(sheet, row, col, text).font = Font(bold=True)


def _title(sheet, report, title: str) -> None:
    put(sheet, 1, 1, title).font = Font(bold=True, size=13)
    put(
        sheet,
        2,
        1,
        f"Từ {report.start:%d/%m/%Y} đến {report.end:%d/%m/%Y}; số liệu đến "
        f"{report.as_of:%d/%m/%Y}; bộ chỉ số phiên bản {report.definition.version}",
    )


def ranking_workbook(report, results) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Xếp hạng"
    _title(sheet, report, "Bảng xếp hạng chỉ số phục vụ")
    groups = [g.name for g in results[0].groups] if results else []
    _header(
        sheet, 4, ["Hạng", "Trên", "Mã đơn vị", "Đơn vị", "Điểm (thang 100)", "Xếp loại", *groups]
    )
    for row, r in enumerate(results, start=5):
        values = [
            r.rank_kind.rank,
            r.rank_kind.of,
            r.unit.code,
            r.unit.name,
            _num(r.score),
            r.band,
            *(_num(g.points) for g in r.groups),
        ]
        for col, value in enumerate(values, start=1):
            put(sheet, row, col, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def scorecard_workbook(report, result) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Chỉ số"
    _title(sheet, report, f"Chỉ số phục vụ: {result.unit.name}")
    put(sheet, 3, 1, "Tổng điểm (thang 100)")
    put(sheet, 3, 2, _num(result.score))
    put(sheet, 3, 3, result.band)
    _header(
        sheet,
        5,
        [
            "Nhóm",
            "Mã chỉ tiêu",
            "Chỉ tiêu",
            "Tử số",
            "Mẫu số",
            "Tỷ lệ (%)",
            "Ngưỡng (%)",
            "Điểm",
            "Điểm tối đa",
            "Ghi chú",
        ],
    )
    row = 6
    for g in result.groups:
        for i in g.indicators:
            values = [
                g.name,
                i.code,
                i.name,
                i.numerator,
                i.denominator,
                _num(i.rate * 100) if i.rate is not None else None,
                i.threshold_pct,
                _num(i.points),
                i.max_points,
                STATES.get(i.state, ""),
            ]
            for col, value in enumerate(values, start=1):
                put(sheet, row, col, value)
            row += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
