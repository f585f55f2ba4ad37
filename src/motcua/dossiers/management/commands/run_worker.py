import signal
import time

from django.core.management.base import BaseCommand, CommandError

from motcua.dossiers.watch import deadline_watch


class Command(BaseCommand):
    help = (
        "Theo dõi hạn xử lý hồ sơ (sắp đến hạn, quá hạn) và gửi thông báo. "
        "Run the deadline watch; safe on several machines at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="chạy một lượt rồi thoát")
        parser.add_argument("--interval", type=int, default=60, help="số giây giữa hai lượt")

    def handle(self, *args, once=False, interval=60, **options):
        if interval < 1:
            raise CommandError("--interval phải lớn hơn 0.", returncode=2)
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        while True:
            result = deadline_watch()
            self.stdout.write(
                f"sắp đến hạn: {result.nearing}, quá hạn: {result.overdue}, "
                f"thông báo: {result.notices}"
            )
            if once or stopping:
                return
            for _ in range(interval):
                if stopping:
                    return
                time.sleep(1)
