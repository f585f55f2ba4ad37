"""Calendars per unit, the holiday table, and the worktime commands."""

import subprocess
import sys
from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.audit.models import AuditEntry
from motcua.org.models import Unit, UnitKind
from motcua.worktime.core import VN_TZ
from motcua.worktime.models import CalendarDay, DayKind, UnitCalendar
from motcua.worktime.services import calendar_for_unit, due_at

FRIDAY_16H = datetime(2026, 11, 27, 16, 0, tzinfo=VN_TZ)


def run(capsys, *args):
    call_command(*args)
    return capsys.readouterr().out.strip()


def test_the_holiday_table_has_the_official_swaps_the_package_misses(db):
    days = {d.day: d.kind for d in CalendarDay.objects.filter(day__year=2026)}
    assert days[date(2026, 1, 2)] == DayKind.DAY_OFF
    assert days[date(2026, 1, 10)] == DayKind.MAKEUP
    assert days[date(2026, 8, 31)] == DayKind.DAY_OFF
    assert days[date(2026, 8, 22)] == DayKind.MAKEUP
    assert days[date(2026, 2, 17)] == DayKind.HOLIDAY  # mùng 1 Tết Bính Ngọ
    assert CalendarDay.objects.filter(day__year=2035).exists()


def test_a_unit_inherits_its_nearest_ancestors_office_hours(org):
    UnitCalendar.objects.create(unit=org.units["PC06"], saturday_sessions="07:30-11:30")
    team = Unit.objects.create(
        code="PC06-DOI1", name="Đội cấp căn cước", kind=UnitKind.OTHER, parent=org.units["PC06"]
    )

    assert due_at(unit=team, start=FRIDAY_16H, duration="180m").isoformat() == (
        "2026-11-28T09:30:00+07:00"  # Saturday morning counts for PC06 and its teams
    )
    assert due_at(unit=org.units["VINHPHU"], start=FRIDAY_16H, duration="180m").isoformat() == (
        "2026-11-30T09:30:00+07:00"  # a commune without Saturday sessions: Monday
    )


def test_a_new_day_off_changes_the_next_deadline_at_once(org):
    vinh_phu = org.units["VINHPHU"]
    before = due_at(unit=vinh_phu, start=FRIDAY_16H, duration="180m")
    CalendarDay.objects.create(day=date(2026, 11, 30), kind=DayKind.DAY_OFF, name="Nghỉ đột xuất")

    after = due_at(unit=vinh_phu, start=FRIDAY_16H, duration="180m")

    assert before.day == 30
    assert after.isoformat() == "2026-12-01T09:30:00+07:00"


def test_a_calendar_is_reused_for_a_few_seconds_but_an_edit_here_counts_at_once(
    org, settings, django_assert_num_queries
):
    from motcua.worktime.services import calendar_for_unit, forget_calendars

    settings.WORKTIME_CALENDAR_RECHECK = 60
    vinh_phu = org.units["VINHPHU"]
    forget_calendars()
    try:
        calendar_for_unit(vinh_phu)
        with django_assert_num_queries(0):  # within the window: no query at all
            calendar_for_unit(vinh_phu)
        # A change no signal reports (like one made by another process) waits for the window...
        CalendarDay.objects.bulk_create(
            [CalendarDay(day=date(2026, 11, 30), kind=DayKind.DAY_OFF, name="Nghỉ đột xuất")]
        )
        assert due_at(unit=vinh_phu, start=FRIDAY_16H, duration="180m").day == 30
        # ...a save in this process counts at once.
        CalendarDay.objects.create(day=date(2026, 12, 1), kind=DayKind.DAY_OFF, name="Nghỉ tiếp")
        assert due_at(unit=vinh_phu, start=FRIDAY_16H, duration="180m").isoformat() == (
            "2026-12-02T09:30:00+07:00"
        )
    finally:
        forget_calendars()  # the rolled-back rows must not outlive this test


def test_an_admin_edit_of_the_holiday_table_is_audited(client, org):
    client.force_login(org["quantri"])
    response = client.post(
        "/quan-tri/worktime/calendarday/add/",
        {
            "day": "03/12/2026",
            "kind": "day_off",
            "name": "Nghỉ bổ sung",
            "source": "Quyết định của UBND tỉnh",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    entry = AuditEntry.objects.get(action="worktime.calendarday.create")
    assert entry.actor == org["quantri"]
    assert calendar_for_unit(None).is_working_day(date(2026, 12, 3)) is False


def test_the_deadline_command_answers_in_vietnam_time(org, capsys):
    assert run(capsys, "deadline", "--start", "2026-11-27T16:00", "--duration", "180m") == (
        "2026-11-30T09:30+07:00"
    )
    # An offset in the input is honoured: 09:00 UTC is 16:00 in Vietnam.
    assert run(capsys, "deadline", "--start", "2026-11-27T09:00+00:00", "--duration", "180m") == (
        "2026-11-30T09:30+07:00"
    )
    assert (
        run(capsys, "worktime", "--from", "2026-11-27T16:00", "--to", "2026-11-30T09:30") == "180"
    )


def test_the_holidays_command_lists_names_and_make_up_days(db, capsys):
    out = run(capsys, "holidays", "--year", "2026")
    assert "2026-01-10  Thứ Bảy" in out and "Ngày làm bù" in out
    assert "Quốc khánh" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["deadline", "--start", "27/11/2026", "--duration", "180m"], "--start"),
        (["deadline", "--start", "2026-11-27T16:00", "--duration", "3 tuần"], "--duration"),
        (
            ["deadline", "--start", "2026-11-27T16:00", "--duration", "3d", "--unit", "KHONG"],
            "không có đơn vị",
        ),
        (["worktime", "--from", "hôm qua", "--to", "2026-11-30T09:30"], "--from"),
        (["holidays", "--year", "20x6"], "--year"),
    ],
)
def test_bad_input_gets_a_vietnamese_error_and_exit_code_2(db, args, message):
    with pytest.raises(CommandError, match=message) as error:
        call_command(*args)
    assert error.value.returncode == 2


def test_the_cli_process_exits_2_with_one_line(db):
    result = subprocess.run(
        [sys.executable, "-m", "motcua", "deadline", "--start", "x", "--duration", "180m"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "thời điểm không hợp lệ" in result.stderr
