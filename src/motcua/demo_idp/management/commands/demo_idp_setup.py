from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from motcua.demo_idp import demo


class Command(BaseCommand):
    help = (
        "Chuẩn bị máy chủ định danh mô phỏng (tài khoản công dân mẫu, ứng dụng motcua). "
        "Set up the demo OpenID provider: demo citizens and the motcua application."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            action="append",
            default=[],
            help="Địa chỉ trang motcua (có thể lặp lại); mặc định PUBLIC_BASE_URL.",
        )

    def handle(self, *args, base_url, **options):
        if not settings.DEMO_IDP:
            raise CommandError("DEMO_IDP chưa bật / is off.")
        urls = base_url or [settings.PUBLIC_BASE_URL]
        for url in urls:
            if not url.startswith(("http://", "https://")):
                raise CommandError(f"Địa chỉ không hợp lệ / invalid URL: {url}")
        demo.seed()
        demo.application_setup(
            base_urls=urls,
            client_id=settings.OIDC_CLIENT_ID or demo.CLIENT_ID,
            secret=settings.OIDC_CLIENT_SECRET or demo.client_secret(),
        )
        self.stdout.write(
            "Công dân đăng nhập tại / citizens sign in at "
            f"{urls[0].rstrip('/')}/cong-dan/dang-nhap/ (máy chủ định danh mô phỏng):\n"
            + demo.login_table()
        )
