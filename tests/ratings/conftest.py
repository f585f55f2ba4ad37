"""Fixtures: dossiers of Đăng ký tạm trú with their results ready at Vinh Phú and Thành Vinh,
received on Friday 27/11/2026 at 16:00 (frozen time), and answers to the nine questions."""

import pytest

from motcua.dossiers.services import dossier_assign, dossier_receive
from tests.dossiers.conftest import (  # noqa: F401
    citizen,
    desk_vinhphu,
    friday_16h,
    received,
    tam_tru,
)
from tests.dossiers.stories import all_documents, approved

ALL_TWO = {
    "thoi_gian": 2,
    "so_lan_lien_he": 2,
    "so_noi_lien_he": 2,
    "cong_khai": 2,
    "giay_to": 2,
    "thai_do": 2,
    "nhung_nhieu": 2,
    "ket_qua": 2,
    "phi_le_phi": 2,
}


def answers(**overrides) -> dict:
    return {**ALL_TWO, **overrides}


def form_data(scores: dict, **extra) -> dict:
    return {**{code: str(points) for code, points in scores.items()}, **extra}


def finish(org, dossier, slug):
    """The unit's leader assigns the dossier, its handler drafts the result, the leader approves."""
    leader, handler = org[f"lanhdao.{slug}"], org[f"xuly.{slug}"]
    d = dossier_assign(actor=leader, dossier=dossier, version=dossier.version, handler=handler)
    return approved(d, handler=handler, leader=leader)


@pytest.fixture
def ready(org, received):  # noqa: F811
    """Nguyễn Thị Lan's dossier at Vinh Phú, its result ready."""
    return finish(org, received, "vinhphu")


@pytest.fixture
def make_ready(org, tam_tru, citizen, friday_16h):  # noqa: F811
    """Another dossier received at the desk of `slug` ("vinhphu", "thanhvinh"), result ready."""

    def make(slug):
        unit = org.units[slug.upper()]
        d = dossier_receive(
            actor=org[f"tiepnhan.{slug}"],
            desk=unit.desks.get(),
            procedure_version=tam_tru,
            applicant=citizen,
            checklist=all_documents(),
        )
        return finish(org, d, slug)

    return make
