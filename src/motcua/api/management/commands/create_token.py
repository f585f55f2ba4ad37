from django.core.management.base import BaseCommand, CommandError

from motcua.api.services import token_create
from motcua.org.models import User


class Command(BaseCommand):
    help = "Tạo mã truy cập API cho một cán bộ và in ra một lần. Create an API token."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="Tên đăng nhập")
        parser.add_argument("--name", default="", help="Tên gợi nhớ cho mã")

    def handle(self, *args, user, name, **options):
        account = User.objects.filter(username=user, is_active=True).first()
        if account is None:
            raise CommandError(f"Không tìm thấy cán bộ đang hoạt động có tên đăng nhập '{user}'.")
        _token, raw = token_create(actor="cli", user=account, name=name)
        self.stdout.write(raw)
