"""Import of units from CSV or XLSX: validate every row first, then write all or nothing."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.audit.services import audit_record
from motcua.org.models import Unit, UnitKind

COLUMNS = [
    "code",
    "name",
    "short_name",
    "kind",
    "parent_code",
    "agency_id",
    "address",
    "valid_from",
    "valid_to",
    "merged_into",
]
REQUIRED = {"code", "name", "kind"}


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Dòng %(row)s, cột %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class ImportRejected(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


def read_rows(name: str, content: bytes) -> list[dict]:
    """Rows as dicts keyed by the header row; the header must name our columns."""
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportRejected([RowError(1, "-", _("Tệp CSV phải được mã hóa UTF-8."))])
        table = list(csv.reader(io.StringIO(text)))
    elif suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception:
            raise ImportRejected([RowError(1, "-", _("Không đọc được tệp Excel (.xlsx)."))])
        table = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    else:
        raise ImportRejected([RowError(1, "-", _("Chỉ nhận tệp .csv hoặc .xlsx."))])
    if not table:
        raise ImportRejected([RowError(1, "-", _("Tệp không có dữ liệu."))])
    header = [str(h).strip().lower() for h in table[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportRejected([RowError(1, c, _("Thiếu cột bắt buộc.")) for c in sorted(missing)])
    return [
        {header[i]: row[i] for i in range(min(len(header), len(row)))}
        for row in table[1:]
        if any(str(v).strip() for v in row)
    ]


def _parse_date(value) -> date | None:
    if value in ("", None):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _kind(value: str) -> str | None:
    text = str(value).strip()
    for choice in UnitKind:
        if text.lower() in {choice.value, str(choice.label).lower()}:
            return choice.value
    return None


def units_import(*, actor, rows: list[dict]) -> list[Unit]:
    """Create or update units from rows; raise ImportRejected listing every bad cell."""
    errors: list[RowError] = []
    clean: list[dict] = []
    known = set(Unit.objects.values_list("code", flat=True))
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        values = {c: str(row.get(c, "") if row.get(c) is not None else "").strip() for c in COLUMNS}
        for column in REQUIRED:
            if not values[column]:
                errors.append(RowError(number, column, _("Không được để trống.")))
        kind = _kind(values["kind"]) if values["kind"] else None
        if values["kind"] and kind is None:
            errors.append(
                RowError(
                    number, "kind", _("Loại đơn vị không hợp lệ: %(v)s.") % {"v": values["kind"]}
                )
            )
        if values["code"] in seen:
            errors.append(RowError(number, "code", _("Mã đơn vị bị trùng trong tệp.")))
        seen.add(values["code"])
        parent = values["parent_code"]
        if parent and parent not in known and parent not in seen:
            errors.append(
                RowError(
                    number,
                    "parent_code",
                    _(
                        "Không tìm thấy đơn vị cấp trên có mã %(v)s "
                        "(phải đứng trước trong tệp hoặc đã có)."
                    )
                    % {"v": parent},
                )
            )
        dates = {}
        for column in ("valid_from", "valid_to"):
            try:
                dates[column] = _parse_date(row.get(column))
            except ValueError:
                errors.append(
                    RowError(number, column, _("Ngày không hợp lệ, dùng dạng dd/mm/yyyy."))
                )
        for column, limit in (
            ("code", 40),
            ("name", 255),
            ("short_name", 100),
            ("agency_id", 40),
            ("address", 255),
        ):
            if len(values[column]) > limit:
                errors.append(RowError(number, column, _("Dài quá %(n)s ký tự.") % {"n": limit}))
        clean.append({**values, "kind": kind, **dates, "row": number})
    for values in clean:
        # A successor may come later in the file: mergers are written after every unit exists.
        target = values["merged_into"]
        if target == values["code"]:
            errors.append(
                RowError(values["row"], "merged_into", _("Đơn vị không thể sáp nhập vào chính nó."))
            )
        elif target and target not in known and target not in seen:
            errors.append(
                RowError(
                    values["row"],
                    "merged_into",
                    _("Không tìm thấy đơn vị có mã %(v)s.") % {"v": target},
                )
            )
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.row))

    units = []
    with transaction.atomic():
        for values in clean:
            units.append(_write(actor, values))
        by_code = {u.code: u for u in units}
        for values, unit in zip(clean, units, strict=True):
            target = values["merged_into"]
            successor = (by_code.get(target) or Unit.objects.get(code=target)) if target else None
            if unit.merged_into_id != (successor.pk if successor else None):
                unit.merged_into = successor
                unit.save(update_fields=["merged_into"])
                audit_record(
                    actor=actor,
                    action="org.unit.import",
                    obj=unit,
                    changes={"code": unit.code, "merged_into": target},
                )
    return units


def _write(actor, values: dict) -> Unit:
    """Create or update one unit; a row equal to the unit as stored changes (and audits) nothing,
    so a province may import the same file again."""
    parent = Unit.objects.get(code=values["parent_code"]) if values["parent_code"] else None
    fields = {
        "name": values["name"],
        "short_name": values["short_name"],
        "kind": values["kind"],
        "parent": parent,
        "agency_id": values["agency_id"],
        "address": values["address"],
        "valid_from": values["valid_from"],
        "valid_to": values["valid_to"],
    }
    unit = Unit.objects.filter(code=values["code"]).first()
    created = unit is None
    if created:
        unit = Unit(code=values["code"])
    elif all(getattr(unit, name) == value for name, value in fields.items()):
        return unit
    for name, value in fields.items():
        setattr(unit, name, value)
    unit.save()
    audit_record(
        actor=actor,
        action="org.unit.import",
        obj=unit,
        changes={"created": created, "code": unit.code},
    )
    return unit
