"""Scorecard templates as data: checking a tree, writing it, its XLSX round trip, and the
illustrative template the demo ships ("Mẫu minh họa": the real points change by year and are
imported from the ministry's spreadsheet).

Decision: children's maxima (bonus rows left out) must add up to their parent's maximum; a
mismatch is an error, not a warning, because it makes the unit's maximum ambiguous."""

import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from motcua.audit.services import audit_record
from motcua.catalog.text import fold
from motcua.documents.spreadsheets import put
from motcua.metrics.formulas import FORMULAS
from motcua.org.models import UnitKind
from motcua.reform.models import Criterion, Method, Template

ILLUSTRATIVE = "Mẫu minh họa"
SURVEY_INDICATOR = "khao_sat"  # the survey rule: satisfied % against the threshold


class TemplateError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class Row:
    code: str
    parent: str
    text: str
    max_points: Decimal | None
    method: str = ""
    levels: str = ""
    points_per_event: Decimal | None = None
    na_allowed: bool = False
    indicator: str = ""
    threshold_pct: int = 100
    where: str = ""  # "dòng 5" for rows read from a file

    def label(self) -> str:
        return f"{self.where}, tiêu chí {self.code}" if self.where else f"Tiêu chí {self.code}"


def parse_levels(text: str) -> list[Decimal]:
    return [Decimal(part.strip()) for part in text.split(",") if part.strip()]


def check_rows(rows: list[Row]) -> list[str]:
    """Every problem of a tree, in Vietnamese; empty when it can be written."""
    errors = []
    by_code: dict[str, Row] = {}
    for row in rows:
        if not row.code:
            errors.append(f"{row.where or 'Một dòng'}: thiếu mã tiêu chí.")
            continue
        if row.code in by_code:
            errors.append(f"{row.label()}: mã bị trùng.")
        by_code[row.code] = row
        if not row.text:
            errors.append(f"{row.label()}: thiếu nội dung.")
        if row.max_points is None:
            errors.append(f"{row.label()}: thiếu điểm tối đa.")
        elif row.max_points < 0:
            errors.append(f"{row.label()}: điểm tối đa không được âm.")
    for row in rows:
        if row.parent and row.parent not in by_code:
            errors.append(f"{row.label()}: không có tiêu chí cha mang mã '{row.parent}'.")
    # Loops: follow each row's parents; a code seen twice is a loop.
    looped = set()
    for row in rows:
        seen, code = [], row.code
        while code in by_code and by_code[code].parent:
            if code in seen:
                key = frozenset(seen[seen.index(code) :])
                if key not in looped:
                    looped.add(key)
                    chain = " → ".join(seen[seen.index(code) :] + [code])
                    errors.append(f"Cây tiêu chí có vòng lặp: {chain}.")
                break
            seen.append(code)
            code = by_code[code].parent
    if looped or any(row.parent and row.parent not in by_code for row in rows):
        return errors
    children: dict[str, list[Row]] = {}
    for row in rows:
        children.setdefault(row.parent, []).append(row)
    if not children.get(""):
        errors.append("Bộ tiêu chí chưa có lĩnh vực nào.")
    for row in rows:
        kids = children.get(row.code, [])
        if kids:
            if row.method:
                errors.append(
                    f"{row.label()}: tiêu chí có tiêu chí con thì không ghi cách chấm "
                    "(điểm là tổng điểm các tiêu chí con)."
                )
            if row.max_points is None or any(k.max_points is None for k in kids):
                continue
            total = sum((k.max_points for k in kids if k.method != Method.BONUS), Decimal(0))
            if total != row.max_points:
                errors.append(
                    f"{row.label()}: tổng điểm tối đa các tiêu chí con là {total}, "
                    f"khác điểm tối đa {row.max_points}."
                )
            continue
        if row.method not in Method.values:
            shown = row.method or "(trống)"
            errors.append(
                f"{row.label()}: cách chấm '{shown}' không hợp lệ; dùng một trong: "
                + ", ".join(Method.values)
                + "."
            )
            continue
        if row.method == Method.GRADED:
            try:
                levels = parse_levels(row.levels)
            except InvalidOperation:
                levels = []
            if not levels or any(not 0 <= lv <= 100 for lv in levels):
                errors.append(
                    f"{row.label()}: chấm theo mức cần các mức từ 0 đến 100%, ví dụ 100,75,50,0."
                )
        if row.method == Method.DEDUCTION and not (row.points_per_event or 0) > 0:
            errors.append(f"{row.label()}: trừ điểm cần số điểm trừ mỗi lần lớn hơn 0.")
        if row.method == Method.AUTOMATIC and row.indicator not in FORMULAS:
            errors.append(
                f"{row.label()}: không có chỉ tiêu tự động nào mang mã '{row.indicator}'."
            )
        if row.method in (Method.AUTOMATIC, Method.SURVEY) and not 1 <= row.threshold_pct <= 100:
            errors.append(f"{row.label()}: ngưỡng phải từ 1 đến 100%.")
    return errors


def _ordered(rows: list[Row]) -> list[tuple[Row, int]]:
    """Depth-first, in file order: a field, its criteria, their sub-criteria..."""
    children: dict[str, list[Row]] = {}
    for row in rows:
        children.setdefault(row.parent, []).append(row)
    out = []

    def walk(code, depth):
        for row in children.get(code, []):
            out.append((row, depth))
            walk(row.code, depth + 1)

    walk("", 0)
    return out


def template_create(
    *, actor, year: int, kind: str, name: str, rows: list[Row], illustrative: bool = False
) -> Template:
    """Write a template for (year, kind), replacing one nobody has used yet. Nothing is written
    when the tree has an error."""
    errors = check_rows(rows)
    if kind not in UnitKind.values:
        errors.append(f"Loại đơn vị '{kind}' không hợp lệ.")
    if not 2000 <= int(year) <= 2100:
        errors.append(f"Năm {year} không hợp lệ.")
    if not name.strip():
        errors.append("Thiếu tên bộ tiêu chí.")
    if errors:
        raise TemplateError(errors)
    from motcua.reform.models import Participation

    with transaction.atomic():
        old = Template.objects.filter(year=year, kind=kind).first()
        if old is not None:
            if Participation.objects.filter(template=old).exists():
                raise TemplateError(
                    [
                        f"Bộ tiêu chí năm {year} cho loại đơn vị này đã được dùng để đánh giá; "
                        "không thể thay thế."
                    ]
                )
            old.delete()
        template = Template.objects.create(
            year=year, kind=kind, name=name.strip(), illustrative=illustrative
        )
        made: dict[str, Criterion] = {}
        for position, (row, depth) in enumerate(_ordered(rows)):
            made[row.code] = Criterion.objects.create(
                template=template,
                parent=made.get(row.parent),
                code=row.code,
                text=row.text,
                max_points=row.max_points,
                method=row.method,
                levels=row.levels,
                points_per_event=row.points_per_event,
                na_allowed=row.na_allowed,
                indicator=row.indicator,
                threshold_pct=row.threshold_pct,
                position=position,
                depth=depth,
            )
        audit_record(
            actor=actor,
            action="reform.template.create",
            obj=template,
            changes={"year": year, "kind": kind, "criteria": len(rows)},
        )
    return template


# ---------------------------------------------------------------- XLSX

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INFO_SHEET, CRITERIA_SHEET = "Bộ tiêu chí", "Tiêu chí"
COLUMNS = [
    ("code", "Mã"),
    ("parent", "Mã tiêu chí cha"),
    ("text", "Nội dung"),
    ("max_points", "Điểm tối đa"),
    ("method", "Cách chấm"),
    ("levels", "Các mức (%)"),
    ("points_per_event", "Điểm trừ mỗi lần"),
    ("na_allowed", "Được không áp dụng (Có/Không)"),
    ("indicator", "Mã chỉ tiêu tự động"),
    ("threshold_pct", "Ngưỡng (%)"),
]


def export_workbook(template: Template) -> bytes:
    book = Workbook()
    info = book.active
    info.title = INFO_SHEET
    rows = [
        ("Tên bộ tiêu chí", template.name),
        ("Năm", template.year),
        ("Loại đơn vị", template.kind),
        ("Ghi chú", ILLUSTRATIVE if template.illustrative else ""),
    ]
    for r, (label, value) in enumerate(rows, start=1):
        put(info, r, 1, label).font = Font(bold=True)
        put(info, r, 2, value)
    sheet = book.create_sheet(CRITERIA_SHEET)
    for col, (_key, header) in enumerate(COLUMNS, start=1):
        put(sheet, 1, col, header).font = Font(bold=True)
    criteria = template.criteria.select_related("parent").order_by("position")
    for r, c in enumerate(criteria, start=2):
        values = [
            c.code,
            c.parent.code if c.parent_id else "",
            c.text,
            float(c.max_points),
            c.method,
            c.levels,
            float(c.points_per_event) if c.points_per_event is not None else "",
            "Có" if c.na_allowed else "Không",
            c.indicator,
            c.threshold_pct,
        ]
        for col, value in enumerate(values, start=1):
            put(sheet, r, col, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _decimal(text: str, where: str, header: str, errors: list) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        errors.append(f"{where}, cột '{header}': '{text}' không phải là số.")
        return None
    if not value.is_finite() or value < 0 or value > 10000:
        errors.append(f"{where}, cột '{header}': phải là số từ 0 đến 10000.")
        return None
    return value.quantize(Decimal("0.01"))


def read_workbook(content: bytes) -> tuple[dict, list[Row]]:
    """(info, rows) of an uploaded workbook, or TemplateError naming every bad row and column."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise TemplateError(["Tệp không phải bảng tính Excel (.xlsx) đọc được."])
    if CRITERIA_SHEET not in book.sheetnames:
        raise TemplateError([f"Thiếu trang '{CRITERIA_SHEET}'."])
    info = {}
    if INFO_SHEET in book.sheetnames:
        for r in book[INFO_SHEET].iter_rows(values_only=True, max_col=2):
            if r and r[0] is not None:
                info[fold(_text(r[0]))] = _text(r[1] if len(r) > 1 else None)
    errors: list[str] = []
    sheet = book[CRITERIA_SHEET]
    header_row = next(sheet.iter_rows(values_only=True), ())
    headers = {fold(_text(v)): i for i, v in enumerate(header_row)}
    cols = {}
    for key, header in COLUMNS:
        if fold(header) not in headers:
            errors.append(f"Trang '{CRITERIA_SHEET}': thiếu cột '{header}'.")
        else:
            cols[key] = headers[fold(header)]
    if errors:
        raise TemplateError(errors)
    head = dict(COLUMNS)
    rows = []
    for row_no, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        v = {k: _text(row[i]) if i < len(row) else "" for k, i in cols.items()}
        if not any(v.values()):
            continue
        where = f"Trang '{CRITERIA_SHEET}', dòng {row_no}"
        na = fold(v["na_allowed"])
        if na not in ("", "co", "khong"):
            errors.append(f"{where}, cột '{head['na_allowed']}': ghi 'Có' hoặc 'Không'.")
        threshold = 100
        if v["threshold_pct"]:
            if v["threshold_pct"].isdigit():
                threshold = int(v["threshold_pct"])
            else:
                errors.append(f"{where}, cột '{head['threshold_pct']}': phải là số nguyên.")
        rows.append(
            Row(
                code=v["code"],
                parent=v["parent"],
                text=v["text"],
                max_points=_decimal(v["max_points"], where, head["max_points"], errors),
                method=v["method"],
                levels=v["levels"],
                points_per_event=_decimal(
                    v["points_per_event"], where, head["points_per_event"], errors
                ),
                na_allowed=na == "co",
                indicator=v["indicator"],
                threshold_pct=threshold,
                where=where,
            )
        )
    errors += check_rows(rows)
    if errors:
        raise TemplateError(errors)
    return info, rows


def template_import(
    *, actor, content: bytes, year: int | None = None, kind: str | None = None
) -> Template:
    info, rows = read_workbook(content)
    year_text = str(year or info.get(fold("Năm"), ""))
    if not year_text.isdigit():
        raise TemplateError([f"Trang '{INFO_SHEET}': năm '{year_text}' không hợp lệ."])
    return template_create(
        actor=actor,
        year=int(year_text),
        kind=kind or info.get(fold("Loại đơn vị"), ""),
        name=info.get(fold("Tên bộ tiêu chí"), ""),
        rows=rows,
        illustrative=fold(ILLUSTRATIVE) in fold(info.get(fold("Ghi chú"), "")),
    )


# ---------------------------------------------------------------- the illustrative template

D = Decimal


def illustrative_rows() -> list[Row]:
    """Eight fields of section 7, 100 points, with every scoring method used once at least.
    The points are illustrative, not the ministry's."""
    g, f, dd, b, a, s = (
        Method.GRADED,
        Method.FULL_OR_ZERO,
        Method.DEDUCTION,
        Method.BONUS,
        Method.AUTOMATIC,
        Method.SURVEY,
    )
    L = "100,75,50,0"
    return [
        Row("1", "", "Công tác chỉ đạo, điều hành cải cách hành chính", D(10)),
        Row("1.1", "1", "Ban hành kế hoạch cải cách hành chính năm đúng hạn", D(4), f),
        Row("1.2", "1", "Mức độ hoàn thành kế hoạch cải cách hành chính", D(4), g, L),
        Row("1.3", "1", "Tuyên truyền cải cách hành chính", D(2), g, L),
        Row("1.4", "1", "Sáng kiến, mô hình cải cách hành chính được công nhận", D(1), b),
        Row("2", "", "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật", D(10)),
        Row("2.1", "2", "Rà soát, hệ thống hóa văn bản", D(5), g, L, na_allowed=True),
        Row("2.2", "2", "Kiểm tra, xử lý văn bản sau rà soát", D(5), g, L, na_allowed=True),
        Row("3", "", "Cải cách thủ tục hành chính", D(20)),
        Row("3.1", "3", "Công khai thủ tục hành chính đầy đủ, đúng hạn", D(5), f),
        Row("3.2", "3", "Giải quyết hồ sơ đúng hạn", D(10), a, indicator="dung_han"),
        Row("3.3", "3", "Hồ sơ bị trả lại, xin lỗi công dân", D(5), dd, points_per_event=D(1)),
        Row("4", "", "Cải cách tổ chức bộ máy", D(10)),
        Row("4.1", "4", "Thực hiện quy định về tổ chức bộ máy", D(5), g, L),
        Row(
            "4.2",
            "4",
            "Kiểm tra, giám sát hoạt động của đơn vị cấp dưới",
            D(5),
            g,
            L,
            na_allowed=True,
        ),
        Row("5", "", "Xây dựng đội ngũ cán bộ", D(10)),
        Row("5.1", "5", "Bố trí cán bộ đúng vị trí việc làm", D(5), f),
        Row(
            "5.2",
            "5",
            "Kỷ luật, kỷ cương hành chính (trừ điểm mỗi vi phạm)",
            D(5),
            dd,
            points_per_event=D("0.5"),
        ),
        Row("6", "", "Cải cách tài chính công", D(10)),
        Row("6.1", "6", "Thực hiện cơ chế tự chủ tài chính", D(5), g, L, na_allowed=True),
        Row("6.2", "6", "Quản lý, sử dụng tài sản công", D(5), f),
        Row("7", "", "Chính phủ điện tử, chuyển đổi số", D(15)),
        Row(
            "7.1", "7", "Hồ sơ nộp trực tuyến", D(8), a, indicator="hs_truc_tuyen", threshold_pct=50
        ),
        Row("7.2", "7", "Cấp kết quả giải quyết điện tử", D(7), a, indicator="ket_qua_dien_tu"),
        Row("8", "", "Tác động của cải cách hành chính đến người dân", D(15)),
        Row(
            "8.1",
            "8",
            "Mức độ hài lòng của người dân (khảo sát trên VNeID)",
            D(8),
            s,
            indicator=SURVEY_INDICATOR,
            threshold_pct=90,
        ),
        # motcua's own ratings (Circular 01/2018), read from the live service index.
        Row(
            "8.2",
            "8",
            "Mức độ hài lòng qua đánh giá của người dân trên motcua",
            D(4),
            a,
            indicator="hai_long_tthc",
            threshold_pct=90,
        ),
        Row("8.3", "8", "Xử lý phản ánh, kiến nghị", D(3), g, L),
    ]


def illustrative_seed(year: int) -> list[Template]:
    """The demo's template for each kind of unit that is scored (idempotent)."""
    made = []
    for kind in (UnitKind.PROVINCIAL_POLICE, UnitKind.DEPARTMENT, UnitKind.COMMUNE_POLICE):
        template = Template.objects.filter(year=year, kind=kind).first()
        if template is None:
            label = UnitKind(kind).label
            template = template_create(
                actor="seed-demo",
                year=year,
                kind=kind,
                name=f"{ILLUSTRATIVE}: Bộ tiêu chí chỉ số CCHC năm {year} — {label}",
                rows=illustrative_rows(),
                illustrative=True,
            )
        made.append(template)
    return made
