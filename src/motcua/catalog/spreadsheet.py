"""The catalogue as an Excel workbook: one row per procedure, round-trip safe.

Export writes each procedure's latest content (its draft when it has one, else its current
version). Import reads every row, validates all of them and reports every problem by row and
column; if there is any, nothing changes. Otherwise, per row:

- content equal to what is there already (the draft, or the current version): nothing;
- otherwise a draft is written, and with `publish` the change is published at once (a row equal
  to the current version is then left alone even if a different draft exists).

List components sit in one cell, one item a line, fields separated by " | ", e.g. a document
"Tờ khai CT01 | 1 | Bắt buộc | ghi chú". Form files cannot travel in a spreadsheet: their column
is for reading only, and import keeps the forms of the version it compares with.
"""

import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from motcua.catalog import services
from motcua.catalog.content import SEPARATOR, ContentError, content_of, normalize_content
from motcua.catalog.models import (
    Audience,
    Channel,
    Domain,
    OnlineLevel,
    Procedure,
    ProcedureVersion,
    TimeUnit,
    VersionStatus,
)
from motcua.catalog.text import fold
from motcua.documents.spreadsheets import put
from motcua.org.models import Unit
from motcua.org.roles import Cap
from motcua.org.scoping import can_act_on

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET = "Thủ tục"
MAX_ROWS = 20000

# (key, header, width). Headers are matched ignoring case and diacritics; order may change.
# Headers and the value labels below are part of the file format, so they are fixed Vietnamese,
# not translated: a file exported with the English interface must import anywhere.
COLUMNS = [
    ("code", "Mã thủ tục", 14),
    ("name", "Tên thủ tục", 40),
    ("domain", "Mã lĩnh vực", 12),
    ("audience", "Phạm vi", 20),
    ("owner_unit", "Đơn vị quản lý (mã)", 12),
    ("agency", "Cơ quan thực hiện", 30),
    ("handling_units", "Đơn vị thực hiện (mã, mỗi mã một dòng)", 16),
    ("applicants", "Đối tượng thực hiện", 30),
    ("steps", "Trình tự thực hiện (mỗi bước một dòng)", 50),
    ("channels", "Cách thức thực hiện (mỗi cách một dòng)", 16),
    ("online_level", "Mức độ dịch vụ công trực tuyến", 16),
    ("sets", "Số bộ hồ sơ", 8),
    ("documents", "Thành phần hồ sơ (mỗi dòng: Tên | số bản | Bắt buộc/Không | ghi chú)", 50),
    ("time_value", "Thời hạn giải quyết", 10),
    ("time_unit", "Đơn vị thời hạn", 14),
    ("time_note", "Ghi chú thời hạn", 24),
    ("fees", "Phí, lệ phí (mỗi dòng: Tên | tại quầy | trực tuyến | miễn, giảm)", 45),
    ("fee_note", "Ghi chú phí, lệ phí", 24),
    ("result", "Kết quả thực hiện", 30),
    ("conditions", "Yêu cầu, điều kiện", 30),
    (
        "legal_basis",
        "Căn cứ pháp lý (mỗi dòng: Số hiệu | Trích yếu | ngày hiệu lực dd/mm/yyyy)",
        45,
    ),
    ("forms", "Mẫu đơn, tờ khai (chỉ để xem)", 24),
    ("effective_from", "Hiệu lực từ ngày", 12),
    ("version", "Phiên bản (chỉ để xem)", 10),
    ("status", "Trạng thái (chỉ để xem)", 18),
]
READ_ONLY = {"forms", "version", "status"}
REQUIRED = ["code", "name", "domain", "handling_units", "steps", "online_level", "time_value"]
HEADERS = {key: header for key, header, _width in COLUMNS}

CHANNEL_SHORT = {
    Channel.DESK: "Trực tiếp",
    Channel.POST: "Bưu chính",
    Channel.ONLINE: "Trực tuyến",
}
YES, NO = "Bắt buộc", "Không bắt buộc"


def _labels(choices) -> dict:
    """value → the Vietnamese label (the msgid), whatever language is active."""
    with translation.override("vi"):
        return {value: str(label) for value, label in choices}


def _reader(choices, extra: dict | None = None) -> dict:
    """folded label or value → value."""
    table = {fold(value): value for value, _label in choices}
    table.update({fold(label): value for value, label in _labels(choices).items()})
    for value, label in (extra or {}).items():
        table[fold(label)] = value
    return table


# Export --------------------------------------------------------------------------------------


def _versions_prefetch():
    return Prefetch(
        "versions",
        queryset=ProcedureVersion.objects.filter(status=VersionStatus.DRAFT)
        .select_related("domain")
        .prefetch_related("handling_units", "forms"),
        to_attr="drafts",
    )


def _with_content(procedures):
    return procedures.select_related("owner_unit", "current_version__domain").prefetch_related(
        _versions_prefetch(),
        "current_version__handling_units",
        "current_version__forms",
    )


def _latest(procedure) -> ProcedureVersion | None:
    drafts = getattr(procedure, "drafts", None)
    if drafts is None:
        return procedure.latest_version()
    return drafts[0] if drafts else procedure.current_version


def _join(items, fields) -> str:
    return "\n".join(f" {SEPARATOR} ".join(fields(item)) for item in items)


def _row(procedure, version, labels) -> dict:
    c = content_of(version)
    current = procedure.current_version
    status = _("Bản nháp chưa công bố") if version.is_draft else _("Đang có hiệu lực")
    return {
        "code": procedure.code,
        "name": c["name"],
        "domain": c["domain"],
        "audience": labels["audience"][c["audience"]],
        "owner_unit": procedure.owner_unit.code,
        "agency": c["agency"],
        "handling_units": "\n".join(c["handling_units"]),
        "applicants": c["applicants"],
        "steps": "\n".join(c["steps"]),
        "channels": "\n".join(CHANNEL_SHORT[Channel(ch)] for ch in c["channels"]),
        "online_level": labels["online"][c["online_level"]],
        "sets": c["sets"],
        "documents": _join(
            c["documents"],
            lambda d: [d["name"], str(d["copies"]), YES if d["mandatory"] else NO, d["note"]],
        ),
        "time_value": c["time_value"],
        "time_unit": labels["time"][c["time_unit"]],
        "time_note": c["time_note"],
        "fees": _join(
            c["fees"],
            lambda f: [
                f["name"],
                str(f["desk"]),
                "" if f["online"] is None else str(f["online"]),
                f["exemption"],
            ],
        ),
        "fee_note": c["fee_note"],
        "result": c["result"],
        "conditions": c["conditions"],
        "legal_basis": _join(
            c["legal_basis"],
            lambda item: [
                item["number"],
                item["title"],
                date.fromisoformat(item["effective"]).strftime("%d/%m/%Y")
                if item["effective"]
                else "",
            ],
        ),
        "forms": "\n".join(f"{f.name} ({f.filename})" for f in version.forms.all()),
        "effective_from": current.effective_from.strftime("%d/%m/%Y")
        if current and current.effective_from
        else "",
        "version": current.number if current else "",
        "status": status,
    }


def export_workbook(procedures) -> bytes:
    """An .xlsx of `procedures` (a queryset), one row each, plus a help sheet."""
    labels = {
        "audience": _labels(Audience.choices),
        "online": _labels(OnlineLevel.choices),
        "time": _labels(TimeUnit.choices),
    }
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="F2E6C9")
    wrap = Alignment(wrap_text=True, vertical="top")
    for index, (_key, header, width) in enumerate(COLUMNS, start=1):
        cell = put(sheet, 1, index, header)
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C2"
    row_index = 1
    for procedure in _with_content(procedures).order_by("code"):
        version = _latest(procedure)
        if version is None:
            continue
        row_index += 1
        values = _row(procedure, version, labels)
        for index, (key, _header, _width) in enumerate(COLUMNS, start=1):
            value = values[key]
            # Text stays text: "=..." must not become a formula, "1.000120" not a number.
            put(sheet, row_index, index, value).alignment = wrap
    _help_sheet(book, labels)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _help_sheet(book, labels) -> None:
    sheet = book.create_sheet("Hướng dẫn")
    lines = [
        "Mỗi dòng của trang “Thủ tục” là một thủ tục. Sửa nội dung rồi nhập lại tệp: dòng không "
        "đổi được bỏ qua, dòng thay đổi tạo bản nháp (hoặc phiên bản mới nếu chọn công bố ngay).",
        "Các cột có nhiều mục: mỗi mục một dòng trong ô (Alt+Enter); các trường của một mục cách "
        "nhau bằng dấu |.",
        "Tiền ghi bằng số nguyên đồng, ví dụ 20000 hoặc 20.000. Ngày ghi dd/mm/yyyy.",
        "Cột “chỉ để xem” không được đọc khi nhập. Mẫu đơn, tờ khai tải lên trong giao diện.",
        "",
        "Phạm vi: " + "; ".join(labels["audience"].values()),
        "Cách thức: " + "; ".join(CHANNEL_SHORT.values()),
        "Mức độ dịch vụ công trực tuyến: " + "; ".join(labels["online"].values()),
        "Đơn vị thời hạn: " + "; ".join(labels["time"].values()),
        "",
        "Lĩnh vực (mã: tên):",
        *[f"{d.code}: {d.name}" for d in Domain.objects.all()],
    ]
    sheet.column_dimensions["A"].width = 110
    for index, line in enumerate(lines, start=1):
        put(sheet, index, 1, line)


# Import --------------------------------------------------------------------------------------


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.row == 0:
            return self.message
        if self.column:
            return _("Dòng %(row)s, cột %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Dòng %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    drafted: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    dry_run: bool = False
    publish: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> int:
        return len(self.created) + len(self.drafted) + len(self.published)

    def summary(self) -> str:
        if self.errors:
            return _("Tệp có %(n)s lỗi; chưa thay đổi gì. Sửa các lỗi rồi nhập lại.") % {
                "n": len(self.errors)
            }
        text = _(
            "%(created)s thủ tục mới, %(drafted)s bản nháp, %(published)s phiên bản công bố, "
            "%(unchanged)s không thay đổi."
        ) % {
            "created": len(self.created),
            "drafted": len(self.drafted),
            "published": len(self.published),
            "unchanged": len(self.unchanged),
        }
        if self.dry_run:
            text = _("Kiểm tra xong, chưa thay đổi gì. Nếu nhập: %(text)s") % {"text": text}
        return text


@dataclass
class _Row:
    number: int
    code: str
    owner: str
    content: dict
    effective: date | None
    cells: "_Cells"
    procedure: Procedure | None = None
    owner_unit: Unit | None = None


class _Cells:
    """Reads a row's cells by column key and records errors against the right column."""

    def __init__(self, values, positions, number, errors):
        self.values, self.positions, self.number, self.errors = values, positions, number, errors

    def column(self, key) -> str:
        index = self.positions.get(key)
        if index is None:
            return HEADERS.get(key, key)
        return f"{get_column_letter(index + 1)} ({HEADERS[key]})"

    def error(self, key, message) -> None:
        self.errors.append(RowError(self.number, self.column(key), message))

    def raw(self, key):
        index = self.positions.get(key)
        if index is None or index >= len(self.values):
            return None
        return self.values[index]

    def text(self, key) -> str:
        value = self.raw(key)
        if value is None:
            return ""
        if isinstance(value, datetime):
            return value.strftime("%d/%m/%Y")
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()

    def lines(self, key) -> list[str]:
        return [line.strip() for line in self.text(key).splitlines() if line.strip()]

    def items(self, key, width) -> list[list[str]]:
        rows = []
        for line in self.lines(key):
            parts = [part.strip() for part in line.split(SEPARATOR)]
            if len(parts) > width:
                self.error(
                    key, _("“%(line)s”: nhiều hơn %(n)s trường.") % {"line": line, "n": width}
                )
            rows.append((parts + [""] * width)[:width])
        return rows

    def choice(self, key, table, label, default=None):
        text = self.text(key)
        if not text:
            return default
        value = table.get(fold(text))
        if value is None:
            self.error(
                key,
                _("“%(text)s” không phải là %(label)s hợp lệ.") % {"text": text, "label": label},
            )
        return value or ""


def _code_text(value) -> str:
    # A code typed into a number cell comes back as 1.00012: restore its six decimals.
    if isinstance(value, float):
        return f"{value:.6f}"
    return services.normalize_code(str(value or ""))


def _parse_date(cells: _Cells, key) -> date | None:
    value = cells.raw(key)
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        day, month, year = text.split("/")
        return date(int(year), int(month), int(day))
    except ValueError:
        cells.error(key, _("Ngày không hợp lệ, nhập theo dạng dd/mm/yyyy."))
        return None


def _parse_row(cells: _Cells, tables: dict) -> _Row | None:
    errors_before = len(cells.errors)
    code = _code_text(cells.raw("code"))
    if not code:
        cells.error("code", _("Chưa nhập mã thủ tục."))
    else:
        try:
            services.code_validator(code)
        except Exception:
            cells.error("code", str(services.code_validator.message))
    mandatory = {fold(YES): True, "co": True, "x": True, fold(NO): False, "khong": False}
    documents = []
    for name, copies, flag, note in cells.items("documents", 4):
        is_mandatory = mandatory.get(fold(flag)) if flag else True
        if is_mandatory is None:
            cells.error(
                "documents",
                _("“%(name)s”: cột bắt buộc ghi “%(yes)s” hoặc “%(no)s”.")
                % {"name": name, "yes": YES, "no": NO},
            )
        documents.append(
            {"name": name, "copies": copies or 1, "mandatory": bool(is_mandatory), "note": note}
        )
    fees = [
        {"name": name, "desk": desk or 0, "online": online, "exemption": exemption}
        for name, desk, online, exemption in cells.items("fees", 4)
    ]
    legal = [
        {"number": number, "title": title, "effective": effective}
        for number, title, effective in cells.items("legal_basis", 3)
    ]
    channels = []
    for line in cells.lines("channels"):
        value = tables["channel"].get(fold(line))
        if value is None:
            cells.error(
                "channels", _("“%(text)s” không phải là cách thức hợp lệ.") % {"text": line}
            )
        else:
            channels.append(value)
    content = {
        "name": cells.text("name"),
        "domain": cells.text("domain"),
        "audience": cells.choice("audience", tables["audience"], _("phạm vi"), Audience.PUBLIC),
        "agency": cells.text("agency"),
        "handling_units": cells.lines("handling_units"),
        "applicants": cells.text("applicants"),
        "steps": cells.lines("steps"),
        "channels": channels,
        "online_level": cells.choice("online_level", tables["online"], _("mức độ trực tuyến")),
        "sets": cells.raw("sets") if cells.raw("sets") not in (None, "") else 1,
        "documents": documents,
        "time_value": cells.raw("time_value"),
        "time_unit": cells.choice("time_unit", tables["time"], _("đơn vị thời hạn")),
        "time_note": cells.text("time_note"),
        "fees": fees,
        "fee_note": cells.text("fee_note"),
        "result": cells.text("result"),
        "conditions": cells.text("conditions"),
        "forms": [],
        "legal_basis": legal,
    }
    effective = _parse_date(cells, "effective_from")
    if len(cells.errors) > errors_before:
        return None
    return _Row(cells.number, code, cells.text("owner_unit").upper(), content, effective, cells)


def _read(upload, report: ImportReport) -> list[_Cells]:
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except Exception:
        report.errors.append(RowError(0, "", _("Không đọc được tệp: cần tệp Excel .xlsx.")))
        return []
    sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    by_header = {fold(h): key for key, h, _w in COLUMNS}
    positions = {}
    for index, title in enumerate(header):
        key = by_header.get(fold(str(title or "")))
        if key and key not in READ_ONLY:
            positions[key] = index
    missing = [HEADERS[key] for key in REQUIRED if key not in positions]
    if missing:
        report.errors.append(
            RowError(1, "", _("Thiếu cột: %(cols)s.") % {"cols": ", ".join(missing)})
        )
        return []
    result = []
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            report.errors.append(
                RowError(number, "", _("Tệp có quá %(n)s dòng.") % {"n": MAX_ROWS})
            )
            break
        if not any(v not in (None, "") for v in values):
            continue
        result.append(_Cells(values, positions, number, report.errors))
    book.close()
    return result


def import_workbook(upload, *, actor, publish: bool = False, dry_run: bool = False):
    """Validate every row, then apply them all or nothing. Returns an ImportReport."""
    report = ImportReport(dry_run=dry_run, publish=publish)
    tables = {
        "audience": _reader(Audience.choices),
        "online": _reader(OnlineLevel.choices),
        "time": _reader(TimeUnit.choices),
        "channel": _reader(Channel.choices, CHANNEL_SHORT),
    }
    parsed: list[_Row] = []
    seen: dict[str, int] = {}
    for cells in _read(upload, report):
        row = _parse_row(cells, tables)
        if row is None:
            continue
        if row.code in seen:
            cells.error(
                "code",
                _("Mã %(code)s trùng với dòng %(row)s.")
                % {"code": row.code, "row": seen[row.code]},
            )
            continue
        seen[row.code] = row.number
        parsed.append(row)
    if report.errors and not parsed:
        return report

    procedures = {
        p.code: p
        for p in _with_content(Procedure.objects.filter(code__in=[r.code for r in parsed]))
    }
    units = {u.code: u for u in Unit.objects.filter(code__in={r.owner for r in parsed})}
    today = timezone.localdate()
    for row in parsed:
        cells = row.cells
        row.procedure = procedures.get(row.code)
        owner = row.procedure.owner_unit if row.procedure else units.get(row.owner)
        if row.procedure is None and not row.owner:
            cells.error("owner_unit", _("Thủ tục mới cần mã đơn vị quản lý."))
            continue
        if owner is None:
            cells.error("owner_unit", _("Không có đơn vị mã %(code)s.") % {"code": row.owner})
            continue
        if row.procedure is not None and row.owner and row.owner != owner.code:
            cells.error(
                "owner_unit",
                _("Không đổi đơn vị quản lý của thủ tục đã có qua tệp nhập (đang là %(code)s).")
                % {"code": owner.code},
            )
        row.owner_unit = owner
        base = _latest(row.procedure) if row.procedure else None
        if base is not None:
            row.content["forms"] = sorted(f.pk for f in base.forms.all())
        try:
            row.content = normalize_content(row.content, procedure=row.procedure)
        except ContentError as error:
            for key, problems in error.errors.items():
                for problem in problems:
                    cells.error(key if key in HEADERS else "code", problem)
            continue
        if not _differs(row, publish):
            continue  # unchanged rows need no right: a province-wide file is fine to re-import
        needed = [Cap.EDIT_CATALOG] + ([Cap.PUBLISH_CATALOG] if publish else [])
        if not all(actor.can(cap) for cap in needed) or not can_act_on(actor, owner):
            cells.error(
                "code",
                _("Bạn không có quyền cập nhật thủ tục của đơn vị %(unit)s.")
                % {"unit": owner.name},
            )
            continue
        if publish and row.effective:
            current = row.procedure.current_version if row.procedure else None
            if row.effective > today:
                cells.error("effective_from", _("Ngày hiệu lực không được sau hôm nay."))
            elif current and row.effective == current.effective_from:
                row.effective = None  # unchanged date column: the new version starts today
            elif current and current.effective_from and row.effective < current.effective_from:
                cells.error(
                    "effective_from",
                    _("Ngày hiệu lực phải từ ngày %(d)s trở đi.")
                    % {"d": current.effective_from.strftime("%d/%m/%Y")},
                )
    if report.errors:
        report.errors.sort(key=lambda e: e.row)
        return report

    with transaction.atomic():
        for row in parsed:
            _apply(row, actor=actor, publish=publish, report=report)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _differs(row: _Row, publish: bool) -> bool:
    """Whether importing the row would change anything (see the module docstring)."""
    if row.procedure is None:
        return True
    if publish:
        current = row.procedure.current_version
        return current is None or content_of(current) != row.content
    latest = _latest(row.procedure)
    return latest is None or content_of(latest) != row.content


def _apply(row: _Row, *, actor, publish: bool, report: ImportReport) -> None:
    procedure = row.procedure
    if procedure is None:
        services.procedure_create(
            actor=actor,
            code=row.code,
            owner_unit=row.owner_unit,
            content=row.content,
            change_note=_("Nhập từ tệp Excel."),
        )
        report.created.append(row.code)
        if publish:
            procedure = Procedure.objects.get(code=row.code)
            services.procedure_publish(
                actor=actor, procedure=procedure, effective_from=row.effective
            )
            report.published.append(row.code)
        return
    current = content_of(procedure.current_version) if procedure.current_version else None
    latest = _latest(procedure)
    if publish:
        if row.content == current:
            report.unchanged.append(row.code)
            return
        if latest is None or content_of(latest) != row.content:
            services.procedure_draft_save(
                actor=actor,
                procedure=procedure,
                content=row.content,
                change_note=_("Nhập từ tệp Excel."),
            )
        services.procedure_publish(actor=actor, procedure=procedure, effective_from=row.effective)
        report.published.append(row.code)
        return
    if latest is not None and content_of(latest) == row.content:
        report.unchanged.append(row.code)
        return
    services.procedure_draft_save(
        actor=actor,
        procedure=procedure,
        content=row.content,
        change_note=_("Nhập từ tệp Excel."),
    )
    report.drafted.append(row.code)
