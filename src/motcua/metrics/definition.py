"""The index definition as data: version 1 as seeded, creating a new version, finding the one
in force, and its XLSX round trip (for a system administrator).

Version 1 follows domain spec section 6 (five groups, 100 points). Where the table gives no
points or no threshold, the value chosen is marked [decision] in the indicator's note.
"""

import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from motcua.audit.services import audit_record
from motcua.catalog.text import fold
from motcua.documents.spreadsheets import put
from motcua.metrics.formulas import FORMULAS
from motcua.metrics.models import Band, IndexDefinition, Indicator, IndicatorGroup

TOTAL_POINTS = 100
V1_EFFECTIVE = date(2022, 1, 1)
V1_NAME = "Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ (Quyết định 766/QĐ-TTg)"
D = "[decision] "  # marks a value the spec table does not give

# Version 1 as migration 0002 seeds it: frozen. A change is a new version (an XLSX import, or a
# migration of its own), never an edit here.
# group code, group name, [(code, name, max points, threshold %, enabled, note)]
V1_GROUPS = [
    (
        "minh_bach",
        "Công khai, minh bạch",
        [
            (
                "cong_khai_dung_han",
                "Công bố, công khai thủ tục hành chính đúng hạn",
                6,
                100,
                True,
                D + "ngưỡng 100%.",
            ),
            (
                "csdl_quoc_gia",
                "Công khai trên Cơ sở dữ liệu quốc gia về TTHC đúng hạn",
                4,
                100,
                True,
                D + "ngưỡng 100%.",
            ),
            (
                "cong_khai_day_du",
                "Công khai đầy đủ các thành phần thủ tục",
                2,
                100,
                True,
                D + "ngưỡng 100%.",
            ),
            (
                "dong_bo_dvcqg",
                "Đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia",
                6,
                100,
                True,
                D + "ngưỡng 100%.",
            ),
        ],
    ),
    (
        "tien_do",
        "Tiến độ giải quyết",
        [
            (
                "dung_han",
                "Hồ sơ giải quyết trước hạn, đúng hạn",
                20,
                100,
                True,
                D + "ngưỡng 100%: bảng không nêu ngưỡng.",
            ),
            (
                "thoi_gian_xu_ly",
                "Thời gian giải quyết trung bình (chỉ hiển thị)",
                0,
                100,
                False,
                "Chỉ hiển thị, không tính điểm; chưa tính.",
            ),
        ],
    ),
    (
        "truc_tuyen",
        "Dịch vụ trực tuyến và thanh toán trực tuyến",
        [
            (
                "tthc_truc_tuyen",
                "Thủ tục cung cấp dịch vụ công trực tuyến toàn trình, một phần",
                6,
                80,
                True,
                D + "6 điểm (nhóm trực tuyến 12 điểm chia đều).",
            ),
            (
                "hs_truc_tuyen",
                "Hồ sơ nộp trực tuyến trên tổng số hồ sơ",
                6,
                50,
                True,
                D + "6 điểm (nhóm trực tuyến 12 điểm chia đều).",
            ),
            (
                "tthc_tt_truc_tuyen",
                "Thủ tục có thu phí được thanh toán trực tuyến",
                4,
                80,
                True,
                D + "4 điểm trong 10 điểm thanh toán.",
            ),
            (
                "tthc_co_giao_dich_tt",
                "Thủ tục có phát sinh thanh toán trực tuyến",
                2,
                100,
                True,
                D + "2 điểm, ngưỡng 100%.",
            ),
            (
                "hs_tt_truc_tuyen",
                "Hồ sơ nộp phí, lệ phí trực tuyến",
                4,
                50,
                True,
                D + "4 điểm, ngưỡng 50%.",
            ),
        ],
    ),
    (
        "so_hoa",
        "Số hóa hồ sơ",
        [
            ("ket_qua_dien_tu", "Cấp kết quả giải quyết điện tử", 6, 100, True, D + "ngưỡng 100%."),
            ("so_hoa_ket_qua", "Hồ sơ được số hóa và có kết quả điện tử", 4, 80, True, ""),
            ("ban_sao_dien_tu", "Chứng thực bản sao điện tử", 2, 100, True, D + "ngưỡng 100%."),
            ("tai_su_dung", "Tái sử dụng dữ liệu đã số hóa", 2, 80, True, ""),
            (
                "kho_du_lieu",
                "Kết nối kho quản lý dữ liệu điện tử của công dân",
                4,
                100,
                True,
                D + "ngưỡng 100%.",
            ),
            (
                "csdl_dan_cu_tthc",
                "Thủ tục khai thác Cơ sở dữ liệu quốc gia về dân cư",
                2,
                100,
                True,
                D + "ngưỡng 100%.",
            ),
            (
                "csdl_dan_cu_hs",
                "Hồ sơ khai thác Cơ sở dữ liệu quốc gia về dân cư",
                2,
                100,
                True,
                D + "ngưỡng 100%.",
            ),
        ],
    ),
    (
        "hai_long",
        "Mức độ hài lòng",
        [
            (
                "pakn_dung_han",
                "Xử lý phản ánh, kiến nghị đúng hạn",
                6,
                100,
                True,
                D + "ngưỡng 100%.",
            ),
            (
                "hai_long_pakn",
                "Mức độ hài lòng về xử lý phản ánh, kiến nghị",
                6,
                100,
                True,
                D + "ngưỡng 100%.",
            ),
            ("hai_long_tthc", "Mức độ hài lòng về giải quyết thủ tục hành chính", 6, 90, True, ""),
        ],
    ),
]
# The spec: 90–100 excellent, below 50 weak; middle bands [unverified] Khá 70–<90,
# Trung bình 50–<70. Its "Tốt ≥90" coincides with excellent, so one band [decision].
V1_BANDS = [
    ("xuat_sac", "Xuất sắc", 90),
    ("kha", "Khá", 70),
    ("trung_binh", "Trung bình", 50),
    ("yeu", "Yếu", 0),
]


class DefinitionError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class Draft:
    """A definition as plain data, checked before anything is written."""

    name: str
    effective_from: date
    note: str = ""
    groups: list = field(default_factory=list)  # [(code, name, [indicator tuples])]
    bands: list = field(default_factory=list)  # [(code, name, min_score)]


def v1_draft() -> Draft:
    return Draft(V1_NAME, V1_EFFECTIVE, "Phiên bản 1 theo mục 6 đặc tả.", V1_GROUPS, V1_BANDS)


def check_draft(draft: Draft) -> list[str]:
    errors = []
    seen = set()
    total = 0
    for _code, _name, indicators in draft.groups:
        for code, _iname, max_points, threshold, _enabled, _note in indicators:
            if code in seen:
                errors.append(f"Mã chỉ tiêu {code} bị trùng.")
            seen.add(code)
            if code not in FORMULAS:
                errors.append(f"Chỉ tiêu {code}: không có công thức nào mang mã này.")
            total += max_points
            if not 1 <= threshold <= 100:
                errors.append(f"Chỉ tiêu {code}: ngưỡng phải từ 1 đến 100%.")
    if total != TOTAL_POINTS:
        errors.append(f"Tổng điểm tối đa các chỉ tiêu là {total}, phải bằng {TOTAL_POINTS}.")
    floors = [b[2] for b in draft.bands]
    if not draft.bands or 0 not in floors:
        errors.append("Phải có một mức xếp loại bắt đầu từ 0 điểm.")
    if len(set(floors)) != len(floors):
        errors.append("Hai mức xếp loại không được có cùng điểm bắt đầu.")
    if any(not 0 <= f <= TOTAL_POINTS for f in floors):
        errors.append("Điểm bắt đầu của mức xếp loại phải từ 0 đến 100.")
    return errors


def definition_create(*, actor, draft: Draft) -> IndexDefinition:
    """Write `draft` as the next version. Nothing is written when it has an error."""
    errors = check_draft(draft)
    if errors:
        raise DefinitionError(errors)
    with transaction.atomic():
        last = IndexDefinition.objects.select_for_update().order_by("-version").first()
        definition = IndexDefinition.objects.create(
            version=(last.version + 1) if last else 1,
            name=draft.name,
            effective_from=draft.effective_from,
            note=draft.note,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        _write(definition, draft, Band, IndicatorGroup, Indicator)
        audit_record(
            actor=actor,
            action="metrics.definition.create",
            obj=definition,
            changes={"version": definition.version, "effective_from": str(draft.effective_from)},
        )
    return definition


def definition_v1_ensure(*, actor="seed-demo") -> IndexDefinition:
    """Version 1 as migration 0002 seeds it, for a database that lost it (a flushed test
    database, a restore of the other tables only): without a definition nothing is scored."""
    return IndexDefinition.objects.filter(version=1).first() or definition_create(
        actor=actor, draft=v1_draft()
    )


def _write(definition, draft, band_model, group_model, indicator_model) -> None:
    """Shared with the data migration that seeds version 1 (historical models)."""
    for position, (code, name, indicators) in enumerate(draft.groups):
        group = group_model.objects.create(
            definition=definition, code=code, name=name, position=position
        )
        indicator_model.objects.bulk_create(
            indicator_model(
                group=group,
                code=icode,
                name=iname,
                max_points=max_points,
                threshold_pct=threshold,
                formula=icode,
                enabled=enabled,
                note=note,
                position=i,
            )
            for i, (icode, iname, max_points, threshold, enabled, note) in enumerate(indicators)
        )
    band_model.objects.bulk_create(
        band_model(definition=definition, code=code, name=name, min_score=floor)
        for code, name, floor in draft.bands
    )


def definition_for(day: date) -> IndexDefinition | None:
    """The version in force on `day` (the latest effective on or before it)."""
    return (
        IndexDefinition.objects.filter(effective_from__lte=day)
        .order_by("-effective_from", "-version")
        .first()
    )


# ---------------------------------------------------------------- XLSX

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INFO_SHEET, INDICATOR_SHEET, BAND_SHEET = "Bộ chỉ số", "Chỉ tiêu", "Xếp loại"
INDICATOR_COLUMNS = [
    ("group", "Mã nhóm"),
    ("group_name", "Tên nhóm"),
    ("code", "Mã chỉ tiêu"),
    ("name", "Tên chỉ tiêu"),
    ("max_points", "Điểm tối đa"),
    ("threshold", "Ngưỡng (%)"),
    ("enabled", "Tính điểm (Có/Không)"),
    ("note", "Ghi chú"),
]
BAND_COLUMNS = [("code", "Mã xếp loại"), ("name", "Xếp loại"), ("min_score", "Điểm từ")]


def export_workbook(definition: IndexDefinition) -> bytes:
    book = Workbook()
    info = book.active
    info.title = INFO_SHEET
    for row, (label, value) in enumerate(
        [
            ("Tên bộ chỉ số", definition.name),
            ("Áp dụng từ ngày", f"{definition.effective_from:%d/%m/%Y}"),
            ("Ghi chú", definition.note),
            ("Phiên bản", definition.version),
        ],
        start=1,
    ):
        put(info, row, 1, label).font = Font(bold=True)
        put(info, row, 2, value)
    sheet = book.create_sheet(INDICATOR_SHEET)
    for col, (_key, header) in enumerate(INDICATOR_COLUMNS, start=1):
        put(sheet, 1, col, header).font = Font(bold=True)
    row = 2
    for group in definition.groups.prefetch_related("indicators"):
        for ind in group.indicators.all():
            values = [
                group.code,
                group.name,
                ind.code,
                ind.name,
                ind.max_points,
                ind.threshold_pct,
                "Có" if ind.enabled else "Không",
                ind.note,
            ]
            for col, value in enumerate(values, start=1):
                put(sheet, row, col, value)
            row += 1
    bands = book.create_sheet(BAND_SHEET)
    for col, (_key, header) in enumerate(BAND_COLUMNS, start=1):
        put(bands, 1, col, header).font = Font(bold=True)
    for row, band in enumerate(definition.bands.all(), start=2):
        for col, value in enumerate([band.code, band.name, band.min_score], start=1):
            put(bands, row, col, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _header_map(sheet, columns, errors, where) -> dict[str, int]:
    headers = {fold(_cell_text(c.value)): i for i, c in enumerate(next(sheet.iter_rows()), 0)}
    found = {}
    for key, header in columns:
        index = headers.get(fold(header))
        if index is None:
            errors.append(f"Trang {where}: thiếu cột '{header}'.")
        else:
            found[key] = index
    return found


def _int(text: str, row: int, header: str, where: str, errors: list, lo: int, hi: int):
    if not (text.isascii() and text.isdigit()) or not lo <= int(text) <= hi:
        errors.append(
            f"Trang {where}, dòng {row}, cột '{header}': phải là số nguyên từ {lo} "
            f"đến {hi} (đang là '{text}')."
        )
        return None
    return int(text)


def read_workbook(content: bytes, *, effective_from: date | None = None) -> Draft:
    """The draft in an uploaded workbook, or DefinitionError listing every problem by sheet, row
    and column. `effective_from` overrides the file's date."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise DefinitionError(["Tệp không phải bảng tính Excel (.xlsx) đọc được."])
    errors: list[str] = []
    for needed in (INFO_SHEET, INDICATOR_SHEET, BAND_SHEET):
        if needed not in book.sheetnames:
            errors.append(f"Thiếu trang '{needed}'.")
    if errors:
        raise DefinitionError(errors)
    info = {
        fold(_cell_text(r[0])): _cell_text(r[1])
        for r in book[INFO_SHEET].iter_rows(values_only=True, max_col=2)
        if r and r[0] is not None
    }
    name = info.get(fold("Tên bộ chỉ số"), "")
    if not name:
        errors.append(f"Trang {INFO_SHEET}: thiếu tên bộ chỉ số.")
    day = effective_from
    if day is None:
        text = info.get(fold("Áp dụng từ ngày"), "")
        try:
            day = datetime.strptime(text, "%d/%m/%Y").date()
        except ValueError:
            errors.append(f"Trang {INFO_SHEET}: ngày áp dụng '{text}' phải có dạng dd/mm/yyyy.")
    groups: dict[str, tuple[str, list]] = {}
    sheet = book[INDICATOR_SHEET]
    cols = _header_map(sheet, INDICATOR_COLUMNS, errors, INDICATOR_SHEET)
    if len(cols) == len(INDICATOR_COLUMNS):
        for row_no, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
            v = {k: _cell_text(row[i]) if i < len(row) else "" for k, i in cols.items()}
            if not any(v.values()):
                continue
            head = dict(INDICATOR_COLUMNS)
            for key in ("group", "group_name", "code", "name"):
                if not v[key]:
                    errors.append(
                        f"Trang {INDICATOR_SHEET}, dòng {row_no}, cột '{head[key]}': "
                        "không được để trống."
                    )
            pts = _int(
                v["max_points"],
                row_no,
                head["max_points"],
                INDICATOR_SHEET,
                errors,
                0,
                TOTAL_POINTS,
            )
            thr = _int(v["threshold"], row_no, head["threshold"], INDICATOR_SHEET, errors, 1, 100)
            enabled = fold(v["enabled"])
            if enabled not in ("co", "khong"):
                errors.append(
                    f"Trang {INDICATOR_SHEET}, dòng {row_no}, cột '{head['enabled']}': "
                    f"ghi 'Có' hoặc 'Không' (đang là '{v['enabled']}')."
                )
            if v["code"] and v["code"] not in FORMULAS:
                errors.append(
                    f"Trang {INDICATOR_SHEET}, dòng {row_no}, cột '{head['code']}': "
                    f"không có công thức nào mang mã '{v['code']}'."
                )
            group = groups.setdefault(v["group"], (v["group_name"], []))
            group[1].append(
                (v["code"], v["name"], pts or 0, thr or 100, enabled == "co", v["note"])
            )
    bands = []
    sheet = book[BAND_SHEET]
    cols = _header_map(sheet, BAND_COLUMNS, errors, BAND_SHEET)
    if len(cols) == len(BAND_COLUMNS):
        for row_no, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
            v = {k: _cell_text(row[i]) if i < len(row) else "" for k, i in cols.items()}
            if not any(v.values()):
                continue
            if not v["code"] or not v["name"]:
                errors.append(f"Trang {BAND_SHEET}, dòng {row_no}: thiếu mã hoặc tên xếp loại.")
            floor = _int(v["min_score"], row_no, "Điểm từ", BAND_SHEET, errors, 0, TOTAL_POINTS)
            bands.append((v["code"], v["name"], floor if floor is not None else -1))
    if errors:
        raise DefinitionError(errors)
    draft = Draft(
        name,
        day,
        info.get(fold("Ghi chú"), ""),
        [(code, gname, inds) for code, (gname, inds) in groups.items()],
        bands,
    )
    problems = check_draft(draft)
    if problems:
        raise DefinitionError(problems)
    return draft
