"""`motcua metrics-rebuild [--from DATE] [--to DATE] [--resume]`."""

import time

from django.core.management.base import BaseCommand, CommandError

from motcua.metrics.services import facts_rebuild
from motcua.params import parse_day

BAR = 30


class Command(BaseCommand):
    help = (
        "Tính lại toàn bộ số liệu chỉ số phục vụ theo ngày từ hồ sơ và nhật ký xử lý. "
        "Recompute the daily facts of the service index from the dossiers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", help="Từ ngày (dd/mm/yyyy)")
        parser.add_argument("--to", dest="end", help="Đến ngày (dd/mm/yyyy)")
        parser.add_argument("--resume", action="store_true", help="Tiếp tục lần chạy bị gián đoạn.")

    def handle(self, *args, start=None, end=None, resume=False, **options):
        days = {}
        for name, text in (("start", start), ("end", end)):
            if text is not None:
                days[name] = parse_day(text)
                if days[name] is None:
                    raise CommandError(f"Ngày '{text}' không hợp lệ; nhập theo dạng dd/mm/yyyy.")
        if days.get("start") and days.get("end") and days["end"] < days["start"]:
            raise CommandError("Ngày kết thúc phải sau ngày bắt đầu.")
        began = time.monotonic()

        def progress(first, last, index, total):
            filled = BAR * index // total
            self.stdout.write(
                f"\r[{'#' * filled}{'.' * (BAR - filled)}] {index}/{total} "
                f"({first:%d/%m/%Y}–{last:%d/%m/%Y})",
                ending="",
            )
            self.stdout.flush()

        rows = facts_rebuild(actor="metrics-rebuild", resume=resume, progress=progress, **days)
        seconds = time.monotonic() - began
        self.stdout.write(f"\nĐã tính lại {rows} dòng số liệu trong {seconds:.1f} giây.")
