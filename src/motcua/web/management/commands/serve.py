"""`motcua serve`: the production server (gunicorn) with static files served by whitenoise."""

from django.core.management.base import BaseCommand, CommandError
from gunicorn.app.base import BaseApplication

from motcua.web import readiness


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from motcua.wsgi import application

        return application


class Command(BaseCommand):
    help = "Chạy máy chủ ứng dụng (gunicorn). Serve the app with gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=4)

    def handle(self, *args, host, port, workers, threads, **options):
        if not 0 < port < 65536:
            raise CommandError("Cổng phải nằm trong khoảng 1–65535.")
        if workers < 1 or threads < 1:
            raise CommandError("Số tiến trình và số luồng phải lớn hơn 0.")
        if readiness.pending_migrations():
            raise CommandError(readiness.MIGRATE_FIRST)
        if readiness.uncollected_static_files():
            raise CommandError(readiness.COLLECT_FIRST)
        self.stdout.write(
            f"motcua đang chạy tại / serving at http://{host}:{port}/  (Ctrl+C để dừng)"
        )
        self.stdout.flush()
        _Gunicorn(
            {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": threads,
                "worker_class": "gthread",
                "accesslog": "-",
                "timeout": 60,
            }
        ).run()
