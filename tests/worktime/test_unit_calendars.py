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
    UnitCalendar.objects.create(
        unit=org.units["PC06"], saturday_sessions="07:30-11:30", saturday_counts=True
    )
    team = Unit.objects.create(
        code="PC06-DOI1", name="Đội cấp căn cước", kind=UnitKind.OTHER, parent=org.units["PC06"]
    )

    assert due_at(unit=team, start=FRIDAY_16H, duration="180m").isoformat() == (
        "2026-11-28T09:30:00+07:00"  # Saturday morning counts for PC06 and its teams
    )
    assert due_at(unit=org.units["VINHPHU"], start=FRIDAY_16H, duration="180m").isoformat() == (
        "2026-11-30T09:30:00+07:00"  # a commune without Saturday sessions: Monday
    )


def test_saturday_reception_does_not_count_towards_deadlines_by_default(org):
    # PC06 receives on Saturday mornings (the demo's calendar), but the flag is off: deadlines
    # count Monday to Friday. Fri 27 Nov 16:00 + 180m: 60 on Friday, 120 on Monday from 07:30.
    UnitCalendar.objects.create(unit=org.units["PC06"], saturday_sessions="07:30-11:30")
    pc06 = org.units["PC06"]

    assert due_at(unit=pc06, start=FRIDAY_16H, duration="180m").isoformat() == (
        "2026-11-30T09:30:00+07:00"
    )
    # 1 working day from Friday 10:00 is Monday 10:00, not Saturday 10:00.
    friday_10h = FRIDAY_16H.replace(hour=10)
    assert due_at(unit=pc06, start=friday_10h, duration="1d").isoformat() == (
        "2026-11-30T10:00:00+07:00"
    )
    # A dossier received on Saturday morning starts its clock on Monday at 07:30; 1 working day
    # ends at Tuesday's opening, given as Monday's close.
    saturday_9h = datetime(2026, 11, 28, 9, 0, tzinfo=VN_TZ)
    assert due_at(unit=pc06, start=saturday_9h, duration="1d").isoformat() == (
        "2026-11-30T17:00:00+07:00"
    )


def test_saturday_sessions_count_when_the_units_calendar_says_so(org):
    UnitCalendar.objects.create(
        unit=org.units["PC06"], saturday_sessions="07:30-11:30", saturday_counts=True
    )
    friday_10h = FRIDAY_16H.replace(hour=10)

    assert due_at(unit=org.units["PC06"], start=friday_10h, duration="1d").isoformat() == (
        "2026-11-28T10:00:00+07:00"
    )


def test_a_make_up_saturday_counts_even_without_the_flag(org):
    # Sat 22 Aug 2026 is the official make-up day for Mon 31 Aug; PC06's own Saturday sessions do
    # not count, the national make-up day does (with full weekday sessions).
    UnitCalendar.objects.create(unit=org.units["PC06"], saturday_sessions="07:30-11:30")
    friday = datetime(2026, 8, 21, 15, 0, tzinfo=VN_TZ)

    assert due_at(unit=org.units["PC06"], start=friday, duration="1d").isoformat() == (
        "2026-08-22T15:00:00+07:00"
    )
    # 180m: 120 on Friday afternoon, 60 on the make-up Saturday from 07:30.
    assert due_at(unit=org.units["PC06"], start=friday, duration="180m").isoformat() == (
        "2026-08-22T08:30:00+07:00"
    )


def test_the_spec_cases_hold_for_a_unit_in_the_database(org):
    vinh_phu = org.units["VINHPHU"]
    wednesday = datetime(2026, 12, 2, 7, 30, tzinfo=VN_TZ)
    assert due_at(unit=vinh_phu, start=wednesday, duration="7d").isoformat() == (
        "2026-12-10T17:00:00+07:00"
    )
    assert (
        due_at(unit=vinh_phu, start=wednesday.replace(hour=13), duration="1d").isoformat()
        == "2026-12-03T11:30:00+07:00"
    )


def test_24_november_is_a_provisional_holiday_with_its_source(db):
    for year in (2026, 2027):
        day = CalendarDay.objects.get(day=date(year, 11, 24))
        assert day.provisional is True
        assert day.kind == DayKind.HOLIDAY
        assert "80-NQ/TW" in day.source and "30/NQ-CP" in day.source
    assert not CalendarDay.objects.filter(day=date(2025, 11, 24)).exists()
    # Counted as a holiday meanwhile: Mon 23 Nov 16:00 + 180m skips Tuesday 24.
    assert due_at(
        unit=None, start=datetime(2026, 11, 23, 16, 0, tzinfo=VN_TZ), duration="180m"
    ) == (datetime(2026, 11, 25, 9, 30, tzinfo=VN_TZ))


def test_an_administrator_confirms_a_provisional_day_in_the_admin(client, org):
    day = CalendarDay.objects.get(day=date(2026, 11, 24))
    client.force_login(org["quantri"])
    listing = client.get("/quan-tri/worktime/calendarday/?provisional__exact=1")
    assert "Nghị quyết 80-NQ/TW" in listing.content.decode()

    response = client.post(
        "/quan-tri/worktime/calendarday/",
        {"action": "confirm", "_selected_action": [day.pk]},
        follow=True,
    )

    assert "Đã xác nhận 1 ngày nghỉ." in response.content.decode()
    day.refresh_from_db()
    assert day.provisional is False
    assert not calendar_for_unit(None).is_working_day(date(2026, 11, 24))
    entry = AuditEntry.objects.get(action="worktime.calendarday.confirm")
    assert entry.actor == org["quantri"] and entry.object_id == str(day.pk)


def test_removing_the_provisional_day_makes_24_november_a_working_day(client, org):
    day = CalendarDay.objects.get(day=date(2026, 11, 24))
    client.force_login(org["quantri"])

    response = client.post(f"/quan-tri/worktime/calendarday/{day.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert calendar_for_unit(None).is_working_day(date(2026, 11, 24))
    assert AuditEntry.objects.filter(action="worktime.calendarday.delete").exists()


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
    # The README's day-based example: a due on Friday's opening is printed as Thursday's close.
    assert run(capsys, "deadline", "--start", "2026-12-02T07:30", "--duration", "7d") == (
        "2026-12-10T17:00+07:00"
    )


def test_the_holidays_command_lists_names_and_make_up_days(db, capsys):
    out = run(capsys, "holidays", "--year", "2026")
    assert "2026-01-10  Thứ Bảy" in out and "Ngày làm bù" in out
    assert "Quốc khánh" in out
    culture_day = next(line for line in out.splitlines() if line.startswith("2026-11-24"))
    assert "Ngày Văn hóa Việt Nam" in culture_day
    assert "tạm thời, chờ xác nhận" in culture_day
    assert "Nghị quyết 80-NQ/TW" in culture_day and "Nghị quyết 30/NQ-CP" in culture_day
    assert "tạm thời" not in next(line for line in out.splitlines() if "Quốc khánh" in line)


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
