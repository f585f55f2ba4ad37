from django.core.management.base import BaseCommand

from motcua.worktime.cli import fail, find_unit, iso, parse_instant
from motcua.worktime.durations import parse_duration
from motcua.worktime.services import due_at


class Command(BaseCommand):
    help = (
        "Tính hạn giải quyết theo thời gian làm việc. Print the due instant, e.g. "
        "motcua deadline --start 2026-11-27T16:00 --duration 180m"
    )

    def add_arguments(self, parser):
        parser.add_argument("--start", required=True, help="thời điểm bắt đầu (giờ Việt Nam)")
        parser.add_argument("--duration", required=True, help="180m, 8h hoặc 3d")
        parser.add_argument("--unit", help="mã đơn vị (lịch làm việc riêng của đơn vị)")

    def handle(self, *args, start, duration, unit, **options):
        begin = parse_instant(start, "--start")
        try:
            length = parse_duration(duration)
        except ValueError:
            raise fail(
                f"--duration: thời hạn không hợp lệ '{duration}', dùng dạng 180m (phút), "
                "8h (giờ) hoặc 3d (ngày làm việc)"
            )
        try:
            due = due_at(unit=find_unit(unit), start=begin, duration=length)
        except ValueError as error:
            raise fail(f"không tính được hạn: {error}")
        self.stdout.write(iso(due))
