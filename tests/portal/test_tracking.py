"""A citizen scans the receipt's QR: status by code, details only with the secret."""

import pytest

from motcua.portal.tracking import MAX_FAILED_SECRETS, mask_name


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


def test_it_finds_a_code_typed_in_lower_case_and_sends_to_the_printed_address(client, received):
    response = client.get(f"/tra-cuu/{received.code.lower()}/")
    assert response.status_code == 302
    assert response["Location"] == f"/tra-cuu/{received.code}/"

    searched = client.post("/tra-cuu/", {"ma_ho_so": f" {received.code.lower()} "}, follow=True)
    assert searched.status_code == 200
    assert received.code in searched.content.decode()


@pytest.mark.parametrize(
    "typed",
    [
        lambda s: f"{s[:4]}-{s[4:]}",
        lambda s: f"{s[:4]} {s[4:]}".lower(),
        lambda s: " ".join(s),
        lambda s: f" {s[:2]}–{s[2:4]} - {s[4:]} ",  # an en dash, as phones sometimes type it
    ],
)
def test_it_accepts_the_secret_with_spaces_or_dashes_in_any_case(client, received, typed):
    response = client.post(
        f"/tra-cuu/{received.code.lower()}/", {"ma_tra_cuu": typed(received.tracking_secret)}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tiếp nhận hồ sơ" in html
    assert "Mã tra cứu không đúng" not in html


def test_a_secret_with_vietnamese_letters_is_simply_wrong(client, received):
    response = client.post(f"/tra-cuu/{received.code}/", {"ma_tra_cuu": "ĐĂNGKÝ12"})
    assert response.status_code == 200
    assert "Mã tra cứu không đúng" in response.content.decode()


def test_the_citizen_sees_a_submitted_result_waiting_for_approval_and_the_new_appointment(
    client, org, received
):
    from motcua.dossiers.services import dossier_apologise, dossier_assign, dossier_submit

    leader, handler = org["lanhdao.vinhphu"], org["xuly.vinhphu"]
    d = dossier_assign(actor=leader, dossier=received, version=received.version, handler=handler)
    d = dossier_apologise(
        actor=leader, dossier=d, version=d.version, new_due="01/12/2026 16:00", reason="Chờ"
    )
    d = dossier_submit(actor=handler, dossier=d, version=d.version, result="Đã đăng ký")
    assert "Chờ phê duyệt" in client.get(f"/tra-cuu/{d.code}/").content.decode()
    html = client.post(f"/tra-cuu/{d.code}/", {"ma_tra_cuu": d.tracking_secret}).content.decode()
    assert "Đã trình lãnh đạo phê duyệt" in html
    # The appointment the apology gave the citizen, not the legal due it cannot move.
    assert "16:00 01/12/2026" in html and "09:30 30/11/2026" not in html
