"""Demo organisation: Nghệ An provincial police as it is since the 2025 reorganisation.

The units are a data file, `data/units.csv`, loaded through `units_import` exactly as a province
loads its own (`motcua import-units`). It holds today's two-level structure (departments and
commune-level police directly under Công an tỉnh) and, closed on 30/06/2025, the former district
police and the wards and communes merged into the new ones. A merged unit sits under its
successor (`parent` and `merged_into`): its dossiers stay its own, and the successor's staff,
who keep its records, see them through the ordinary subtree scoping. The Vinh wards follow the
2025 arrangement (domain spec, section 1); the communes outside Vinh are illustrative. Agency
identifiers follow the national format but are demo values, not the official ones.

Desks and staff are not covered by an importer; they stay here.
"""

from importlib.resources import files

from motcua.org.importing import read_rows, units_import
from motcua.org.models import Desk, UnitKind, User
from motcua.org.roles import Role

DEMO_PASSWORD = "MotCua@2026"
UNITS_FILE = files("motcua.org") / "data" / "units.csv"
DESK_HOURS = "Thứ Hai đến thứ Sáu: sáng 7:30–11:30, chiều 13:30–17:00; sáng thứ Bảy 7:30–11:30"

# username, full name (family, given), role, unit code, position
USERS = [
    ("quantri", ("Trần Quốc", "Hưng"), Role.SYSADMIN, "CANA", "Quản trị hệ thống"),
    ("thanhtra", ("Lê Thị", "Hoa"), Role.INSPECTOR, "CANA", "Thanh tra Công an tỉnh"),
    ("danhmuc", ("Phan Văn", "Đức"), Role.CATALOG_ADMIN, "CANA", "Cán bộ kiểm soát TTHC"),
    ("lanhdao.pc06", ("Nguyễn Đình", "Thắng"), Role.LEADER, "PC06", "Trưởng phòng"),
    ("xuly.pc06", ("Võ Thị", "Lan"), Role.HANDLER, "PC06", "Cán bộ"),
    ("tiepnhan.pc06", ("Đặng Minh", "Tuấn"), Role.RECEPTIONIST, "PC06", "Cán bộ tiếp nhận"),
    ("lanhdao.vinhphu", ("Nguyễn Văn", "Hải"), Role.LEADER, "VINHPHU", "Trưởng Công an phường"),
    ("xuly.vinhphu", ("Trần Thị", "Mai"), Role.HANDLER, "VINHPHU", "Cán bộ"),
    ("tiepnhan.vinhphu", ("Hoàng Thị", "Thu"), Role.RECEPTIONIST, "VINHPHU", "Cán bộ tiếp nhận"),
    ("lanhdao.thanhvinh", ("Lê Văn", "Quang"), Role.LEADER, "THANHVINH", "Trưởng Công an phường"),
    ("xuly.thanhvinh", ("Phạm Thị", "Hằng"), Role.HANDLER, "THANHVINH", "Cán bộ"),
    ("tiepnhan.thanhvinh", ("Bùi Văn", "Long"), Role.RECEPTIONIST, "THANHVINH", "Cán bộ tiếp nhận"),
    # Community sentences (domain spec, section 9): "cán bộ theo dõi thi hành án".
    ("thihanhan.vinhphu", ("Lưu Văn", "Toàn"), Role.SENTENCE_OFFICER, "VINHPHU", "Cán bộ"),
    ("thihanhan.thanhvinh", ("Hồ Thị", "Yến"), Role.SENTENCE_OFFICER, "THANHVINH", "Cán bộ"),
    ("thihanhan.pc10", ("Ngô Văn", "Bình"), Role.SENTENCE_OFFICER, "PC10", "Cán bộ"),
]


def _unit_rows() -> list[dict]:
    return read_rows(UNITS_FILE.name, UNITS_FILE.read_bytes())


def seed() -> None:
    units = {u.code: u for u in units_import(actor="seed-demo", rows=_unit_rows())}

    provincial_desk, _ = Desk.objects.update_or_create(
        code="CANA-MC",
        defaults={
            "unit": units["CANA"],
            "name": "Bộ phận tiếp nhận và trả kết quả Công an tỉnh Nghệ An",
            "address": units["CANA"].address,
            "phone": "0238 3844 xxx",
            "opening_hours": DESK_HOURS,
        },
    )
    provincial_desk.served_units.set([units[c] for c in ("CANA", "PC06", "PC08", "PA08")])
    for unit in units.values():
        if unit.kind in (UnitKind.COMMUNE_POLICE, UnitKind.DISTRICT_POLICE):
            # A closed unit's desk is kept (its dossiers name it) but receives nothing more.
            desk, _ = Desk.objects.update_or_create(
                code=f"{unit.code}-MC",
                defaults={
                    "unit": unit,
                    "name": f"Bộ phận một cửa {unit.name}",
                    "address": unit.address,
                    "opening_hours": DESK_HOURS,
                    "is_active": unit.valid_to is None,
                },
            )
            desk.served_units.set([unit])

    for username, (last, first), role, unit_code, position in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username)
            user.set_password(DEMO_PASSWORD)
        user.last_name, user.first_name = last, first
        user.role, user.unit, user.position = role, units[unit_code], position
        user.email = f"{username}@demo.motcua.vn"
        user.is_staff = user.is_superuser = role == Role.SYSADMIN
        user.save()


def login_table() -> str:
    names = {row["code"]: row["name"] for row in _unit_rows()}
    rows = [f"  {'Tài khoản':<20} {'Vai trò':<26} Đơn vị"]
    for username, _name, role, unit_code, _position in USERS:
        rows.append(f"  {username:<20} {str(Role(role).label):<26} {names.get(unit_code, '')}")
    rows.append(f"  Mật khẩu chung / password for all: {DEMO_PASSWORD}")
    return "\n".join(rows)
