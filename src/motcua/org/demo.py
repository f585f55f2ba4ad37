"""Demo organisation: Nghệ An provincial police (structure before the 2025 reorganisation).

Agency identifiers follow the national format but are demo values, not the official ones.
"""

from motcua.org.models import Desk, Unit, UnitKind, User
from motcua.org.roles import Role

DEMO_PASSWORD = "MotCua@2026"
DESK_HOURS = "Thứ Hai đến thứ Sáu: sáng 7:30–11:30, chiều 13:30–17:00; sáng thứ Bảy 7:30–11:30"

K = UnitKind
# code, name, short name, kind, parent code, agency id
UNITS = [
    ("BCA", "Bộ Công an", "BCA", K.MINISTRY, None, "000.00.00.G01"),
    ("CANA", "Công an tỉnh Nghệ An", "CA Nghệ An", K.PROVINCIAL_POLICE, "BCA", "000.00.15.H40"),
    (
        "PC06",
        "Phòng Cảnh sát quản lý hành chính về trật tự xã hội",
        "PC06",
        K.DEPARTMENT,
        "CANA",
        "000.06.15.H40",
    ),
    ("PC08", "Phòng Cảnh sát giao thông", "PC08", K.DEPARTMENT, "CANA", "000.08.15.H40"),
    ("PA08", "Phòng Quản lý xuất nhập cảnh", "PA08", K.DEPARTMENT, "CANA", "000.18.15.H40"),
    ("PX01", "Phòng Tổ chức cán bộ", "PX01", K.DEPARTMENT, "CANA", "000.21.15.H40"),
    ("PH10", "Phòng Hậu cần", "PH10", K.DEPARTMENT, "CANA", "000.22.15.H40"),
    ("VINH", "Công an thành phố Vinh", "CA TP Vinh", K.DISTRICT_POLICE, "CANA", "000.30.15.H40"),
    (
        "NGHILOC",
        "Công an huyện Nghi Lộc",
        "CA Nghi Lộc",
        K.DISTRICT_POLICE,
        "CANA",
        "000.31.15.H40",
    ),
    (
        "DIENCHAU",
        "Công an huyện Diễn Châu",
        "CA Diễn Châu",
        K.DISTRICT_POLICE,
        "CANA",
        "000.32.15.H40",
    ),
    ("CUALO", "Công an thị xã Cửa Lò", "CA Cửa Lò", K.DISTRICT_POLICE, "CANA", "000.33.15.H40"),
    (
        "HUNGBINH",
        "Công an phường Hưng Bình",
        "CA P. Hưng Bình",
        K.COMMUNE_POLICE,
        "VINH",
        "000.40.15.H40",
    ),
    ("LELOI", "Công an phường Lê Lợi", "CA P. Lê Lợi", K.COMMUNE_POLICE, "VINH", "000.41.15.H40"),
    (
        "QUANGTRUNG",
        "Công an phường Quang Trung",
        "CA P. Quang Trung",
        K.COMMUNE_POLICE,
        "VINH",
        "000.42.15.H40",
    ),
    (
        "CUANAM",
        "Công an phường Cửa Nam",
        "CA P. Cửa Nam",
        K.COMMUNE_POLICE,
        "VINH",
        "000.43.15.H40",
    ),
    (
        "TRUONGTHI",
        "Công an phường Trường Thi",
        "CA P. Trường Thi",
        K.COMMUNE_POLICE,
        "VINH",
        "000.44.15.H40",
    ),
    (
        "BENTHUY",
        "Công an phường Bến Thủy",
        "CA P. Bến Thủy",
        K.COMMUNE_POLICE,
        "VINH",
        "000.45.15.H40",
    ),
    ("NGHIPHU", "Công an xã Nghi Phú", "CA xã Nghi Phú", K.COMMUNE_POLICE, "VINH", "000.46.15.H40"),
    (
        "HUNGDONG",
        "Công an xã Hưng Đông",
        "CA xã Hưng Đông",
        K.COMMUNE_POLICE,
        "VINH",
        "000.47.15.H40",
    ),
    ("NGHIKIM", "Công an xã Nghi Kim", "CA xã Nghi Kim", K.COMMUNE_POLICE, "VINH", "000.48.15.H40"),
    (
        "NGHITHACH",
        "Công an xã Nghi Thạch",
        "CA xã Nghi Thạch",
        K.COMMUNE_POLICE,
        "NGHILOC",
        "000.50.15.H40",
    ),
    (
        "NGHIXUAN",
        "Công an xã Nghi Xuân",
        "CA xã Nghi Xuân",
        K.COMMUNE_POLICE,
        "NGHILOC",
        "000.51.15.H40",
    ),
    (
        "DIENNGOC",
        "Công an xã Diễn Ngọc",
        "CA xã Diễn Ngọc",
        K.COMMUNE_POLICE,
        "DIENCHAU",
        "000.60.15.H40",
    ),
    (
        "DIENKY",
        "Công an xã Diễn Kỷ",
        "CA xã Diễn Kỷ",
        K.COMMUNE_POLICE,
        "DIENCHAU",
        "000.61.15.H40",
    ),
]

ADDRESSES = {
    "CANA": "Số 3 Trường Thi, thành phố Vinh, Nghệ An",
    "VINH": "Số 12 Lê Hồng Phong, thành phố Vinh, Nghệ An",
}

# username, full name (family, given), role, unit code, position
USERS = [
    ("quantri", ("Trần Quốc", "Hưng"), Role.SYSADMIN, "CANA", "Quản trị hệ thống"),
    ("thanhtra", ("Lê Thị", "Hoa"), Role.INSPECTOR, "CANA", "Thanh tra Công an tỉnh"),
    ("danhmuc", ("Phan Văn", "Đức"), Role.CATALOG_ADMIN, "CANA", "Cán bộ kiểm soát TTHC"),
    ("thanhtra.vinh", ("Hồ Văn", "Nam"), Role.INSPECTOR, "VINH", "Cán bộ kiểm tra"),
    ("lanhdao.pc06", ("Nguyễn Đình", "Thắng"), Role.LEADER, "PC06", "Trưởng phòng"),
    ("xuly.pc06", ("Võ Thị", "Lan"), Role.HANDLER, "PC06", "Cán bộ"),
    ("tiepnhan.pc06", ("Đặng Minh", "Tuấn"), Role.RECEPTIONIST, "PC06", "Cán bộ tiếp nhận"),
    ("lanhdao.nghiphu", ("Nguyễn Văn", "Hải"), Role.LEADER, "NGHIPHU", "Trưởng Công an xã"),
    ("xuly.nghiphu", ("Trần Thị", "Mai"), Role.HANDLER, "NGHIPHU", "Cán bộ"),
    ("tiepnhan.nghiphu", ("Hoàng Thị", "Thu"), Role.RECEPTIONIST, "NGHIPHU", "Cán bộ tiếp nhận"),
    ("lanhdao.hungbinh", ("Lê Văn", "Quang"), Role.LEADER, "HUNGBINH", "Trưởng Công an phường"),
    ("xuly.hungbinh", ("Phạm Thị", "Hằng"), Role.HANDLER, "HUNGBINH", "Cán bộ"),
    ("tiepnhan.hungbinh", ("Bùi Văn", "Long"), Role.RECEPTIONIST, "HUNGBINH", "Cán bộ tiếp nhận"),
]


def seed() -> None:
    units: dict[str, Unit] = {}
    for code, name, short, kind, parent, agency in UNITS:
        unit = Unit.objects.filter(code=code).first() or Unit(code=code)
        unit.name, unit.short_name, unit.kind, unit.agency_id = name, short, kind, agency
        unit.parent = units.get(parent) if parent else None
        unit.address = ADDRESSES.get(code, unit.address or f"{name}, Nghệ An")
        unit.save()
        units[code] = unit

    provincial_desk, _ = Desk.objects.update_or_create(
        code="CANA-MC",
        defaults={
            "unit": units["CANA"],
            "name": "Bộ phận tiếp nhận và trả kết quả Công an tỉnh Nghệ An",
            "address": ADDRESSES["CANA"],
            "phone": "0238 3844 xxx",
            "opening_hours": DESK_HOURS,
        },
    )
    provincial_desk.served_units.set([units[c] for c in ("CANA", "PC06", "PC08", "PA08")])
    for code, _name, _short, kind, _parent, _agency in UNITS:
        if kind in (K.COMMUNE_POLICE, K.DISTRICT_POLICE):
            unit = units[code]
            desk, _ = Desk.objects.update_or_create(
                code=f"{code}-MC",
                defaults={
                    "unit": unit,
                    "name": f"Bộ phận một cửa {unit.name}",
                    "address": unit.address,
                    "opening_hours": DESK_HOURS,
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
    rows = [f"  {'Tài khoản':<20} {'Vai trò':<26} Đơn vị"]
    for username, _name, role, unit_code, _position in USERS:
        unit = next(u[1] for u in UNITS if u[0] == unit_code)
        rows.append(f"  {username:<20} {str(Role(role).label):<26} {unit}")
    rows.append(f"  Mật khẩu chung / password for all: {DEMO_PASSWORD}")
    return "\n".join(rows)
