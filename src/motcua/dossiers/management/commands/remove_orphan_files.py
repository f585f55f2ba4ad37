from django.core.management.base import BaseCommand, CommandError

from motcua.dossiers.services import orphan_files_remove


class Command(BaseCommand):
    help = (
        "Xóa các tệp quét không thuộc hồ sơ nào (còn lại khi tiến trình tiếp nhận bị dừng đột "
        "ngột). Remove stored scans that no dossier refers to."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=60,
            metavar="PHÚT",
            help="Chỉ xóa tệp cũ hơn số phút này (mặc định 60), để không chạm tệp đang tiếp nhận.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê, không xóa.")

    def handle(self, *args, older_than, dry_run, **options):
        if older_than < 0:
            raise CommandError("--older-than phải là số phút không âm.")
        orphans = orphan_files_remove(actor="cli", older_than_minutes=older_than, dry_run=dry_run)
        for name in orphans:
            self.stdout.write(name)
        verb = "Sẽ xóa" if dry_run else "Đã xóa"
        self.stdout.write(f"{verb} {len(orphans)} tệp không thuộc hồ sơ nào.")
