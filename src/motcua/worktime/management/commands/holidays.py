from django.core.management.base import BaseCommand

from motcua.worktime.cli import fail
from motcua.worktime.models import CalendarDay

WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]


class Command(BaseCommand):
    help = "Liệt kê ngày nghỉ và ngày làm bù của một năm. List days off and make-up days."

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True)

    def handle(self, *args, year, **options):
        if not (year.isascii() and year.isdigit()) or not 1976 <= int(year) <= 9999:
            raise fail(f"--year: năm không hợp lệ '{year}'")
        days = CalendarDay.objects.filter(day__year=int(year)).order_by("day")
        if not days:
            raise fail(f"chưa có dữ liệu ngày nghỉ năm {year}; chạy 'motcua seed-holidays'")
        for entry in days:
            line = (
                f"{entry.day.isoformat()}  {WEEKDAYS[entry.day.weekday()]:<9} "
                f"{entry.get_kind_display():<34} {entry.name}"
            )
            if entry.provisional:
                # Counted as a day off until confirmed or removed: say so, and on what grounds.
                line += f"  [tạm thời, chờ xác nhận; nguồn: {entry.source}]"
            self.stdout.write(line)
