"""The screens, end to end through the test client: the agency opens a case, the ward
receives the person, a phone check-in, an assessment, an absence, the certificate."""

import re
from datetime import date

from django.core.management import call_command

from motcua.org.models import Unit, UnitKind, User
from motcua.org.roles import Role
from motcua.sentences import services
from motcua.sentences.models import Case, CaseStatus, Task, TaskKind
from tests.sentences.conftest import case_data, local

FORM = {
    "full_name": "Trần Thị Bình",
    "birth_date": "02/01/2001",
    "id_number": "040301012345",
    "address": "Khối 5, phường Vinh Phú",
    "court": "Tòa án nhân dân khu vực 1 - Nghệ An",
    "decision_number": "22/2026/HS-ST",
    "decision_date": "05/01/2026",
    "kind": "suspended",
    "term_months": "12",
    "file_received_on": "12/02/2026",
    "crime_summary": "Đánh bạc",
}


def test_the_agency_opens_a_case_and_the_ward_sees_it_to_the_end(client, org, people, time_machine):
    time_machine.move_to(local(2026, 2, 12, 9, 0))
    client.force_login(people["thaha.pc10"])
    created = client.post(
        "/can-bo/thi-hanh-an/ho-so/tao-moi/", {**FORM, "commune": org.units["VINHPHU"].pk}
    )
    assert created.status_code == 302
    case = Case.objects.get()
    assert case.commune.code == "VINHPHU" and case.end_on == date(2027, 2, 11)

    # The worker flags the assignment when 3 working days pass without an officer.
    time_machine.move_to(local(2026, 2, 24, 9, 5))
    call_command("run_worker", "--once")
    assert Task.objects.get(case=case, kind=TaskKind.ASSIGN).overdue

    officer = people["thaha.vinhphu"]
    client.force_login(officer)
    todo = client.get("/can-bo/thi-hanh-an/viec-can-lam/").content.decode()
    assert case.code in todo and "Quá hạn" in todo
    base = f"/can-bo/thi-hanh-an/ho-so/{case.code}/"

    def sign_in_and_declare():
        # Staff sessions end after idle time: each day starts with a sign-in, and the first
        # read of the case in a session asks its purpose again.
        client.force_login(officer)
        assert client.get(base).status_code == 302
        client.post(base + "muc-dich/", {"purpose": "Theo dõi, quản lý người chấp hành án"})

    sign_in_and_declare()
    client.post(base + "thao-tac/assign/", {"officer": officer.pk})
    time_machine.move_to(local(2026, 2, 25, 14, 0))
    sign_in_and_declare()
    received = client.post(base + "thao-tac/receive/", follow=True).content.decode()
    code = re.search(r"chỉ hiện một lần\): (\d{6})", received).group(1)
    link = re.search(r'data-testid="checkin-url">[^<]*(/thi-hanh-an/diem-danh/[^<]+)<', received)

    time_machine.move_to(local(2026, 3, 3, 7, 40))
    client.logout()
    phone = client.post(link.group(1), {"code": code})
    assert 'data-testid="checked-in"' in phone.content.decode()

    time_machine.move_to(local(2026, 3, 4, 9, 0))
    sign_in_and_declare()
    client.post(base + "thao-tac/assess/", {"period": "02/2026", "rating": "tot"})
    refused = client.post(
        base + "thao-tac/absence/",
        {
            "start_on": "01/04/2026",
            "end_on": "15/06/2026",
            "destination": "Đà Nẵng",
            "reason": "Làm việc",
        },
        follow=True,
    ).content.decode()
    assert "Không chấp thuận: Mỗi lần vắng mặt không quá 60 ngày; đơn xin 76 ngày." in refused

    early = client.post(base + "thao-tac/complete/")
    assert early.status_code == 400
    assert "Chưa hết thời hạn" in early.content.decode()

    time_machine.move_to(local(2027, 2, 11, 8, 0))
    sign_in_and_declare()
    client.post(base + "thao-tac/complete/")
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
    done = {t.kind: t.done_at is not None for t in Task.objects.filter(case=case, period=None)}
    assert done == {
        TaskKind.ASSIGN: True,
        TaskKind.RECEPTION_REPORT: False,
        TaskKind.PLAN: False,
        TaskKind.HANDBACK: False,
        TaskKind.COMPLETION: True,
    }


def test_the_dashboard_counts_by_hand(client, org, people, new_case, time_machine):
    # Two suspended sentences and one reform in Vinh Phú, one suspended in Thành Vinh.
    a = new_case()
    new_case()
    new_case(kind="reform", term_months=6)
    new_case(actor="thaha.pc10", commune=org.units["THANHVINH"])
    services.case_receive(actor=people["thaha.vinhphu"], case=a, at=local(2026, 2, 25, 14, 0))
    services.checkin_record(
        actor=people["thaha.vinhphu"], case=a, how="office", at=local(2026, 3, 2, 8, 0)
    )
    time_machine.move_to(local(2026, 3, 10, 9, 0))
    from motcua.sentences.watch import sentence_watch

    sentence_watch()

    client.force_login(people["lanhdao.vinhphu"])
    d = client.get("/can-bo/thi-hanh-an/thong-ke/").context["d"]
    assert d["supervising"] == 3
    assert dict(d["by_kind"]) == {"Án treo": 2, "Cải tạo không giam giữ": 1}
    # March check-ins: 3 due, 1 done. February assessments: 3 due, none done.
    assert (d["checkins"]["done"], d["checkins"]["total"]) == (1, 3)
    assert (d["assessed"]["done"], d["assessed"]["total"]) == (0, 3)
    # Overdue by 10/03: each case's assignment (24/02), its February assessment and its March
    # check-in (06/03) except a's check-in, and a's report (02/03) and plan (04/03): 3+3+2+2.
    assert d["overdue"] == 10

    # The province (its subtree holds every commune, so no list of unit ids): Thành Vinh's
    # case adds its assignment, February assessment and March check-in to the overdue ones.
    client.force_login(people["thaha.pc10"])
    province = client.get("/can-bo/thi-hanh-an/thong-ke/").context["d"]
    assert province["supervising"] == 4
    assert dict(province["by_kind"]) == {"Án treo": 3, "Cải tạo không giam giữ": 1}
    assert (province["checkins"]["done"], province["checkins"]["total"]) == (1, 4)
    assert (province["assessed"]["done"], province["assessed"]["total"]) == (0, 4)
    assert province["overdue"] == 13

    # Another province's commune and case: now the province's counts go by its unit ids, and
    # the other case (with its own due and overdue timers) is counted in none of them.
    other = Unit.objects.create(kind=UnitKind.PROVINCIAL_POLICE, code="CAHT", name="CA Hà Tĩnh")
    commune = Unit.objects.create(
        parent=other, kind=UnitKind.COMMUNE_POLICE, code="XHT1", name="Công an xã Hà Tĩnh 1"
    )
    outsider = User.objects.create(username="thaha.xht1", role=Role.SENTENCE_OFFICER, unit=commune)
    services.case_create(actor=outsider, **case_data(org, commune=commune))
    sentence_watch()
    assert Task.objects.filter(commune=commune, overdue=True).count() == 3
    assert client.get("/can-bo/thi-hanh-an/thong-ke/").context["d"] == province
