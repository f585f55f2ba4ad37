"""`motcua catalog-render-pages`: rewrite the page files nginx serves for /tthc/<code>/.

Publishing keeps them current by itself. Run this after a deploy (templates or static files
changed), after renaming units, desks or domains (their names are on the pages), or on a server
whose PUBLIC_PAGES_ROOT is new.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from motcua.catalog.static_pages import languages, render_all


class Command(BaseCommand):
    help = (
        "Ghi lại các trang thủ tục công khai thành tệp cho nginx. "
        "Rewrite the public procedure pages that nginx serves as files."
    )

    def handle(self, *args, **options):
        written, removed = render_all()
        self.stdout.write(
            f"{written} thủ tục × {len(languages())} ngôn ngữ ghi vào / written to "
            f"{settings.PUBLIC_PAGES_ROOT}; {removed} thư mục cũ đã xóa / stale removed."
        )
