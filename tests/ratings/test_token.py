"""Nguyễn Thị Lan's one-time rating link: given with the result, used once, never guessed."""

import base64
import re
import secrets
from datetime import timedelta

import pytest
from django.db import connection

from motcua.ratings.models import Rating, RatingToken
from motcua.ratings.tokens import rating_link_for, token_find, token_hash
from tests.ratings.conftest import answers, form_data


def token_in(link: str) -> str:
    return re.fullmatch(r"http://[^/]+/danh-gia/([^/]+)/", link).group(1)


@pytest.fixture
def link(ready):
    return rating_link_for(ready)


@pytest.fixture
def path(link):
    return f"/danh-gia/{token_in(link)}/"


def test_there_is_no_link_before_the_result(received):
    assert rating_link_for(received) is None
    assert not RatingToken.objects.exists()


def test_the_result_comes_with_a_link(ready, link):
    assert RatingToken.objects.filter(dossier=ready).count() == 1  # issued at approval
    assert link.startswith("http://127.0.0.1:8000/danh-gia/")
    assert rating_link_for(ready) == link  # the same link every time it is shown


def test_the_token_is_256_random_bits_and_only_its_hash_is_stored(ready, make_ready, link):
    token = token_in(link)
    assert len(token) == 43
    assert len(base64.urlsafe_b64decode(token + "=")) == 32  # 256 bits, from HMAC-SHA256
    other = token_in(rating_link_for(make_ready("vinhphu")))
    assert other != token
    row = RatingToken.objects.get(dossier=ready)
    assert row.token_hash == token_hash(token) != token
    with connection.cursor() as cursor:
        cursor.execute("SELECT salt, token_hash FROM ratings_ratingtoken")
        stored = " ".join(v for r in cursor.fetchall() for v in r)
    assert token not in stored and other not in stored


def test_the_form_asks_the_nine_questions(client, path, ready):
    html = client.get(path).content.decode()
    assert ready.code in html
    assert "Đánh giá mức độ hài lòng" in html
    assert html.count('type="radio"') == 27  # nine questions, three answers each
    assert "Thái độ của cán bộ khi hướng dẫn, tiếp nhận hồ sơ" in html
    assert "Nguyễn Thị Lan" not in html and ready.applicant_id_number not in html


def test_a_rating_is_given_once_and_a_second_one_is_refused(client, path, ready):
    first = answers(thai_do=1)
    response = client.post(path, form_data(first, che_do="moi", comment="Cán bộ nhiệt tình"))
    assert response.status_code == 302
    rating = Rating.objects.get(dossier=ready)
    assert (rating.total, rating.channel, rating.comment) == (17, "online", "Cán bộ nhiệt tình")
    assert RatingToken.objects.get(dossier=ready).used_at is not None

    done = client.get(response["Location"]).content.decode()
    assert "Cảm ơn ông/bà đã đánh giá" in done and "17/18 điểm" in done

    again = client.post(path, form_data(answers(thai_do=0), che_do="moi"))
    assert again.status_code == 409
    assert "Mỗi hồ sơ chỉ được đánh giá một lần" in again.content.decode()
    assert Rating.objects.count() == 1
    assert Rating.objects.get(dossier=ready).scores == first


def test_it_can_be_changed_for_24_hours_then_it_is_locked(client, path, ready, friday_16h):
    client.post(path, form_data(answers(), che_do="moi"))
    friday_16h.shift(timedelta(hours=23, minutes=59))
    changed = client.post(path, form_data(answers(ket_qua=1), che_do="sua"))
    assert changed.status_code == 302
    assert Rating.objects.get(dossier=ready).total == 17

    friday_16h.shift(timedelta(minutes=1))  # 24 hours after it was given
    page = client.get(path).content.decode()
    assert "Đánh giá đã được khóa" in page and 'name="che_do" value="sua"' not in page
    late = client.post(path, form_data(answers(ket_qua=0), che_do="sua"))
    assert late.status_code == 409
    assert "khóa sau 24 giờ" in late.content.decode()
    rating = Rating.objects.get(dossier=ready)
    assert (rating.total, rating.changes) == (17, 1)


@pytest.mark.parametrize(
    "forged",
    [
        lambda t: secrets.token_urlsafe(32),  # right shape, never issued
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # one character changed
        lambda t: t[:20],
        lambda t: t + "x",
        lambda t: '"><img src=x onerror=alert(1)>',
        lambda t: "a" * 400,
    ],
)
def test_a_forged_token_is_a_vietnamese_404(client, link, forged):
    response = client.get(f"/danh-gia/{forged(token_in(link))}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Liên kết đánh giá không hợp lệ" in html
    assert "<img src=x" not in html
    posted = client.post(f"/danh-gia/{forged(token_in(link))}/", form_data(answers()))
    assert posted.status_code == 404
    assert not Rating.objects.exists()


def test_token_find_takes_only_issued_tokens(link):
    assert token_find(token_in(link)) is not None
    assert token_find(None) is None
    assert token_find("") is None


def test_an_unused_link_expires_after_30_days(client, path, friday_16h):
    friday_16h.shift(timedelta(days=30))
    response = client.get(path)
    assert response.status_code == 410
    assert "hết hạn" in response.content.decode()
    assert client.post(path, form_data(answers(), che_do="moi")).status_code == 410
    assert not Rating.objects.exists()


def test_the_tracking_page_shows_the_link_only_with_the_secret(client, ready, path):
    by_code = client.get(f"/tra-cuu/{ready.code}/").content.decode()
    assert path not in by_code
    with_secret = client.post(f"/tra-cuu/{ready.code}/", {"ma_tra_cuu": ready.tracking_secret})
    html = with_secret.content.decode()
    assert f'href="{path}"' in html
    assert "Mời ông/bà đánh giá" in html


def test_the_tracking_page_shows_no_link_before_the_result(client, received):
    html = client.post(
        f"/tra-cuu/{received.code}/", {"ma_tra_cuu": received.tracking_secret}
    ).content.decode()
    assert "/danh-gia/" not in html
