import signal
import time

from django.core.management.base import BaseCommand, CommandError

from motcua.audit.services import audit_anchor, audit_seal_all
from motcua.dossiers.watch import deadline_watch
from motcua.feedback.watch import feedback_watch
from motcua.notify.services import notices_send
from motcua.sentences.watch import sentence_watch


class Command(BaseCommand):
    help = (
        "Theo dõi hạn xử lý hồ sơ (sắp đến hạn, quá hạn), gửi thông báo (cả thư điện tử, SMS cho "
        "công dân) và niêm phong nhật ký hệ thống. Run the deadline watch, send citizens' notices "
        "and seal the audit log; safe on several machines at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="chạy một lượt rồi thoát")
        parser.add_argument("--interval", type=int, default=10, help="số giây giữa hai lượt")

    def handle(self, *args, once=False, interval=10, **options):
        if interval < 1:
            raise CommandError("--interval phải lớn hơn 0.", returncode=2)
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        while True:
            result = deadline_watch()
            # Notices to citizens (e-mail, SMS) that are due: new ones the after-commit kick
            # missed, and retries.
            told = notices_send()
            # Feedback (PAKN) deadlines, the same way; its notices go to the units' leaders.
            fb = feedback_watch()
            # Community-sentence timers (reports, plans, monthly windows, hand-back).
            late = sentence_watch()
            # After the watch, so the rows it audited are sealed in the same tick.
            sealed = audit_seal_all()
            anchor = audit_anchor()
            self.stdout.write(
                f"sắp đến hạn: {result.nearing}, quá hạn: {result.overdue}, "
                f"thông báo: {result.notices}, "
                f"gửi công dân: {told.sent} (thử lại: {told.retried}, lỗi: {told.failed}), "
                f"phản ánh sắp đến hạn: {fb.nearing}, phản ánh quá hạn: {fb.overdue}, "
                f"việc thi hành án quá hạn: {late}, "
                f"niêm phong nhật ký: {sealed}"
                + (f", neo nhật ký: #{anchor.seq}" if anchor else "")
            )
            if once or stopping:
                return
            for _ in range(interval):
                if stopping:
                    return
                time.sleep(1)
