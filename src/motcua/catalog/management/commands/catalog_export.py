"""`motcua catalog-export FILE.xlsx`: the whole catalogue, one row per procedure."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.catalog.models import Procedure
from motcua.catalog.spreadsheet import export_workbook


class Command(BaseCommand):
    help = (
        "Xuất danh mục thủ tục hành chính ra tệp Excel (.xlsx). "
        "Export the procedure catalogue to an .xlsx file."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .xlsx sẽ ghi ra")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        if path.suffix.lower() != ".xlsx":
            raise CommandError("Tên tệp phải có đuôi .xlsx.")
        procedures = Procedure.objects.all()
        try:
            path.write_bytes(export_workbook(procedures))
        except OSError as error:
            raise CommandError(f"Không ghi được tệp {path}: {error.strerror}.")
        self.stdout.write(f"Đã xuất {procedures.count()} thủ tục ra {path}.")
