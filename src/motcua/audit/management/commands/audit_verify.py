from django.core.management.base import BaseCommand, CommandError

from motcua.audit.services import ChainBroken, audit_verify


class Command(BaseCommand):
    help = "Kiểm tra tính toàn vẹn của nhật ký hệ thống (chuỗi băm). Verify the audit hash chain."

    def handle(self, *args, **options):
        try:
            count = audit_verify()
        except ChainBroken as broken:
            raise CommandError(f"Nhật ký bị can thiệp tại bản ghi #{broken.seq}: {broken.reason}")
        self.stdout.write(f"Nhật ký toàn vẹn: {count} bản ghi. Audit log intact: {count} rows.")
