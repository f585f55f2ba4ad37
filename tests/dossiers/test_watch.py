from datetime import datetime

from django.core import mail
from django.core.management import call_command

from motcua.dossiers.models import DeadlineFlag, Dossier, Notification
from motcua.dossiers.services import dossier_apologise, dossier_assign
from motcua.dossiers.watch import deadline_watch
from motcua.worktime.core import VN_TZ


def vn(*args):
    return datetime(*args, tzinfo=VN_TZ)


def test_it_marks_nearing_then_overdue_and_notifies_once(
    org, received, friday_16h, django_capture_on_commit_callbacks
):
    handler, leader = org["xuly.vinhphu"], org["lanhdao.vinhphu"]
    d = dossier_assign(actor=leader, dossier=received, version=received.version, handler=handler)
    # 180 minutes due Monday 09:30; the last 20% (36 minutes) starts at 08:54.
    assert d.warn_at == vn(2026, 11, 30, 8, 54)

    friday_16h.move_to(vn(2026, 11, 30, 9, 0))
    with django_capture_on_commit_callbacks(execute=True):
        first = deadline_watch()
        second = deadline_watch()
    assert (first.nearing, first.notices) == (1, 2)  # the handler and the leader
    assert (second.nearing, second.notices) == (0, 0)
    assert Dossier.objects.get(pk=d.pk).deadline_flag == DeadlineFlag.NEARING
    assert {m.to[0] for m in mail.outbox} == {handler.email, leader.email}

    friday_16h.move_to(vn(2026, 11, 30, 9, 31))
    call_command("run_worker", "--once")
    call_command("run_worker", "--once")
    assert Dossier.objects.get(pk=d.pk).deadline_flag == DeadlineFlag.OVERDUE
    assert Notification.objects.filter(user=handler, key__startswith="overdue:").count() == 1
    deadline_notices = Notification.objects.filter(user=handler).exclude(
        key__startswith="assigned:"
    )
    assert deadline_notices.count() == 2


def test_an_apology_does_not_clear_the_flag_the_legal_due_is_still_watched(
    org, received, friday_16h
):
    friday_16h.move_to(vn(2026, 11, 30, 9, 0))
    deadline_watch()
    d = Dossier.objects.get(pk=received.pk)
    assert d.deadline_flag == DeadlineFlag.NEARING
    d = dossier_apologise(
        actor=org["lanhdao.vinhphu"],
        dossier=d,
        version=d.version,
        new_due=vn(2026, 12, 1, 9, 30),
        reason="Chờ xác minh",
    )
    assert d.deadline_flag == DeadlineFlag.NEARING

    # 09:30 Monday, the due the law sets, passes: late, whatever the new appointment says.
    friday_16h.move_to(vn(2026, 11, 30, 9, 31))
    assert deadline_watch().overdue == 1
    assert Dossier.objects.get(pk=d.pk).deadline_flag == DeadlineFlag.OVERDUE
