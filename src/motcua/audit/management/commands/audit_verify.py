from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.audit.services import ChainBroken, audit_last_anchor, audit_seal_all, audit_verify


class Command(BaseCommand):
    help = (
        "Niêm phong các bản ghi nhật ký đang chờ rồi kiểm tra tính toàn vẹn của chuỗi băm. "
        "Seal pending audit rows, then verify the audit hash chain."
    )

    def handle(self, *args, **options):
        sealed = audit_seal_all()
        try:
            verified = audit_verify()
        except ChainBroken as broken:
            where = f" tại bản ghi #{broken.seq}" if broken.seq is not None else ""
            raise CommandError(f"Nhật ký bị can thiệp{where}: {broken.reason}")
        rows = verified.rows
        vi = f"Nhật ký toàn vẹn: {rows} bản ghi (đã niêm phong thêm {sealed} bản ghi)."
        en = f"Audit log intact: {rows} rows ({sealed} newly sealed)."
        if verified.unsealed:  # appended while we verified; the next seal takes them
            vi = vi[:-1] + f"; {verified.unsealed} bản ghi mới chưa niêm phong."
            en = en[:-1] + f"; {verified.unsealed} new rows not sealed yet."
        if anchor := audit_last_anchor():
            vi += f" Khớp mốc neo #{anchor.seq} lúc {timezone.localtime(anchor.at):%H:%M %d/%m/%Y}."
            en += f" Matches anchor #{anchor.seq} of {anchor.at:%Y-%m-%d %H:%M} UTC."
        else:
            vi += " Chưa có mốc neo nào ngoài cơ sở dữ liệu (motcua run-worker ghi mốc neo)."
            en += " No anchor outside the database yet (motcua run-worker writes them)."
        self.stdout.write(f"{vi} {en}")
