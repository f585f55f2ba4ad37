"""Community-sentence cases for the demo, so that the officers' "Việc cần làm" and the case
pages have something to show after `motcua seed-demo`.

The provincial agency (PC10) and the supervising officers (`thihanhan.vinhphu`,
`thihanhan.thanhvinh`, `thihanhan.pc10`) come from the organisation's demo (`org.demo`). Here,
through the real services, with dates counted back from today:

* Công an phường Vinh Phú: a suspended sentence received four months ago and supervised since;
  a non-custodial reform whose file arrived yesterday, not yet assigned;
* Công an phường Thành Vinh: a suspended sentence with an approved absence request; a
  non-custodial reform with a violation recorded last week.

The people are invented; their ID numbers are demo values. Runs once: the `demo.sentences`
audit row marks it done, so a second `seed-demo` adds nothing.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from motcua.audit.models import AuditEntry
from motcua.audit.services import audit_record
from motcua.org.models import Unit, User
from motcua.sentences import services
from motcua.worktime.core import VN_TZ

MARKER = "demo.sentences"
COURT = "Tòa án nhân dân khu vực 1 - Nghệ An"


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=VN_TZ)


def seed() -> None:
    if AuditEntry.objects.filter(action=MARKER).exists():
        return
    officers = {
        u.username: u
        for u in User.objects.filter(
            username__in=["thihanhan.vinhphu", "thihanhan.thanhvinh"], is_active=True
        )
    }
    units = {u.code: u for u in Unit.objects.filter(code__in=["VINHPHU", "THANHVINH"])}
    if len(officers) < 2 or len(units) < 2:
        return  # the organisation's demo has not run (or was changed): nothing to attach to
    vinhphu, thanhvinh = officers["thihanhan.vinhphu"], officers["thihanhan.thanhvinh"]
    today = timezone.localtime(timezone.now(), VN_TZ).date()

    with transaction.atomic():
        # Vinh Phú: a suspended sentence, received and supervised for four months.
        received = today - timedelta(days=125)
        case = services.case_create(
            actor=vinhphu,
            commune=units["VINHPHU"],
            full_name="Nguyễn Văn Cường",
            birth_date=date(1992, 3, 14),
            address="Khối 5, phường Vinh Phú, Nghệ An",
            id_number="040092003518",
            court=COURT,
            decision_number=f"41/{received.year}/HS-ST",
            decision_date=received - timedelta(days=20),
            kind="suspended",
            term_months=24,
            file_received_at=_at(received),
            crime_summary="Trộm cắp tài sản (Điều 173 Bộ luật Hình sự)",
            community_supervisors="Tổ dân phố khối 5, phường Vinh Phú",
            officer=vinhphu,
        )
        services.case_receive(actor=vinhphu, case=case, at=_at(received + timedelta(days=5)))

        # Vinh Phú: a non-custodial reform whose file arrived yesterday (to assign).
        arrived = today - timedelta(days=1)
        services.case_create(
            actor=vinhphu,
            commune=units["VINHPHU"],
            full_name="Lê Thị Dung",
            birth_date=date(1998, 8, 2),
            address="Khối 9, phường Vinh Phú, Nghệ An",
            id_number="040198007264",
            court=COURT,
            decision_number=f"57/{arrived.year}/HS-ST",
            decision_date=arrived - timedelta(days=15),
            kind="reform",
            term_months=12,
            file_received_at=_at(arrived, 14),
            crime_summary="Gây rối trật tự công cộng (Điều 318 Bộ luật Hình sự)",
        )

        # Thành Vinh: a suspended sentence with an absence request, approved.
        received = today - timedelta(days=70)
        case = services.case_create(
            actor=thanhvinh,
            commune=units["THANHVINH"],
            full_name="Phan Văn Hùng",
            birth_date=date(1987, 11, 23),
            address="Khối 2, phường Thành Vinh, Nghệ An",
            id_number="040087009931",
            court=COURT,
            decision_number=f"29/{received.year}/HS-ST",
            decision_date=received - timedelta(days=25),
            kind="suspended",
            term_months=18,
            file_received_at=_at(received),
            crime_summary="Đánh bạc (Điều 321 Bộ luật Hình sự)",
            officer=thanhvinh,
        )
        services.case_receive(actor=thanhvinh, case=case, at=_at(received + timedelta(days=4)))
        services.absence_decide(
            actor=thanhvinh,
            case=case,
            start_on=today + timedelta(days=3),
            end_on=today + timedelta(days=9),
            destination="Thành phố Hà Nội",
            reason="Thăm mẹ đang điều trị tại bệnh viện",
        )

        # Thành Vinh: a non-custodial reform with a violation last week.
        received = today - timedelta(days=50)
        case = services.case_create(
            actor=thanhvinh,
            commune=units["THANHVINH"],
            full_name="Trần Văn Khoa",
            birth_date=date(2001, 6, 9),
            address="Khối 7, phường Thành Vinh, Nghệ An",
            id_number="040201004470",
            court=COURT,
            decision_number=f"33/{received.year}/HS-ST",
            decision_date=received - timedelta(days=18),
            kind="reform",
            term_months=9,
            file_received_at=_at(received),
            crime_summary="Cố ý gây thương tích (Điều 134 Bộ luật Hình sự)",
            officer=thanhvinh,
        )
        services.case_receive(actor=thanhvinh, case=case, at=_at(received + timedelta(days=3)))
        services.violation_record(
            actor=thanhvinh,
            case=case,
            on=max(today - timedelta(days=7), case.start_on),
            description="Không có mặt tại nơi cư trú khi cán bộ kiểm tra, không báo trước.",
        )
        audit_record(actor="seed-demo", action=MARKER, changes={"cases": 4})
