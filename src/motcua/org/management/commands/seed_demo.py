from django.core.management.base import BaseCommand

from motcua.demo import seed_all
from motcua.org.demo import login_table
from motcua.org.models import Unit


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (Công an tỉnh Nghệ An). Load the demo data; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Chỉ nạp khi cơ sở dữ liệu chưa có đơn vị nào."
        )
        parser.add_argument("--quiet-logins", action="store_true")

    def handle(self, *args, if_empty=False, quiet_logins=False, **options):
        if if_empty and Unit.objects.exists():
            self.stdout.write("Cơ sở dữ liệu đã có dữ liệu, bỏ qua nạp dữ liệu mẫu.")
        else:
            seed_all()
            self.stdout.write("Đã nạp dữ liệu mẫu Công an tỉnh Nghệ An.")
        if not quiet_logins:
            self.stdout.write("Tài khoản mẫu / demo logins:\n" + login_table())
