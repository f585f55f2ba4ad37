"""`motcua metrics-definition-export FILE.xlsx [--version N]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.metrics.definition import export_workbook
from motcua.metrics.models import IndexDefinition


class Command(BaseCommand):
    help = (
        "Xuất bộ chỉ số phục vụ (nhóm, chỉ tiêu, điểm, ngưỡng, xếp loại) ra tệp Excel. "
        "Export an index definition to .xlsx."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--definition-version", dest="number", type=int, help="Phiên bản (mặc định: mới nhất)"
        )

    def handle(self, *args, file, number=None, **options):
        path = Path(file)
        if path.suffix.lower() != ".xlsx":
            raise CommandError("Tên tệp phải có đuôi .xlsx.")
        definitions = IndexDefinition.objects.order_by("-version")
        definition = definitions.filter(version=number).first() if number else definitions.first()
        if definition is None:
            raise CommandError("Không có bộ chỉ số phiên bản này.")
        try:
            path.write_bytes(export_workbook(definition))
        except OSError as error:
            raise CommandError(f"Không ghi được tệp {path}: {error.strerror}.")
        self.stdout.write(f"Đã xuất bộ chỉ số phiên bản {definition.version} ra {path}.")
