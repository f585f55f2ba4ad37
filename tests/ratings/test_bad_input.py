"""Bad answers are refused with a Vietnamese message and store nothing; a comment is text."""

import re

import pytest

from motcua.audit.models import AuditEntry
from motcua.ratings.models import Rating
from motcua.ratings.services import InvalidRating, rating_submit
from motcua.ratings.tokens import rating_link_for
from tests.ratings.conftest import answers, form_data

SCRIPT = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def path(ready):
    return re.sub(r"^http://[^/]+", "", rating_link_for(ready))


def test_script_in_the_comment_is_stored_as_text_and_shown_escaped(client, org, path, ready):
    response = client.post(path, form_data(answers(), che_do="moi", comment=SCRIPT), follow=True)
    assert Rating.objects.get(dossier=ready).comment == SCRIPT
    html = response.content.decode()
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;" in html
    client.force_login(org["lanhdao.vinhphu"])
    staff = client.get(f"/can-bo/ho-so/{ready.code}/").content.decode()
    assert SCRIPT not in staff and "&lt;script&gt;" in staff


@pytest.mark.parametrize(
    "bad",
    [
        {"thoi_gian": "3"},
        {"thoi_gian": "-1"},
        {"so_lan_lien_he": "2.0"},
        {"cong_khai": "hai"},
        {"thai_do": ""},
        {"ket_qua": "99999999999999999999999"},
    ],
)
def test_out_of_range_answers_are_refused_and_nothing_is_stored(client, path, bad):
    response = client.post(path, {**form_data(answers(), che_do="moi"), **bad})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Vui lòng chọn một trong các câu trả lời" in html
    assert not Rating.objects.exists()
    assert not AuditEntry.objects.filter(action="rating.submit").exists()


def test_a_missing_answer_is_refused(client, path):
    data = form_data(answers(), che_do="moi")
    del data["phi_le_phi"]
    response = client.post(path, data)
    assert response.status_code == 422
    assert not Rating.objects.exists()


def test_an_overlong_comment_is_refused(client, path):
    response = client.post(path, form_data(answers(), che_do="moi", comment="x" * 2001))
    assert response.status_code == 422
    assert "Ý kiến dài quá 2000 ký tự" in response.content.decode()
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    "scores",
    [
        answers(thoi_gian=3),
        answers(thoi_gian=True),
        answers(thoi_gian="2"),
        {k: v for k, v in answers().items() if k != "ket_qua"},
        {**answers(), "them": 2},
    ],
)
def test_the_service_refuses_what_the_form_would(ready, scores):
    with pytest.raises(InvalidRating):
        rating_submit(dossier=ready, scores=scores, channel="online")
    assert not Rating.objects.exists()


def test_the_staff_dossier_page_shows_the_rating(client, org, ready):
    rating_submit(
        dossier=ready, scores=answers(cong_khai=1, phi_le_phi=0), comment="Tốt", channel="online"
    )
    client.force_login(org["tiepnhan.vinhphu"])
    html = client.get(f"/can-bo/ho-so/{ready.code}/").content.decode()
    assert 'data-testid="staff-rating"' in html
    assert "15/18 điểm" in html and "Xuất sắc" in html  # 18 - 1 - 2
    assert "Thu cao hơn hoặc thu thêm khoản ngoài quy định" in html
    assert "Trực tuyến (liên kết đánh giá)" in html


def test_an_unrated_dossier_page_has_no_rating_card(client, org, ready):
    client.force_login(org["tiepnhan.vinhphu"])
    assert (
        'data-testid="staff-rating"'
        not in client.get(f"/can-bo/ho-so/{ready.code}/").content.decode()
    )
