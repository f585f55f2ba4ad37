from django.core.management.base import BaseCommand

from motcua.worktime.services import holidays_seed


class Command(BaseCommand):
    help = "Nạp ngày lễ 2020–2035 và ngày hoán đổi chính thức. Seed the holiday table."

    def handle(self, *args, **options):
        added = holidays_seed(actor="cli")
        self.stdout.write(f"Đã thêm {added} ngày vào lịch nghỉ.")
