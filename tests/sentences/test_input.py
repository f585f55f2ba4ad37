"""Bad input gets a clear Vietnamese message and stores nothing; the section 9 limits."""

from datetime import date

import pytest
from django.core import signing

from motcua.audit.models import AuditEntry
from motcua.sentences import rules, services
from motcua.sentences.models import Absence, Case, CheckIn, Task
from motcua.sentences.services import SentenceError
from tests.sentences.conftest import case_data, local


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end_on": date(2026, 2, 1)}, "Ngày kết thúc trước ngày bắt đầu."),
        ({"term_months": 61}, "vượt mức tối đa luật định (60 tháng)"),
        ({"kind": "reform", "term_months": 37}, "vượt mức tối đa luật định (36 tháng)"),
        ({"end_on": date(2031, 3, 1)}, "vượt mức tối đa luật định (60 tháng)"),
        ({"id_number": "04009001234"}, "Số định danh cá nhân phải gồm đúng 12 chữ số."),
        ({"id_number": "999090012345"}, "Mã tỉnh nơi đăng ký khai sinh '999' không tồn tại."),
        ({"id_number": "040091012345"}, "Năm sinh trong số định danh cá nhân không khớp"),
        ({"decision_date": date(2026, 3, 1)}, "Ngày bản án, quyết định sau ngày nhận hồ sơ."),
        ({"kind": "probation"}, "tính từ ngày được trả tự do"),
        ({"term_months": 0}, "Chưa nhập thời hạn án treo."),
        ({"commune": "PC06"}, "phải là Công an cấp xã"),
    ],
)
def test_it_refuses_a_bad_case_and_stores_nothing(org, people, overrides, message):
    if overrides.get("commune") == "PC06":
        overrides["commune"] = org.units["PC06"]
    with pytest.raises(SentenceError, match=message.replace("(", r"\(").replace(")", r"\)")):
        services.case_create(actor=people["thaha.pc10"], **case_data(org, **overrides))
    assert not Case.objects.exists() and not Task.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="sentences.").exists()


def test_the_form_shows_the_error_and_keeps_what_was_typed(client, org, people):
    client.force_login(people["thaha.vinhphu"])
    response = client.post(
        "/can-bo/thi-hanh-an/ho-so/tao-moi/",
        {
            "commune": org.units["VINHPHU"].pk,
            "full_name": "Nguyễn Văn An",
            "birth_date": "17/05/1990",
            "id_number": "040090012345",
            "address": "Vinh Phú",
            "court": "TAND khu vực 1",
            "decision_number": "15/2026/HS-ST",
            "decision_date": "20/01/2026",
            "kind": "suspended",
            "term_months": "12",
            "file_received_on": "12/02/2026",
            "end_on": "01/01/2026",
        },
    )
    assert response.status_code == 400
    assert "Ngày kết thúc trước ngày bắt đầu." in response.content.decode()
    assert 'value="Nguyễn Văn An"' in response.content.decode()
    assert not Case.objects.exists()


def test_a_commune_cannot_open_a_case_for_its_sibling(org, people):
    with pytest.raises(SentenceError, match="không thuộc đơn vị"):
        services.case_create(
            actor=people["thaha.thanhvinh"], **case_data(org, commune=org.units["VINHPHU"])
        )
    assert not Case.objects.exists()


def test_it_refuses_an_absence_over_a_third_of_the_term_and_says_what_is_left(people, new_case):
    # 12 months from 12/02/2026 to 11/02/2027: 365 days, a third is 121 days.
    case = new_case()
    officer = people["thaha.vinhphu"]
    trip = {"destination": "TP Hồ Chí Minh", "reason": "Làm việc thời vụ"}
    first = services.absence_decide(
        actor=officer, case=case, start_on=date(2026, 3, 1), end_on=date(2026, 4, 29), **trip
    )
    second = services.absence_decide(
        actor=officer, case=case, start_on=date(2026, 6, 1), end_on=date(2026, 7, 30), **trip
    )
    assert (first.days, second.days) == (60, 60) and first.approved and second.approved
    # A medical stay does not count towards the third.
    medical = services.absence_decide(
        actor=officer,
        case=case,
        start_on=date(2026, 8, 1),
        end_on=date(2026, 8, 20),
        destination="Bệnh viện Bạch Mai",
        reason="Điều trị",
        medical=True,
    )
    assert medical.approved
    third = services.absence_decide(
        actor=officer, case=case, start_on=date(2026, 9, 1), end_on=date(2026, 9, 5), **trip
    )
    assert not third.approved
    assert third.refusal_reason == (
        "Tổng thời gian vắng mặt không quá một phần ba thời hạn (121 ngày); "
        "đã dùng 120 ngày, còn 1 ngày, đơn xin 5 ngày."
    )
    longer = services.absence_decide(
        actor=officer, case=case, start_on=date(2026, 9, 1), end_on=date(2026, 10, 31), **trip
    )
    assert longer.refusal_reason == "Mỗi lần vắng mặt không quá 60 ngày; đơn xin 61 ngày."
    assert Absence.objects.filter(approved=True).count() == 3


def test_the_absence_decision_prints(client, people, new_case):
    case = new_case()
    absence = services.absence_decide(
        actor=people["thaha.vinhphu"],
        case=case,
        start_on=date(2026, 3, 1),
        end_on=date(2026, 3, 31),
        destination="Hà Nội",
        reason="Thăm người thân",
    )
    client.force_login(people["thaha.vinhphu"])
    client.post(f"/can-bo/thi-hanh-an/ho-so/{case.code}/muc-dich/", {"purpose": "Theo dõi"})
    response = client.get(f"/can-bo/thi-hanh-an/ho-so/{case.code}/vang-mat/{absence.pk}.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_a_reform_reduction_becomes_possible_after_a_third_is_served(people, new_case):
    # 24 months from Mon 02/03/2026 to 01/03/2028: 731 days (29/02/2028 included). A third is
    # 243.67 days: served 243 days on 31/10/2026 (not enough), 244 on 01/11/2026.
    case = new_case(kind="reform", term_months=24, file_received_at=local(2026, 3, 2, 8, 0))
    assert case.end_on == date(2028, 3, 1)
    adult = rules.reform_reduction(start_on=case.start_on, end_on=case.end_on, under_18=False)
    assert adult.possible_on == date(2026, 11, 1)
    # Half must be served: 366 days; the 9-month cap is 275 days (02/03 to 02/12/2026).
    assert (adult.min_served_days, adult.max_reduction_days) == (366, 275)
    # Under 18: a quarter (182.75 -> 183 days: 01/09/2026), and 2/5 must be served (293).
    minor = rules.reform_reduction(start_on=case.start_on, end_on=case.end_on, under_18=True)
    assert (minor.possible_on, minor.min_served_days) == (date(2026, 9, 1), 293)


def test_the_case_page_shows_the_reduction_date(client, people, new_case):
    case = new_case(kind="reform", term_months=24, file_received_at=local(2026, 3, 2, 8, 0))
    client.force_login(people["thaha.vinhphu"])
    client.post(f"/can-bo/thi-hanh-an/ho-so/{case.code}/muc-dich/", {"purpose": "Theo dõi"})
    page = client.get(f"/can-bo/thi-hanh-an/ho-so/{case.code}/").content.decode()
    assert 'data-testid="possible-on">01/11/2026<' in page


# ---------------------------------------------------------------- the phone check-in page


def _received(people, new_case):
    case = new_case()
    code = services.case_receive(
        actor=people["thaha.vinhphu"], case=case, at=local(2026, 2, 25, 14, 0)
    )
    return case, code


def test_a_person_checks_in_with_the_link_and_the_code(client, people, new_case, time_machine):
    case, code = _received(people, new_case)
    time_machine.move_to(local(2026, 3, 3, 7, 45))
    url = f"/thi-hanh-an/diem-danh/{services.checkin_token(case)}/"
    form = client.get(url).content.decode()
    assert 'name="self_report"' in form  # a suspended sentence reports on itself monthly
    page = client.post(
        url,
        {
            "code": code,
            "lat": "18.679585",
            "lng": "105.681335",
            "self_report": "Tháng 02 tôi làm việc tại xưởng mộc, không vi phạm.",
        },
    )
    assert page.status_code == 200 and 'data-testid="checked-in"' in page.content.decode()
    row = CheckIn.objects.get(case=case)
    assert (row.how, float(row.latitude)) == ("phone", 18.679585)
    assert row.self_report == "Tháng 02 tôi làm việc tại xưởng mộc, không vi phạm."
    task = Task.objects.get(case=case, kind="checkin", period=date(2026, 3, 1))
    assert task.done_at is not None


def test_a_forged_link_or_a_wrong_code_records_nothing(client, people, new_case, time_machine):
    case, code = _received(people, new_case)
    time_machine.move_to(local(2026, 3, 3, 7, 45))
    token = services.checkin_token(case)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    other = signing.dumps({"c": case.pk}, salt="another-salt")
    for bad in (forged, other, "abc"):
        page = client.post(f"/thi-hanh-an/diem-danh/{bad}/", {"code": code})
        assert page.status_code == 404
        assert "Đường dẫn trình diện không hợp lệ" in page.content.decode()
    wrong = "000000" if code != "000000" else "111111"
    page = client.post(f"/thi-hanh-an/diem-danh/{token}/", {"code": wrong})
    assert page.status_code == 400 and "Mã trình diện không đúng." in page.content.decode()
    page = client.post(f"/thi-hanh-an/diem-danh/{token}/", {"code": code, "lat": "nan"})
    assert page.status_code == 400 and "Vị trí không hợp lệ." in page.content.decode()
    assert not CheckIn.objects.exists()


def test_a_shortened_probation_becomes_possible_at_half_the_term(new_case):
    # 12/02/2026–11/02/2027: 365 days. Half is 182.5 -> 183 days served on 14/08/2026
    # (16 days to 28/02, then 31+30+31+30+31 to 31/07 = 169, +14). At least 3/4 (273.75 -> 274)
    # must be served, so at most 91 days can be taken off.
    case = new_case()
    r = rules.shortened_probation(start_on=case.start_on, end_on=case.end_on)
    assert (r.possible_on, r.min_served_days, r.max_reduction_days) == (date(2026, 8, 14), 274, 91)
