from django.core.management.base import BaseCommand, CommandError

from motcua.api.models import ApiToken
from motcua.api.services import token_revoke


class Command(BaseCommand):
    help = "Thu hồi mã truy cập API theo tiền tố. Revoke API tokens by prefix."

    def add_arguments(self, parser):
        parser.add_argument("prefix", help="10 ký tự đầu của mã (mc_xxxxxxx)")

    def handle(self, *args, prefix, **options):
        tokens = list(ApiToken.objects.filter(prefix=prefix[:10], revoked_at__isnull=True))
        if not tokens:
            raise CommandError("Không tìm thấy mã truy cập còn hiệu lực với tiền tố này.")
        for token in tokens:
            token_revoke(actor="cli", token=token)
        self.stdout.write(f"Đã thu hồi {len(tokens)} mã.")
