from django.core.management.base import BaseCommand, CommandError

from motcua.audit.services import ChainBroken, audit_seal_all, audit_verify


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
            raise CommandError(f"Nhật ký bị can thiệp tại bản ghi #{broken.seq}: {broken.reason}")
        rows = verified.rows
        vi = f"Nhật ký toàn vẹn: {rows} bản ghi (đã niêm phong thêm {sealed} bản ghi)."
        en = f"Audit log intact: {rows} rows ({sealed} newly sealed)."
        if verified.unsealed:  # appended while we verified; the next seal takes them
            vi = vi[:-1] + f"; {verified.unsealed} bản ghi mới chưa niêm phong."
            en = en[:-1] + f"; {verified.unsealed} new rows not sealed yet."
        self.stdout.write(f"{vi} {en}")
