"""What the worktime commands share: reading instants and units from the command line."""

from datetime import datetime

from django.core.management.base import CommandError

from motcua.worktime.core import VN_TZ

USAGE_ERROR = 2


def fail(message: str) -> CommandError:
    return CommandError(message, returncode=USAGE_ERROR)


def parse_instant(text: str, option: str) -> datetime:
    """ISO 8601; without an offset the time is Vietnam time."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise fail(f"{option}: thời điểm không hợp lệ '{text}', ví dụ đúng: 2026-11-27T16:00")
    return value if value.tzinfo else value.replace(tzinfo=VN_TZ)


def find_unit(code: str | None):
    if not code:
        return None
    from motcua.org.models import Unit

    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise fail(f"--unit: không có đơn vị mã '{code}'")
    return unit


def iso(value: datetime) -> str:
    return value.astimezone(VN_TZ).isoformat(timespec="minutes")
