from motcua.worktime.models import UnitCalendar
from motcua.worktime.services import holidays_seed


def seed() -> None:
    from motcua.org.models import Unit

    holidays_seed(actor="seed-demo")
    # Police ID-card desks also receive on Saturday mornings (domain spec, section 4).
    for code in ("PC06",):
        unit = Unit.objects.filter(code=code).first()
        if unit:
            UnitCalendar.objects.get_or_create(
                unit=unit,
                defaults={
                    "saturday_sessions": "07:30-11:30",
                    "note": "Tiếp nhận căn cước sáng thứ Bảy",
                },
            )
