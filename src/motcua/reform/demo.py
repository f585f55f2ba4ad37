"""Demo data: the illustrative scorecard template ("Mẫu minh họa") for 2025 and 2026, and the
2025 year run to publication for two wards and one department through the real services, so
the results page, the unit pages and the reports have something to show. Idempotent."""

import random
from decimal import Decimal

from motcua.org.models import Unit, User
from motcua.reform import services
from motcua.reform.models import Cycle, Method
from motcua.reform.templates_data import illustrative_seed

DEMO_YEARS = (2025, 2026)
# unit code → the accounts of its staff and leader (org.demo)
DEMO_UNITS = {
    "VINHPHU": ("xuly.vinhphu", "lanhdao.vinhphu", "96.5"),
    "THANHVINH": ("xuly.thanhvinh", "lanhdao.thanhvinh", "88"),
    "PC06": ("xuly.pc06", "lanhdao.pc06", "92"),
}


def _entry(criterion, rng):
    if criterion.method == Method.FULL_OR_ZERO:
        return criterion.max_points if rng.random() < 0.85 else Decimal(0)
    if criterion.method == Method.GRADED:
        level = rng.choice((100, 100, 75, 50))
        return (criterion.max_points * level / 100).quantize(Decimal("0.01"))
    if criterion.method == Method.DEDUCTION:
        return Decimal(rng.choice((0, 0, 1, 2)))
    return Decimal(rng.choice((0, 1)))  # bonus


def seed() -> None:
    for year in DEMO_YEARS:
        illustrative_seed(year)
    if Cycle.objects.filter(year=2025).exists():
        return
    users = {u.username: u for u in User.objects.filter(username__in=_usernames())}
    units = list(Unit.objects.filter(code__in=DEMO_UNITS).order_by("path"))
    if len(units) != len(DEMO_UNITS) or len(users) != len(_usernames()):
        return
    office, council = users["danhmuc"], users["thanhtra"]
    cycle = services.cycle_open(
        actor=office, year=2025, units=units, self_days=20, appraisal_days=10, publish_days=5
    )
    for p in cycle.participations.select_related("unit"):
        staff, leader, survey = DEMO_UNITS[p.unit.code]
        rng = random.Random(p.unit.code)
        for a in p.assessments.select_related("criterion").order_by("criterion__position"):
            c = a.criterion
            if c.method in (Method.AUTOMATIC, Method.SURVEY):
                continue
            if c.na_allowed and rng.random() < 0.2:
                services.assessment_save(
                    actor=users[staff],
                    assessment=a,
                    not_applicable=True,
                    explanation="Năm 2025 đơn vị không có nhiệm vụ này.",
                )
            else:
                services.assessment_save(
                    actor=users[staff],
                    assessment=a,
                    value=_entry(c, rng),
                    citation=f"Báo cáo {rng.randint(10, 99)}/BC-CA, trang {rng.randint(1, 12)}",
                )
        services.participation_lock(actor=users[leader], participation=p)
        services.survey_record(
            actor=office, participation=p, respondents=rng.randint(80, 400), satisfied_pct=survey
        )
        for i, a in enumerate(p.assessments.select_related("criterion")):
            if i == 1 and a.points:
                services.assessment_appraise(
                    actor=council,
                    assessment=a,
                    decision="adjust",
                    points=a.points / 2,
                    reason="Tài liệu kiểm chứng chưa thể hiện đủ kết quả.",
                )
            else:
                services.assessment_appraise(actor=council, assessment=a, decision="accept")
        services.appraisal_close(actor=council, participation=p)
    services.cycle_publish(actor=office, cycle=cycle)


def _usernames():
    names = {"danhmuc", "thanhtra"}
    for staff, leader, _survey in DEMO_UNITS.values():
        names |= {staff, leader}
    return names
