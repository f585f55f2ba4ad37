"""A citizen scans the receipt's QR: status by code, details only with the secret."""

import pytest
from django.core.cache import cache

from motcua.portal.tracking import MAX_FAILED_SECRETS, mask_name


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


def test_the_code_alone_shows_the_status_but_no_personal_data(client, received):
    html = client.get(f"/tra-cuu/{received.code}/").content.decode()
    assert "Chờ phân công" in html
    assert "Đăng ký tạm trú" in html
    assert "Nguyễn T. L." in html
    assert "Nguyễn Thị Lan" not in html
    assert received.applicant_id_number not in html
    assert "Tiếp nhận hồ sơ" not in html  # the steps need the secret


def test_the_secret_shows_the_steps_and_the_due_time(client, received):
    response = client.post(
        f"/tra-cuu/{received.code}/", {"ma_tra_cuu": received.tracking_secret.lower()}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tiếp nhận hồ sơ" in html
    assert "09:30 30/11/2026" in html
    assert received.applicant_id_number not in html


def test_a_wrong_secret_is_refused_and_guessing_is_throttled(client, received):
    for _ in range(MAX_FAILED_SECRETS):
        response = client.post(f"/tra-cuu/{received.code}/", {"ma_tra_cuu": "SAIMA123"})
        assert "Mã tra cứu không đúng" in response.content.decode()
    response = client.post(f"/tra-cuu/{received.code}/", {"ma_tra_cuu": received.tracking_secret})
    assert response.status_code == 429
    assert "quá nhiều lần" in response.content.decode()


def test_an_unknown_code_is_a_vietnamese_404(client, db):
    response = client.get("/tra-cuu/000.84.15.H40-261127-9999/")
    assert response.status_code == 404
    assert "Không tìm thấy hồ sơ" in response.content.decode()


def test_the_search_form_sends_the_citizen_to_the_dossier(client, received):
    response = client.post("/tra-cuu/", {"ma_ho_so": f"  {received.code} "})
    assert response.status_code == 302
    assert response["Location"] == f"/tra-cuu/{received.code}/"


@pytest.mark.parametrize(
    ("name", "masked"), [("Nguyễn Thị Lan", "Nguyễn T. L."), ("Lan", "L***"), ("", "")]
)
def test_names_are_masked(name, masked):
    assert mask_name(name) == masked
