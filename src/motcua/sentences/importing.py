"""Cases from a spreadsheet (.xlsx): every row is checked first, and one bad row writes nothing.

Columns (first row, any order): ma_xa (the commune police unit's code), ho_ten, ngay_sinh,
so_dinh_danh, noi_cu_tru, toa_an, so_ban_an, ngay_ban_an, loai_hinh_phat (a kind's code or its
Vietnamese name), thang, ngay, ngay_nhan_ho_so, and optionally ngay_tra_tu_do, ngay_ket_thuc,
toi_danh, nghia_vu_dan_su, dien_thoai. Dates as dd/mm/yyyy or spreadsheet dates.
"""

import io
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction

from motcua.org.models import Unit
from motcua.sentences import access
from motcua.sentences.models import Kind
from motcua.sentences.services import SentenceError, case_create, validate_case
from motcua.worktime.core import VN_TZ

REQUIRED = [
    "ma_xa",
    "ho_ten",
    "ngay_sinh",
    "so_dinh_danh",
    "noi_cu_tru",
    "toa_an",
    "so_ban_an",
    "ngay_ban_an",
    "loai_hinh_phat",
    "ngay_nhan_ho_so",
]
MAX_ROWS = 5000


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


class ImportRejected(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(f"{e.row}/{e.column}: {e.message}" for e in errors))
        self.errors = errors


def read_sheet(content: bytes) -> list[tuple[int, dict]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        table = list(sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 1))
    except Exception:
        raise ImportRejected([RowError(1, "-", "Không đọc được tệp Excel (.xlsx).")]) from None
    if not table:
        raise ImportRejected([RowError(1, "-", "Tệp không có dữ liệu.")])
    header = [str(h or "").strip().lower() for h in table[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportRejected([RowError(1, c, "Thiếu cột bắt buộc.") for c in missing])
    return [
        (number, {header[i]: ("" if v is None else v) for i, v in enumerate(row[: len(header)])})
        for number, row in enumerate(table[1:], 2)
        if any(str(v or "").strip() for v in row)
    ]


def _date(value, column: str, required: bool = True) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if not text:
        if required:
            raise SentenceError("Thiếu giá trị.")
        return None
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise SentenceError(f"Ngày '{text}' không theo dạng ngày/tháng/năm.") from None


def _int(value) -> int:
    text = str(value if value not in (None, "") else "0").strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit() or len(text) > 4:
        raise SentenceError(f"'{text}' không phải số.")
    return int(text)


def _kind(value) -> str:
    text = str(value or "").strip()
    for code, label in Kind.choices:
        if text.lower() in (code, str(label).lower()):
            return code
    raise SentenceError(f"Loại hình phạt '{text}' không có trong danh mục.")


def _row_data(row: dict, communes: dict) -> dict:
    """The row as case_create's arguments; raises (column, SentenceError)."""
    data = {}

    def take(column, parse):
        try:
            return parse(row.get(column, ""))
        except SentenceError as exc:
            raise _ColumnError(column, str(exc)) from None

    code = str(row.get("ma_xa", "")).strip().upper()
    if code not in communes:
        raise _ColumnError("ma_xa", f"Không có Công an cấp xã mã '{code}' trong phạm vi của bạn.")
    data["commune"] = communes[code]
    data["full_name"] = str(row.get("ho_ten", "")).strip()[:120]
    data["birth_date"] = take("ngay_sinh", lambda v: _date(v, "ngay_sinh"))
    data["id_number"] = str(row.get("so_dinh_danh", "")).strip()
    data["address"] = str(row.get("noi_cu_tru", "")).strip()[:255]
    data["court"] = str(row.get("toa_an", "")).strip()[:255]
    data["decision_number"] = str(row.get("so_ban_an", "")).strip()[:60]
    data["decision_date"] = take("ngay_ban_an", lambda v: _date(v, "ngay_ban_an"))
    data["kind"] = take("loai_hinh_phat", _kind)
    data["term_months"] = take("thang", _int)
    data["term_days"] = take("ngay", _int)
    received = take("ngay_nhan_ho_so", lambda v: _date(v, "ngay_nhan_ho_so"))
    data["file_received_at"] = datetime.combine(received, time(8, 0), tzinfo=VN_TZ)
    data["release_on"] = take("ngay_tra_tu_do", lambda v: _date(v, "", required=False))
    data["end_on"] = take("ngay_ket_thuc", lambda v: _date(v, "", required=False))
    data["crime_summary"] = str(row.get("toi_danh", "")).strip()[:4000]
    data["civil_duties"] = str(row.get("nghia_vu_dan_su", "")).strip()[:4000]
    data["phone"] = str(row.get("dien_thoai", "")).strip()[:30]
    return data


class _ColumnError(Exception):
    def __init__(self, column, message):
        super().__init__(message)
        self.column, self.message = column, message


def cases_import(*, actor, content: bytes) -> list:
    if not access.can_supervise(actor):
        raise ImportRejected([RowError(1, "-", "Bạn không có quyền theo dõi người chấp hành án.")])
    root = access.reading_root(actor)
    communes = {
        u.code.upper(): u for u in Unit.objects.filter(path__startswith=root.path, kind="commune")
    }
    rows = read_sheet(content)
    prepared, errors = [], []
    for number, row in rows:
        try:
            data = _row_data(row, communes)
            validate_case(
                **{
                    k: data[k]
                    for k in (
                        "commune",
                        "full_name",
                        "birth_date",
                        "id_number",
                        "court",
                        "decision_number",
                        "decision_date",
                        "kind",
                        "term_months",
                        "term_days",
                        "file_received_at",
                        "release_on",
                        "end_on",
                    )
                }
            )
        except _ColumnError as exc:
            errors.append(RowError(number, exc.column, exc.message))
        except SentenceError as exc:
            errors.append(RowError(number, "-", str(exc)))
        else:
            prepared.append(data)
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():
        return [case_create(actor=actor, **data) for data in prepared]
