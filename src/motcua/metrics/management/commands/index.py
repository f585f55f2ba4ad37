"""`motcua index --unit CODE --from D --to D [--as-of D] [--json]`: one unit's service index."""

import json

from django.core.management.base import BaseCommand, CommandError

from motcua.metrics.periods import parse_date, parse_period
from motcua.metrics.scores import index_report, r2, result_as_dict
from motcua.org.models import Unit

STATES = {
    "no_data": "chưa có dữ liệu",
    "no_dossiers": "không phát sinh",
    "shown": "chỉ hiển thị",
}


class Command(BaseCommand):
    help = (
        "Chỉ số phục vụ (Quyết định 766) của một đơn vị trong một kỳ. "
        "The service index of one unit for a period."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="Mã đơn vị, ví dụ VINHPHU")
        parser.add_argument("--from", dest="start", help="Từ ngày (dd/mm/yyyy)")
        parser.add_argument("--to", dest="end", help="Đến ngày (dd/mm/yyyy)")
        parser.add_argument("--period", help="Kỳ: 2026, 2026-10 hoặc 2026-Q4")
        parser.add_argument("--as-of", dest="as_of", help="Số liệu như tại ngày (dd/mm/yyyy)")
        parser.add_argument("--json", action="store_true", help="In ra dạng JSON")

    def handle(self, *args, unit, start, end, period, as_of, json=False, **options):
        found = Unit.objects.filter(code=unit).first()
        if found is None:
            raise CommandError(f"Không có đơn vị mã '{unit}'.")
        if period:
            span = parse_period(period)
            if span is None:
                raise CommandError(f"Kỳ '{period}' không hợp lệ; ví dụ 2026, 2026-10, 2026-Q4.")
        else:
            if not start or not end:
                raise CommandError("Cần --from và --to (dd/mm/yyyy), hoặc --period.")
            span = (parse_date(start), parse_date(end))
            if None in span:
                raise CommandError("Ngày không hợp lệ; nhập theo dạng dd/mm/yyyy.")
            if span[1] < span[0]:
                raise CommandError("Ngày kết thúc phải sau ngày bắt đầu.")
        day = None
        if as_of:
            day = parse_date(as_of)
            if day is None:
                raise CommandError("Ngày --as-of không hợp lệ; nhập theo dạng dd/mm/yyyy.")
        report = index_report(*span, as_of=day)
        if report.definition is None:
            raise CommandError("Chưa có bộ chỉ số nào áp dụng cho kỳ này.")
        result = report.for_unit(found)
        if json:
            self.stdout.write(_json_dumps(result_as_dict(report, result)))
            return
        self.stdout.write(self._text(report, result))

    def _text(self, report, result) -> str:
        lines = [
            f"{result.unit.name} — từ {report.start:%d/%m/%Y} đến {report.end:%d/%m/%Y}"
            f" (số liệu đến {report.as_of:%d/%m/%Y}, bộ chỉ số phiên bản"
            f" {report.definition.version})",
        ]
        for group in result.groups:
            lines.append(
                f"\n{group.name}: {_pts(group.points)}/{group.applicable_max}"
                f" (tối đa {group.max_points})"
            )
            for i in group.indicators:
                if i.state == "scored":
                    figure = (
                        f"{_pct(i.rate)} ({i.numerator}/{i.denominator}),"
                        f" {_pts(i.points)}/{i.max_points} điểm"
                    )
                else:
                    figure = STATES[i.state]
                    if i.state == "shown":
                        figure += f": {i.numerator}/{i.denominator}"
                lines.append(f"  {i.code:<22} {i.name}: {figure}")
        if result.score is None:
            lines.append("\nTổng: chưa có chỉ tiêu nào áp dụng trong kỳ.")
        else:
            lines.append(
                f"\nTổng: {_pts(result.score)}/100 ({_pts(result.points)}"
                f"/{result.applicable_max} điểm áp dụng), xếp loại {result.band}"
            )
        for label, rank in (
            ("trong các đơn vị cùng cấp trên", result.rank_siblings),
            ("trong các đơn vị cùng loại của tỉnh", result.rank_kind),
        ):
            if rank:
                lines.append(f"Xếp hạng {label}: {rank.rank}/{rank.of}")
        return "\n".join(lines)


def _pts(value) -> str:
    return f"{r2(value):.2f}".replace(".", ",")


def _pct(rate) -> str:
    return f"{_pts(rate * 100)}%"


def _json_dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
