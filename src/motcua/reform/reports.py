"""The results report in its usual shape: a summary by field, then every criterion with the
self-score, the appraised score and the reason. XLSX (streamed rows, write-only) and PDF."""

import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from motcua.documents.pdf import render_pdf
from motcua.reform.models import Assessment, Result
from motcua.reform.scoring import show


def _cell(sheet, value, bold=False):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # Text stays text: "=..." typed by a unit is never a formula (documents.spreadsheets).
        cell.data_type = "s"
        cell.number_format = "@"
    if bold:
        cell.font = Font(bold=True)
    return cell


def _row(sheet, values, bold=False):
    """One row; plain values go straight in (openpyxl stores text as text unless it starts
    with "=", so only those, and headings, need a cell object: 50,000 rows stay fast)."""
    sheet.append(
        [
            _cell(sheet, v, bold) if bold or (isinstance(v, str) and v.startswith("=")) else v
            for v in values
        ]
    )


def _num(value):
    return float(value) if value is not None else None


def results_workbook(cycle, results) -> bytes:
    """`results`: the Result rows the reader may see, already scoped."""
    results = list(results.select_related("unit").order_by("kind", "rank", "unit__path"))
    book = Workbook(write_only=True)
    summary = book.create_sheet("Tổng hợp")
    field_names = []
    for r in results:
        for f in r.fields:
            if (f["code"], f["text"]) not in field_names:
                field_names.append((f["code"], f["text"]))
    _row(
        summary,
        [f"Kết quả chỉ số cải cách hành chính năm {cycle.year} (lần {cycle.revision})"],
        bold=True,
    )
    _row(
        summary,
        ["Đơn vị", "Loại đơn vị", "Điểm", "Điểm tối đa áp dụng", "Chỉ số (%)", "Xếp loại", "Hạng"]
        + [f"{code}. {text} (%)" for code, text in field_names]
        + [f"{code}: so với năm trước" for code, _t in field_names],
        bold=True,
    )
    for r in results:
        by_code = {f["code"]: f for f in r.fields}
        _row(
            summary,
            [
                r.unit.name,
                r.unit.get_kind_display(),
                _num(r.points),
                _num(r.applicable_max),
                _num(r.index),
                r.band,
                f"{r.rank}/{r.rank_of}" if r.rank else "",
            ]
            + [_num(by_code.get(c, {}).get("pct")) for c, _t in field_names]
            + [_num(by_code.get(c, {}).get("change")) for c, _t in field_names],
        )
    detail = book.create_sheet("Chi tiết tiêu chí")
    _row(
        detail,
        [
            "Đơn vị",
            "Mã",
            "Tiêu chí",
            "Điểm tối đa",
            "Không áp dụng",
            "Tự chấm",
            "Thẩm định",
            "Lý do",
            "Văn bản kiểm chứng",
        ],
        bold=True,
    )
    rows = (
        Assessment.objects.filter(
            participation__cycle=cycle, participation__unit__in=[r.unit_id for r in results]
        )
        .order_by("participation__unit__path", "criterion__position")
        .values_list(
            "participation__unit__name",
            "criterion__code",
            "criterion__text",
            "criterion__max_points",
            "not_applicable",
            "self_points",
            "appraised_points",
            "appraisal_reason",
            "citation",
        )
    )
    for name, code, text, mx, na, own, appraised, reason, citation in rows.iterator(5000):
        _row(
            detail,
            [
                name,
                code,
                text,
                _num(mx),
                "x" if na else "",
                _num(own),
                _num(appraised),
                reason,
                citation,
            ],
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# A province's 500 units × 100 criteria would be ~1,500 pages: the PDF carries each criterion
# only for a reader who sees a few units (a unit, a commune cluster); the XLSX always does.
PDF_DETAIL_UNITS = 30


def results_pdf(cycle, results) -> bytes:
    results = list(results.select_related("unit").order_by("kind", "rank", "unit__path"))
    details = []
    if len(results) <= PDF_DETAIL_UNITS:
        rows = (
            Assessment.objects.filter(
                participation__cycle=cycle, participation__unit__in=[r.unit_id for r in results]
            )
            .select_related("criterion", "participation__unit")
            .order_by("participation__unit__path", "criterion__position")
        )
        for a in rows:
            if not details or details[-1]["unit"] != a.participation.unit:
                details.append({"unit": a.participation.unit, "rows": []})
            details[-1]["rows"].append(a)
    return render_pdf(
        "reform/results_pdf.html",
        {
            "cycle": cycle,
            "results": results,
            "show": show,
            "details": details,
            "detail_in_xlsx": len(results) > PDF_DETAIL_UNITS,
        },
    )


def results_rows(results):
    return list(Result.objects.filter(pk__in=results.values("pk")))
