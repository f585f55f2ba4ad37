"""Moves of residence as a hand-over with minutes; the revocation dossier after a review
meeting and two more violations; the reception minutes print."""

from datetime import date

import pytest

from motcua.sentences import services
from motcua.sentences.models import Task, TaskKind, Transfer
from motcua.sentences.services import SentenceError
from tests.sentences.conftest import local


def test_a_move_hands_the_file_and_its_open_timers_to_the_new_ward(client, org, people, new_case):
    case = new_case()
    client.force_login(people["thaha.vinhphu"])
    base = f"/can-bo/thi-hanh-an/ho-so/{case.code}/"
    client.post(base + "muc-dich/", {"purpose": "Theo dõi"})
    response = client.post(
        base + "thao-tac/transfer/",
        {
            "to_commune": org.units["THANHVINH"].pk,
            "new_address": "Khối 2, phường Thành Vinh",
            "minutes": "Bàn giao hồ sơ gồm 12 tài liệu.",
        },
    )
    # The old ward no longer reads the file; the new one does, with its history.
    assert response.status_code == 302 and response["Location"].endswith("/ho-so/")
    assert client.get(base).status_code == 404
    case.refresh_from_db()
    assert case.commune.code == "THANHVINH" and case.officer is None
    assert not Task.objects.filter(case=case, is_open=True).exclude(commune__code="THANHVINH")
    move = Transfer.objects.get(case=case)
    assert (move.from_commune.code, move.minutes) == ("VINHPHU", "Bàn giao hồ sơ gồm 12 tài liệu.")
    client.force_login(people["thaha.thanhvinh"])
    client.post(base + "muc-dich/", {"purpose": "Tiếp nhận hồ sơ chuyển đến"})
    page = client.get(base).content.decode()
    assert "Công an phường Vinh Phú → Công an phường Thành Vinh" in page


def test_a_move_to_a_closed_unit_is_refused(org, people, new_case):
    case = new_case()
    with pytest.raises(SentenceError, match="đang hoạt động"):
        services.case_transfer(
            actor=people["thaha.vinhphu"],
            case=case,
            to_commune=org.units["NGHIPHU"],
            new_address="Nghi Phú",
            minutes="x",
        )
    assert not Transfer.objects.exists()


def test_revocation_needs_a_review_meeting_and_two_more_violations(people, new_case):
    officer = people["thaha.vinhphu"]
    case = new_case()

    def violate(day):
        services.violation_record(
            actor=officer,
            case=case,
            on=day,
            description="Không trình diện",
            at=local(day.year, day.month, day.day, 10, 0),
        )

    violate(date(2026, 4, 6))
    with pytest.raises(SentenceError, match="Chưa họp kiểm điểm"):
        services.revocation_request(actor=officer, case=case)
    services.task_complete(
        actor=officer,
        case=case,
        kind=TaskKind.REVIEW_MEETING,
        period=date(2026, 4, 6),
        at=local(2026, 4, 9, 14, 0),
    )
    violate(date(2026, 5, 11))
    with pytest.raises(SentenceError, match="hiện có 1 lần"):
        services.revocation_request(actor=officer, case=case)
    violate(date(2026, 6, 8))
    services.revocation_request(actor=officer, case=case)
    case.refresh_from_db()
    assert case.revocation_pending
    assert "Đang đề nghị hủy bỏ, thu hồi quyết định." in services.completion_blockers(case)


def test_the_reception_minutes_print(client, people, new_case):
    case = new_case()
    services.case_receive(actor=people["thaha.vinhphu"], case=case, at=local(2026, 2, 25, 14, 0))
    client.force_login(people["thaha.vinhphu"])
    base = f"/can-bo/thi-hanh-an/ho-so/{case.code}/"
    client.post(base + "muc-dich/", {"purpose": "Theo dõi"})
    pdf = client.get(base + "bien-ban-tiep-nhan.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    month = client.get("/can-bo/thi-hanh-an/danh-sach-thang.pdf?thang=03/2026")
    assert month.status_code == 200 and month.content.startswith(b"%PDF")
