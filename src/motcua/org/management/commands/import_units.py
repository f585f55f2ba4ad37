from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.org.importing import ImportRejected, read_rows, units_import


class Command(BaseCommand):
    help = "Nhập đơn vị từ tệp CSV hoặc XLSX. Import units from a CSV or XLSX file."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {file}.")
        try:
            units = units_import(actor="cli", rows=read_rows(path.name, path.read_bytes()))
        except ImportRejected as rejected:
            raise CommandError("Không nhập được, chưa có gì thay đổi:\n" + str(rejected))
        self.stdout.write(f"Đã nhập {len(units)} đơn vị.")
