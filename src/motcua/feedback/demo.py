"""Demo feedback (PAKN) at Vinh Phú and Thành Vinh: answered on time and late, published, refused,
waiting for the citizen, still open and overdue, all made by the real services with `at=`
instants in the past. Runs once: the `demo.feedback` audit row marks it done."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from motcua.audit.models import AuditEntry
from motcua.audit.services import audit_record
from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.feedback import services
from motcua.feedback.watch import feedback_watch
from motcua.org.models import User
from motcua.worktime.core import VN_TZ, add, next_working_instant
from motcua.worktime.services import calendar_for_unit

MARKER = "demo.feedback"


def _filed(cal, now: datetime, days_ago: int, hour: int) -> datetime:
    local = (now - timedelta(days=days_ago)).astimezone(VN_TZ)
    return next_working_instant(cal, local.replace(hour=hour, minute=15, second=0, microsecond=0))


def _person(n: int) -> tuple[str, str]:
    names = ["Hồ Thị Nga", "Đinh Văn Tú", "Lê Thị Hương", "Phạm Văn Sơn", "Nguyễn Văn An"]
    return names[n % len(names)], f"09{n:02d}{(n * 7919) % 1000000:06d}"


def _about(unit_code: str, n: int) -> dict:
    """A dossier of the unit when the demo history has one, else the unit itself."""
    dossier = (
        Dossier.objects.filter(handling_unit__code=unit_code)
        .order_by("received_at")[n : n + 1]
        .first()
    )
    name, phone = _person(n)
    common = {"name": name, "contact": phone}
    if dossier is not None:
        return {
            **common,
            "subject": "dossier",
            "dossier_code": dossier.code,
            "dossier_secret": dossier.tracking_secret,
        }
    return {**common, "subject": "unit", "unit_code": unit_code}


def seed() -> int:
    """Seed once; returns how many feedback items were filed (0 when already seeded)."""
    if AuditEntry.objects.filter(action=MARKER).exists():
        return 0
    now = timezone.now()
    people = {u.username: u for u in User.objects.filter(username__contains=".")}
    procedure = (
        Procedure.objects.published()
        .filter(audience="public", current_version__handling_units__code="VINHPHU")
        .order_by("code")
        .first()
    )
    count = 0
    with transaction.atomic():
        for unit_code in ("VINHPHU", "THANHVINH"):
            slug = unit_code.lower()
            handler, leader = people[f"xuly.{slug}"], people[f"lanhdao.{slug}"]
            cal = calendar_for_unit(leader.unit)
            plans = [
                # (days ago, what it is about, content, steps as (working days after filing, step))
                (
                    40,
                    "dossier",
                    "Đến hẹn nhưng chưa có kết quả.",
                    [(4, "answer"), (5, "publish"), (6, "like")],
                ),
                (
                    45,
                    "unit",
                    "Cán bộ một cửa hướng dẫn chưa rõ ràng.",
                    [(18, "answer"), (19, "publish"), (20, "dislike")],
                ),
                (
                    30,
                    "procedure",
                    "Đề nghị cho nộp bản chụp thay bản sao chứng thực.",
                    [(1, "reject")],
                ),
                (
                    14,
                    "dossier",
                    "Hồ sơ bị yêu cầu bổ sung nhiều lần.",
                    [(2, "request_info"), (4, "receive_info")],
                ),
                (10, "unit", "Khu vực chờ thiếu ghế ngồi.", [(3, "answer")]),
                (3, "dossier", "Không nhận được tin nhắn báo kết quả.", []),
                (26, "unit", "Giờ làm việc niêm yết khác thực tế.", []),
            ]
            for n, (days_ago, subject, content, steps) in enumerate(plans):
                at = _filed(cal, now, days_ago, 9 + n % 6)
                if subject == "dossier":
                    about = _about(unit_code, n * 3)
                elif subject == "procedure" and procedure is not None:
                    name, phone = _person(n)
                    about = {
                        "subject": "procedure",
                        "procedure_code": procedure.code,
                        "unit_code": unit_code,
                        "name": name,
                        "contact": phone,
                    }
                else:
                    name, phone = _person(n)
                    about = {
                        "subject": "unit",
                        "unit_code": unit_code,
                        "name": name,
                        "contact": phone,
                    }
                fb = services.feedback_file(content=content, at=at, **about)
                count += 1
                for days, step in steps:
                    when = add(cal, at, f"{days}d")
                    if when > now:
                        break
                    fb = _step(fb, step, handler, leader, when)
        feedback_watch(now=now)
        audit_record(actor="seed-demo", action=MARKER, changes={"feedback": count})
    return count


def _step(fb, step, handler, leader, when):
    if step == "answer":
        return services.feedback_answer(
            actor=handler,
            feedback=fb,
            answer="Đơn vị đã kiểm tra và xử lý; xin cảm ơn ý kiến.",
            at=when,
        )
    if step == "publish":
        return services.feedback_publish(
            actor=leader,
            feedback=fb,
            at=when,
            public_summary=f"Phản ánh: {fb.content}",
            public_answer="Đơn vị đã kiểm tra, chấn chỉnh và trả lời người phản ánh.",
        )
    if step in ("like", "dislike"):
        return services.feedback_rate(feedback=fb, satisfied=step == "like", at=when)
    if step == "reject":
        return services.feedback_reject(
            actor=handler, feedback=fb, reason="Nội dung thuộc thẩm quyền quy định của Bộ.", at=when
        )
    if step == "request_info":
        return services.feedback_request_info(
            actor=handler, feedback=fb, request="Đề nghị cung cấp số giấy hẹn.", at=when
        )
    return services.feedback_receive_info(
        actor=handler, feedback=fb, reply="Công dân cung cấp qua điện thoại.", at=when
    )
