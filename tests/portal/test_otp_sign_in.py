"""Citizens without an identity provider account sign in with a 6-digit code sent by e-mail or
SMS: 5 minutes, once, 5 wrong tries; throttled; never telling whether an account exists."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.core.cache import cache

from motcua.notify.sms import ConsoleSmsSender
from motcua.org.models import User
from motcua.portal.citizens import citizen_upsert
from motcua.portal.models import SignInCode

REQUEST = "/cong-dan/dang-nhap/ma/"
VERIFY = "/cong-dan/dang-nhap/ma/xac-nhan/"
ID = "040190002468"  # born 1990 in Nghệ An
CODE = re.compile(r"\b(\d{6})\b")
TOKENS = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')
SENT = "Nếu thông tin bạn nhập đúng, mã gồm 6 chữ số đã được gửi tới"
WRONG = "Mã không đúng hoặc đã hết hạn."
LOCKED = "Bạn đã nhập sai mã quá 5 lần."


@pytest.fixture(autouse=True)
def _fresh_counts(db):
    cache.clear()
    ConsoleSmsSender.sent.clear()
    yield
    cache.clear()


def ask(client, contact="lan@example.vn", id_number=ID, name="Phạm Thị Lan", **extra):
    return client.post(
        REQUEST, {"so_dinh_danh": id_number, "ho_ten": name, "lien_he": contact}, **extra
    )


def mailed_code() -> str:
    return CODE.search(mail.outbox[-1].body).group(1)


def other(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_the_right_code_from_the_mail_signs_a_new_citizen_in(client, db):
    response = ask(client)
    assert response.status_code == 302 and response["Location"] == VERIFY
    assert SENT in client.get(VERIFY).content.decode()
    assert mail.outbox[-1].to == ["lan@example.vn"]

    response = client.post(VERIFY, {"ma": mailed_code()})

    assert response.status_code == 302 and response["Location"] == "/cong-dan/"
    citizen = User.objects.get(id_number=ID)
    assert (citizen.last_name, citizen.first_name, citizen.email) == (
        "Phạm Thị",
        "Lan",
        "lan@example.vn",
    )
    assert "Bạn đang đăng nhập với tên Phạm Thị Lan." in client.get("/cong-dan/").content.decode()


def test_the_code_is_stored_hashed(client, db):
    ask(client)
    row = SignInCode.objects.get()
    assert mailed_code() not in (row.code_hash, row.salt)
    assert len(row.code_hash) == 64


def test_a_code_by_sms_signs_in_with_the_phone_number(client, db):
    ask(client, contact="+84 912 345 678")
    phone, text = ConsoleSmsSender.sent[-1]
    assert phone == "0912345678"

    client.post(VERIFY, {"ma": CODE.search(text).group(1)})

    assert User.objects.get(id_number=ID).phone == "0912345678"


def test_a_used_code_is_refused_the_second_time(client, db):
    ask(client)
    code = mailed_code()
    assert client.post(VERIFY, {"ma": code}).status_code == 302
    client.post("/cong-dan/dang-xuat/")

    # The same person (or whoever saw the code) tries it again, in a session that asked for it.
    session = SessionStore()
    session["otp_pending"] = {
        "id_number": ID,
        "channel": "email",
        "address": "lan@example.vn",
        "tries": 0,
        "next": "",
    }
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    response = client.post(VERIFY, {"ma": code})

    assert response.status_code == 400
    assert WRONG in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_expired_code_is_refused(client, db):
    ask(client)
    code = mailed_code()
    with time_machine.travel(timedelta(minutes=5, seconds=1)):
        response = client.post(VERIFY, {"ma": code})

    assert response.status_code == 400
    assert WRONG in response.content.decode()
    assert not User.objects.filter(id_number=ID).exists()


def test_a_code_is_still_good_just_before_five_minutes(client, db):
    ask(client)
    with time_machine.travel(timedelta(minutes=4, seconds=50)):
        assert client.post(VERIFY, {"ma": mailed_code()}).status_code == 302


def test_five_wrong_codes_lock_the_code_even_the_right_one_after(client, db):
    ask(client)
    code = mailed_code()
    pages = [client.post(VERIFY, {"ma": other(code)}).content.decode() for _ in range(5)]

    assert all(WRONG in p for p in pages[:4])
    assert LOCKED in pages[4]
    assert SignInCode.objects.get().failed_attempts == 5
    response = client.post(VERIFY, {"ma": code})
    assert response.status_code == 400 and LOCKED in response.content.decode()
    # A new browser session does not reopen it: the count is on the code.
    client.cookies.clear()
    ask(client)  # a new code is sent; the locked one stays locked
    assert SignInCode.objects.filter(failed_attempts=5).count() == 1
    assert client.post(VERIFY, {"ma": code}).status_code == 400
    assert not User.objects.filter(id_number=ID).exists()


def test_only_the_newest_code_counts(client, db):
    ask(client)
    first = mailed_code()
    second = first
    while second == first:  # one chance in a million that they are the same
        ask(client)
        second = mailed_code()
    assert client.post(VERIFY, {"ma": first}).status_code == 400
    assert client.post(VERIFY, {"ma": second}).status_code == 302


def test_no_code_goes_to_an_address_an_existing_account_does_not_have(client, db):
    """Else knowing someone's ID number would be enough to read their dossiers."""
    citizen_upsert(id_number=ID, full_name="Phạm Thị Lan", email="lan@example.vn")

    stranger = ask(client, contact="thief@example.vn", name="Kẻ Gian")
    page = client.get(VERIFY).content.decode()

    assert stranger.status_code == 302 and SENT in page  # the same answer as for anybody
    assert mail.outbox == []
    assert client.post(VERIFY, {"ma": "123456"}).status_code == 400
    assert User.objects.get(id_number=ID).get_full_name() == "Phạm Thị Lan"


def test_an_existing_citizen_gets_the_code_at_the_address_on_file(client, db):
    citizen = citizen_upsert(id_number=ID, full_name="Phạm Thị Lan", email="lan@example.vn")
    ask(client, contact="LAN@example.vn", name="Tên Khác")

    client.post(VERIFY, {"ma": mailed_code()})

    assert client.session["_auth_user_id"] == str(citizen.pk)
    assert User.objects.get(id_number=ID).get_full_name() == "Phạm Thị Lan"  # name kept


def test_a_staff_members_id_number_gets_no_code(client, org):
    User.objects.filter(username="tiepnhan.vinhphu").update(id_number=ID)

    response = ask(client, contact="tiepnhan.vinhphu@demo.motcua.vn")

    assert response.status_code == 302
    assert mail.outbox == []


def test_the_answers_do_not_tell_whether_an_account_exists(client, db):
    citizen_upsert(id_number=ID, full_name="Phạm Thị Lan", email="lan@example.vn")

    wrong = []

    def journey(contact):
        def text(response):  # what differs by design: the address typed, the CSRF tokens
            return TOKENS.sub(r"\1", response.content.decode().replace(contact, "ADDRESS"))

        client.cookies.clear()
        first = ask(client, contact=contact)
        if not wrong:  # a code that is surely not the one sent to the owner
            wrong.append(other(mailed_code()))
        page = text(client.get(VERIFY))
        tries = [client.post(VERIFY, {"ma": wrong[0]}) for _ in range(6)]
        return (
            first.status_code,
            first["Location"],
            page,
            [(t.status_code, text(t)) for t in tries],
        )

    assert journey("lan@example.vn") == journey("someone.else@example.vn")


def test_requests_are_throttled_per_address(client, db, settings):
    settings.OTP_ADDRESS_LIMIT = 3
    statuses = [ask(client, REMOTE_ADDR=f"203.0.113.{n}").status_code for n in range(4)]

    assert statuses == [302, 302, 302, 429]
    assert len(mail.outbox) == 3
    assert "Bạn đã yêu cầu mã quá nhiều lần" in ask(client).content.decode()
    assert ask(client, contact="khac@example.vn").status_code == 302


def test_requests_are_throttled_per_client_address(client, db, settings):
    settings.OTP_IP_LIMIT = 2
    statuses = [
        ask(client, contact=f"nguoi{n}@example.vn", REMOTE_ADDR="203.0.113.9").status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert ask(client, contact="nguoi9@example.vn", REMOTE_ADDR="203.0.113.10").status_code == 302


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("so_dinh_danh", "12345", "Số định danh cá nhân phải gồm đúng 12 chữ số."),
        ("so_dinh_danh", "999190002468", "Mã tỉnh nơi đăng ký khai sinh"),
        ("lien_he", "0123", "Nhập địa chỉ e-mail hoặc số điện thoại di động gồm 10 chữ số"),
        ("lien_he", "a@b", "Địa chỉ e-mail không hợp lệ."),
        ("ho_ten", "   ", "Trường này là bắt buộc"),
    ],
)
def test_bad_input_gets_a_vietnamese_message_and_sends_nothing(client, db, field, value, message):
    data = {"so_dinh_danh": ID, "ho_ten": "Phạm Thị Lan", "lien_he": "lan@example.vn"}
    response = client.post(REQUEST, {**data, field: value})

    assert response.status_code == 422
    assert message in response.content.decode()
    assert mail.outbox == [] and not SignInCode.objects.exists()


def test_a_code_that_is_not_six_digits_is_refused_without_counting(client, db):
    ask(client)
    response = client.post(VERIFY, {"ma": "12ab"})
    assert response.status_code == 422
    assert "Mã gồm đúng 6 chữ số." in response.content.decode()
    assert SignInCode.objects.get().failed_attempts == 0


def test_the_verify_page_without_a_request_sends_you_to_ask_first(client, db):
    assert client.get(VERIFY)["Location"] == REQUEST
    assert client.post(VERIFY, {"ma": "123456"})["Location"] == REQUEST


def test_it_returns_to_a_safe_next_page(client, db):
    client.post(
        REQUEST,
        {
            "so_dinh_danh": ID,
            "ho_ten": "Phạm Thị Lan",
            "lien_he": "lan@example.vn",
            "next": "/tthc/",
        },
    )
    assert client.post(VERIFY, {"ma": mailed_code()})["Location"] == "/tthc/"
