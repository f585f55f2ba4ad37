"""People of the sentence stories: the provincial criminal-execution agency (PC10, created here
as a province adds it), supervising officers of two sibling wards, and a case factory that goes
through the real service."""

from datetime import date, datetime

import pytest

from motcua.org.models import UnitKind, User
from motcua.org.roles import Role
from motcua.worktime.core import VN_TZ


def local(*args) -> datetime:
    return datetime(*args, tzinfo=VN_TZ)


@pytest.fixture
def people(org):
    agency = org.units["PC10"]  # in the demo organisation's units file
    assert agency.kind == UnitKind.DEPARTMENT and agency.parent.code == "CANA"
    made = {}
    for username, role, unit, (last, first) in [
        ("thaha.pc10", Role.SENTENCE_OFFICER, agency, ("Ngô Văn", "Bình")),
        ("lanhdao.pc10", Role.LEADER, agency, ("Đinh Thị", "Nga")),
        ("thaha.vinhphu", Role.SENTENCE_OFFICER, org.units["VINHPHU"], ("Lưu Văn", "Toàn")),
        ("thaha.thanhvinh", Role.SENTENCE_OFFICER, org.units["THANHVINH"], ("Hồ Thị", "Yến")),
    ]:
        made[username] = User.objects.create_user(
            username=username,
            password=org.password,
            role=role,
            unit=unit,
            last_name=last,
            first_name=first,
        )
    people = dict(org.people)
    people.update(made)
    return people


def case_data(org, **overrides):
    data = {
        "commune": org.units["VINHPHU"],
        "full_name": "Nguyễn Văn An",
        "birth_date": date(1990, 5, 17),
        "address": "Khối 3, phường Vinh Phú, Nghệ An",
        "id_number": "040090012345",
        "court": "Tòa án nhân dân khu vực 1 - Nghệ An",
        "decision_number": "15/2026/HS-ST",
        "decision_date": date(2026, 1, 20),
        "kind": "suspended",
        "term_months": 12,
        "file_received_at": local(2026, 2, 12, 9, 0),
        "crime_summary": "Trộm cắp tài sản (Điều 173 BLHS)",
    }
    data.update(overrides)
    return data


@pytest.fixture
def new_case(org, people):
    from motcua.sentences.services import case_create

    def make(actor="thaha.vinhphu", **overrides):
        return case_create(actor=people[actor], **case_data(org, **overrides))

    return make
