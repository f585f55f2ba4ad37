"""Demo catalogue: police procedures of Nghệ An's one-stop desks (residence, identity cards,
immigration, vehicle registration, weapons, seals and conditional business lines) and a few
internal procedures for officers.

The procedures are Excel workbooks in `data/`, in the format of `motcua catalog-export`, imported
with `import_workbook(..., publish=True)` as a province imports its own catalogue:

- `thutuc-2024.xlsx`: the procedures that took 1 working day, as published on 01/07/2024 and
  handled then by the communes and wards merged in 2025. Imported once, when none of them exists,
  so that they have a version history;
- `thutuc.xlsx`: the whole catalogue as it is today (handled by the commune-level police of the
  2025 structure; the 180-minute reform in force from 01/07/2025). Rows equal to the published
  version change nothing; an edited row publishes a new version.

Names, times and fees follow the sources of the domain spec (Residence Law 2020, Circular
75/2022/TT-BTC, Circular 73/2024/TT-BTC, Circular 79/2024/TT-BCA, ...) where known. Procedure codes
and many details are illustrative: check them against the national procedure database before
presenting them as official. Domains have no import format; they stay here.
"""

from importlib.resources import files

from openpyxl import load_workbook

from motcua.catalog.models import Domain, Procedure
from motcua.catalog.services import SystemActor
from motcua.catalog.spreadsheet import import_workbook

ACTOR = SystemActor("seed-demo")
DATA = files("motcua.catalog") / "data"
BEFORE_REFORM = DATA / "thutuc-2024.xlsx"
CATALOGUE = DATA / "thutuc.xlsx"

DOMAINS = [
    ("CUTRU", "Đăng ký, quản lý cư trú"),
    ("CANCUOC", "Căn cước, định danh và xác thực điện tử"),
    ("XNC", "Quản lý xuất nhập cảnh"),
    ("DKX", "Đăng ký, quản lý phương tiện giao thông"),
    ("VKVLN", "Quản lý vũ khí, vật liệu nổ, công cụ hỗ trợ"),
    ("CONDAU", "Quản lý con dấu"),
    ("ANTT", "Ngành, nghề đầu tư kinh doanh có điều kiện về an ninh, trật tự"),
    ("TCCB", "Tổ chức cán bộ (nội bộ)"),
    ("HCTC", "Hậu cần, tài chính (nội bộ)"),
    ("HSNV", "Hồ sơ nghiệp vụ (nội bộ)"),
]


class DemoDataError(Exception):
    """A shipped data file no longer imports: a bug in the release, not a user's mistake."""


def _codes(workbook) -> list[str]:
    with workbook.open("rb") as handle:
        sheet = load_workbook(handle, read_only=True).worksheets[0]
        return [str(row[0]) for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]


def _import(workbook) -> None:
    with workbook.open("rb") as handle:
        report = import_workbook(handle, actor=ACTOR, publish=True)
    if not report.ok:
        raise DemoDataError(f"{workbook.name}: " + "; ".join(str(e) for e in report.errors))


def seed() -> None:
    for position, (code, name) in enumerate(DOMAINS, start=1):
        Domain.objects.update_or_create(code=code, defaults={"name": name, "position": position})
    if not Procedure.objects.filter(code__in=_codes(BEFORE_REFORM)).exists():
        _import(BEFORE_REFORM)
    _import(CATALOGUE)
