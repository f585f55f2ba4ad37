"""`motcua catalog-import FILE.xlsx [--publish] [--dry-run]`.

Every row is checked first; with any error nothing changes and the errors are listed by row and
column. Unchanged rows are skipped; a changed row makes a draft, or with --publish a new version
in force from today (or from the row's "Hiệu lực từ ngày" when that was changed).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.catalog.services import SystemActor
from motcua.catalog.spreadsheet import import_workbook


class Command(BaseCommand):
    help = (
        "Nhập danh mục thủ tục hành chính từ tệp Excel. "
        "Import the procedure catalogue from an .xlsx file."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .xlsx (theo mẫu của catalog-export)")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Công bố ngay các thủ tục thay đổi (mặc định: tạo bản nháp).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ kiểm tra, không thay đổi dữ liệu."
        )

    def handle(self, *args, file: str, publish: bool, dry_run: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        with path.open("rb") as handle:
            report = import_workbook(
                handle,
                actor=SystemActor(f"catalog-import {path.name}"),
                publish=publish,
                dry_run=dry_run,
            )
        for error in report.errors:
            self.stderr.write(str(error))
        if not report.ok:
            raise CommandError(report.summary())
        for label, codes in (
            ("Thủ tục mới", report.created),
            ("Bản nháp", report.drafted),
            ("Công bố", report.published),
        ):
            if codes:
                self.stdout.write(f"{label}: {', '.join(codes)}")
        self.stdout.write(report.summary())
