"""How values read on printed forms: times 'HH:MM dd/mm/yyyy' in Vietnam time, dates
dd/mm/yyyy, money '15.000 đồng', the place-and-date line and the unit header of an
administrative document (Decree 30/2020 on the presentation of administrative documents)."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.display import money as catalog_money
from motcua.catalog.models import TimeUnit
from motcua.dossiers.models import Recipient
from motcua.worktime.core import VN_TZ


def local(value: datetime | None) -> datetime | None:
    return timezone.localtime(value, VN_TZ) if value else None


def hm_date(value: datetime | None) -> str:
    """'16:00 27/11/2026': the time and date as the forms print them."""
    return local(value).strftime("%H:%M %d/%m/%Y") if value else ""


def vn_date(value) -> str:
    if not value:
        return ""
    if isinstance(value, datetime):
        value = local(value)
    return value.strftime("%d/%m/%Y")


def money(amount: int | None) -> str:
    """15000 -> '15.000 đồng'; nothing -> '0 đồng'."""
    return catalog_money(amount or 0)


def parse_iso(value) -> datetime | None:
    if not value:
        return None
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


_PLACE_PREFIXES = (
    "Công an xã ",
    "Công an phường ",
    "Công an thị trấn ",
    "Công an đặc khu ",
    "Công an thành phố ",
    "Công an thị xã ",
    "Công an quận ",
    "Công an huyện ",
    "Công an tỉnh ",
)


def place_of(unit) -> str:
    """The place name of the date line: 'Vinh Phú' for Công an phường Vinh Phú; a department takes
    its province's ('Nghệ An' for PC06)."""
    while unit is not None:
        for prefix in _PLACE_PREFIXES:
            if unit.name.startswith(prefix):
                return unit.name[len(prefix) :].strip()
        unit = unit.parent
    return ""


def place_and_date(unit, value) -> str:
    """'Vinh Phú, ngày 27 tháng 11 năm 2026' (Decree 30/2020: a 0 before days under 10 and
    before months 1 and 2)."""
    day = local(value).date() if isinstance(value, datetime) else value
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    place = place_of(unit)
    return f"{place}, {text}" if place else text.capitalize()


def unit_header(unit, subtitle: str = "") -> dict:
    """Top-left block: the parent agency, then the issuing unit (or desk) in bold."""
    if subtitle:
        return {"parent": unit.name.upper(), "name": subtitle.upper()}
    parent = unit.parent.name.upper() if unit.parent_id else ""
    return {"parent": parent, "name": unit.name.upper()}


def desk_label(desk) -> str:
    """'Bộ phận một cửa' out of 'Bộ phận một cửa Công an phường Vinh Phú': the unit is printed
    above it in the header."""
    name = desk.name.strip()
    unit_name = desk.unit.name
    if name.endswith(unit_name) and len(name) > len(unit_name):
        return name[: -len(unit_name)].strip()
    return name


def desk_place(desk) -> str:
    parts = [desk.name]
    # Demo and imported desks sometimes carry "<unit name>, <province>" as address: no news after
    # the desk's own name, so it is left out.
    if desk.address and not desk.address.startswith(desk.unit.name):
        parts.append(desk.address)
    text = ", ".join(parts)
    if desk.phone:
        text += f" (điện thoại {desk.phone})"
    if desk.opening_hours:
        text += f"; giờ tiếp nhận: {desk.opening_hours}"
    return text


def duration_display(version) -> str:
    unit = TimeUnit(version.time_unit).label if version.time_unit in TimeUnit.values else ""
    text = f"{version.time_value} {unit}".strip()
    if version.time_note:
        text += f" ({version.time_note})"
    return text


def person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def recipient_line(kind: str, name: str, id_number: str) -> str:
    """Who took the result: "Trần Văn Bình (người được ủy quyền), số định danh 040090003344".
    In the reader's language on screens; the printed forms render in Vietnamese."""
    if not name:
        return ""
    text = name
    if kind in Recipient.values:
        text += f" ({str(Recipient(kind).label).lower()})"
    if id_number:
        text += ", " + _("số định danh %(number)s") % {"number": id_number}
    return text
