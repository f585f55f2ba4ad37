"""Fixtures: the dossier stories' received dossier (Vinh Phú, Friday 27/11/2026 16:00, frozen
time) and a complaint about it filed at that moment through the public service."""

import pytest

from tests.dossiers.conftest import citizen, desk_vinhphu, friday_16h, received, tam_tru  # noqa: F401

COMPLAINT = "Cán bộ hẹn trả kết quả nhưng đến hẹn vẫn chưa có, đề nghị kiểm tra."


@pytest.fixture
def complaint(received):  # noqa: F811
    """Nguyễn Thị Lan complains about her dossier, filed 16:00 Fri 27/11/2026."""
    from motcua.feedback.services import feedback_file

    return feedback_file(
        subject="dossier",
        name="Nguyễn Thị Lan",
        contact="0912345678",
        content=COMPLAINT,
        dossier_code=received.code,
        dossier_secret=received.tracking_secret,
        ip="203.0.113.9",
    )
