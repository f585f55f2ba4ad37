"""`motcua metrics-definition-import FILE.xlsx [--from DATE]`: a new version of the index."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.metrics.definition import DefinitionError, definition_create, read_workbook
from motcua.metrics.periods import parse_date


class Command(BaseCommand):
    help = (
        "Nạp bộ chỉ số phục vụ từ tệp Excel thành một phiên bản mới (phiên bản cũ giữ nguyên). "
        "Import an index definition from .xlsx as a new version."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--from", dest="start", help="Áp dụng từ ngày (dd/mm/yyyy)")

    def handle(self, *args, file, start=None, **options):
        day = None
        if start:
            day = parse_date(start)
            if day is None:
                raise CommandError("Ngày áp dụng không hợp lệ; nhập theo dạng dd/mm/yyyy.")
        try:
            content = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Không đọc được tệp {file}: {error.strerror}.")
        try:
            draft = read_workbook(content, effective_from=day)
            definition = definition_create(actor="metrics-definition-import", draft=draft)
        except DefinitionError as error:
            raise CommandError(
                "Tệp có lỗi, chưa nạp gì:\n" + "\n".join(f"- {e}" for e in error.errors)
            )
        self.stdout.write(
            f"Đã tạo bộ chỉ số phiên bản {definition.version}, áp dụng từ "
            f"{definition.effective_from:%d/%m/%Y}."
        )
