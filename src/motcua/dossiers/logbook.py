"""The dossier logbook of a desk (Sổ theo dõi hồ sơ, Circular 01/2018 Mẫu 06), A4 landscape PDF
and XLSX.

A desk keeps one book a year; a dossier's entry number is its rank among the dossiers the desk
received that year (by time received, then id). The receipt prints the same number ("Vào Sổ
theo dõi hồ sơ ... số thứ tự"), so the paper slip and the printed book always agree, whatever
period is printed.
"""

import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from motcua.audit.services import ChainBroken, audit_last_anchor
from motcua.documents.pdf import in_vietnamese, render_pdf
from motcua.documents.spreadsheets import put
from motcua.dossiers import selectors
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.paper import (
    hm_date,
    local,
    place_and_date,
    recipient_line,
    unit_header,
    vn_date,
)
from motcua.dossiers.services import RETURN_METHODS
from motcua.worktime.core import VN_TZ

LATE = "quá hạn"

COLUMNS = [
    "STT",
    "Mã hồ sơ",
    "Tên thủ tục hành chính",
    "Người nộp hồ sơ",
    "Địa chỉ, số điện thoại",
    "Đơn vị giải quyết",
    "Tiếp nhận lúc",
    "Hẹn trả kết quả",
    "Trả kết quả lúc",
    "Hình thức trả kết quả",
    "Ký nhận",
]


def _year_start(year: int) -> datetime:
    return datetime(year, 1, 1, tzinfo=VN_TZ)


def logbook_entry(dossier: Dossier) -> tuple[int, int]:
    """(year, number) of the dossier in its desk's logbook."""
    year = local(dossier.received_at).year
    number = (
        Dossier.objects.filter(desk_id=dossier.desk_id, received_at__gte=_year_start(year))
        .filter(
            Q(received_at__lt=dossier.received_at)
            | Q(received_at=dossier.received_at, id__lte=dossier.id)
        )
        .count()
    )
    return year, number


def _entry_numbers(desk, first: date, last: date) -> dict[int, int]:
    """Entry numbers of every dossier the desk received from 1 January of `first`'s year to the
    end of `last` (one light query of ids and times)."""
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=VN_TZ)
    numbers: dict[int, int] = {}
    year, count = None, 0
    rows = (
        Dossier.objects.filter(
            desk=desk, received_at__gte=_year_start(first.year), received_at__lt=end
        )
        .order_by("received_at", "id")
        .values_list("id", "received_at")
    )
    for pk, received_at in rows:
        this_year = local(received_at).year
        if this_year != year:
            year, count = this_year, 0
        count += 1
        numbers[pk] = count
    return numbers


@dataclass
class Row:
    number: int
    code: str
    procedure: str
    applicant: str
    contact: str
    handling_unit: str
    received_at: datetime
    due_at: datetime | None
    returned_at: datetime | None
    method: str
    recipient: str  # who took the result, above their signature
    late: bool  # finished after its legal due, whatever the apology promised


def _contact(d: Dossier) -> str:
    parts = [d.applicant_address] if d.applicant_address else []
    if d.applicant_phone:
        parts.append(f"ĐT: {d.applicant_phone}")
    return "; ".join(parts)


def _applicant(d: Dossier) -> str:
    if d.proxy_name:
        return f"{d.applicant_name} (người được ủy quyền: {d.proxy_name})"
    return d.applicant_name


def logbook_rows(user, desk, first: date, last: date) -> list[Row]:
    """The rows of the logbook as `user` may see them (selectors.logbook is scoped)."""
    dossiers = list(selectors.logbook(user, desk, first, last))
    numbers = _entry_numbers(desk, first, last) if dossiers else {}
    rows = []
    for d in dossiers:
        returned_at, method = d.returned_at, str(RETURN_METHODS.get(d.return_method, ""))
        if d.status in (Status.REFUSED, Status.STOPPED):
            # The refusal or the notice of stopping is what the applicant gets back.
            returned_at, method = d.finished_at, d.get_status_display()
        rows.append(
            Row(
                number=numbers.get(d.pk, 0),
                code=d.code,
                procedure=d.procedure_version.name,
                applicant=_applicant(d),
                contact=_contact(d),
                handling_unit=d.handling_unit.name,
                received_at=d.received_at,
                due_at=d.due_at,
                returned_at=returned_at,
                method=method,
                recipient=recipient_line(d.recipient_kind, d.recipient_name, d.recipient_id_number),
                late=d.finished_on_time is False,
            )
        )
    return rows


def _period(first: date, last: date) -> str:
    if first == last:
        return f"Ngày {vn_date(first)}"
    return f"Từ ngày {vn_date(first)} đến ngày {vn_date(last)}"


def _audit_anchor_note() -> str:
    """The audit log's last anchored head, printed on paper: a record outside the database that a
    later rewrite of the log cannot reach."""
    try:
        anchor = audit_last_anchor()
    except ChainBroken:
        return "Nhật ký hệ thống: tệp neo không hợp lệ, cần kiểm tra (motcua audit-verify)"
    if anchor is None:
        return ""
    head = f"bản ghi #{anchor.seq}, mã {anchor.hash[:12]}"
    return f"Nhật ký hệ thống: {head}, neo lúc {hm_date(anchor.at)}"


@in_vietnamese
def render_logbook_pdf(user, desk, first: date, last: date) -> bytes:
    """The logbook of `desk` for dossiers received first..last, A4 landscape."""
    rows = logbook_rows(user, desk, first, last)
    context = {
        "title": "Sổ theo dõi hồ sơ",
        "header": unit_header(desk.unit),
        "place_date": place_and_date(desk.unit, timezone.now()),
        "desk": desk,
        "period": _period(first, last),
        "audit_anchor": _audit_anchor_note(),
        "columns": COLUMNS,
        "rows": [
            {
                **row.__dict__,
                "received": hm_date(row.received_at),
                "due": hm_date(row.due_at),
                "returned": hm_date(row.returned_at),
            }
            for row in rows
        ],
    }
    return render_pdf("dossiers/forms/logbook.html", context)


def _naive(value: datetime | None):
    """Excel has no time zones: Vietnam local time, without tzinfo."""
    return local(value).replace(tzinfo=None) if value else None


@in_vietnamese
def render_logbook_xlsx(user, desk, first: date, last: date) -> bytes:
    """The same logbook as a spreadsheet (one row per dossier, real date-time cells)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    rows = logbook_rows(user, desk, first, last)
    book = Workbook()
    sheet = book.active
    sheet.title = "Sổ theo dõi hồ sơ"
    last_col = get_column_letter(len(COLUMNS))
    put(sheet, 1, 1, "SỔ THEO DÕI HỒ SƠ")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.merge_cells(f"A1:{last_col}1")
    put(sheet, 2, 1, f"{desk.name} — {desk.unit.name}. {_period(first, last)}")
    sheet["A2"].alignment = Alignment(horizontal="center")
    sheet.merge_cells(f"A2:{last_col}2")

    header_row = 4
    thin = Side(style="thin", color="888888")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    for col, title in enumerate(COLUMNS, start=1):
        cell = put(sheet, header_row, col, title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cell.border = border
    for offset, row in enumerate(rows, start=1):
        values = [
            row.number,
            row.code,
            row.procedure,
            row.applicant,
            row.contact,
            row.handling_unit,
            _naive(row.received_at),
            _naive(row.due_at),
            _naive(row.returned_at),
            f"{row.method} ({LATE})" if row.late else row.method,
            row.recipient,
        ]
        for col, value in enumerate(values, start=1):
            cell = put(sheet, header_row + offset, col, value)
            cell.border = border
            cell.alignment = wrap
            if isinstance(value, datetime):
                cell.number_format = "hh:mm dd/mm/yyyy"
    widths = [6, 26, 30, 24, 32, 26, 17, 17, 17, 20, 30]
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
