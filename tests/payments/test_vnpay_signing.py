"""VNPay 2.1.0 signing, checked against a vector worked out here from the published rules:
the vnp_* parameters sorted by name, values URL-encoded with spaces as '+', joined by '&', and
HMAC-SHA512 of that string keyed with the hash secret, in hex."""

import hashlib
import hmac
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit

import pytest

from motcua.payments.providers import BadSignature
from motcua.payments.vnpay import VNPay, signature_valid

SECRET = "TESTSECRET0123456789"
GATEWAY = VNPay(tmn_code="MOTCUA01", hash_secret=SECRET, url="https://sandbox.example/pay")

# 02:30 UTC is 09:30 in Vietnam (GMT+7); the order may be paid for 15 minutes.
CREATED = datetime(2026, 11, 30, 2, 30, 5, tzinfo=UTC)
EXPECTED_DATA = (
    "vnp_Amount=1500000"
    "&vnp_Command=pay"
    "&vnp_CreateDate=20261130093005"
    "&vnp_CurrCode=VND"
    "&vnp_ExpireDate=20261130094505"
    "&vnp_IpAddr=203.0.113.7"
    "&vnp_Locale=vn"
    "&vnp_OrderInfo=Nop+phi+ho+so+H40-261130-0001"
    "&vnp_OrderType=other"
    "&vnp_ReturnUrl=https%3A%2F%2Fmotcua.example%2Fthanh-toan%2Fket-qua%2F"
    "&vnp_TmnCode=MOTCUA01"
    "&vnp_TxnRef=A1B2C3"
    "&vnp_Version=2.1.0"
)


def test_it_signs_the_redirect_as_vnpay_publishes():
    url = GATEWAY.payment_url(
        txn_ref="A1B2C3",
        amount=15000,
        order_info="Nop phi ho so H40-261130-0001",
        return_url="https://motcua.example/thanh-toan/ket-qua/",
        client_ip="203.0.113.7",
        created_at=CREATED,
    )
    expected_hash = hmac.new(SECRET.encode(), EXPECTED_DATA.encode(), hashlib.sha512).hexdigest()

    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://sandbox.example/pay"
    assert parts.query == f"{EXPECTED_DATA}&vnp_SecureHash={expected_hash}"


def signed(params, secret=SECRET):
    data = "&".join(f"{k}={v}" for k, v in sorted(params.items()))  # plain values: no encoding
    return {
        **params,
        "vnp_SecureHash": hmac.new(secret.encode(), data.encode(), hashlib.sha512).hexdigest(),
    }


RETURN = {
    "vnp_Amount": "1500000",
    "vnp_ResponseCode": "00",
    "vnp_TmnCode": "MOTCUA01",
    "vnp_TransactionNo": "14226112",
    "vnp_TransactionStatus": "00",
    "vnp_TxnRef": "A1B2C3",
}


def test_it_reads_a_signed_answer_in_dong():
    notice = GATEWAY.read(signed(RETURN))
    assert (notice.txn_ref, notice.amount, notice.success) == ("A1B2C3", 15000, True)
    assert notice.transaction_no == "14226112"


def test_it_reads_a_cancelled_payment_as_not_paid():
    assert not GATEWAY.read(signed(dict(RETURN, vnp_ResponseCode="24"))).success


@pytest.mark.parametrize(
    "tamper",
    [
        lambda p: dict(p, vnp_Amount="150000000"),  # the amount changed after signing
        lambda p: dict(p, vnp_ResponseCode="00", vnp_TxnRef="OTHER"),
        lambda p: dict(p, vnp_SecureHash=p["vnp_SecureHash"][:-2] + "00"),
        lambda p: {k: v for k, v in p.items() if k != "vnp_SecureHash"},
    ],
)
def test_it_refuses_anything_altered_after_signing(tamper):
    with pytest.raises(BadSignature):
        GATEWAY.read(tamper(signed(RETURN)))


def test_it_refuses_a_signature_made_with_another_secret():
    with pytest.raises(BadSignature):
        GATEWAY.read(signed(RETURN, secret="SOMEBODY-ELSE"))


def test_it_refuses_another_merchants_answer():
    with pytest.raises(BadSignature):
        GATEWAY.read(signed(dict(RETURN, vnp_TmnCode="OTHER001")))


def test_an_amount_that_is_not_whole_dong_matches_no_order():
    assert GATEWAY.read(signed(dict(RETURN, vnp_Amount="1500050"))).amount is None


def test_the_ipn_answers_use_vnpays_codes():
    from motcua.payments.providers import IpnResult

    codes = {r: GATEWAY.ipn_answer(r)["RspCode"] for r in IpnResult}
    assert codes == {
        IpnResult.CONFIRMED: "00",
        IpnResult.UNKNOWN_ORDER: "01",
        IpnResult.ALREADY_CONFIRMED: "02",
        IpnResult.WRONG_AMOUNT: "04",
        IpnResult.BAD_SIGNATURE: "97",
        IpnResult.ERROR: "99",
    }


def test_it_encodes_vietnamese_and_reserved_characters_and_still_verifies():
    url = GATEWAY.payment_url(
        txn_ref="X1",
        amount=7000,
        order_info="Nộp phí & lệ phí",
        return_url="http://127.0.0.1:8000/thanh-toan/ket-qua/?a=1",
        client_ip="::1",
        created_at=CREATED,
    )
    params = dict(parse_qsl(urlsplit(url).query))
    assert params["vnp_OrderInfo"] == "Nộp phí & lệ phí"
    assert params["vnp_ReturnUrl"] == "http://127.0.0.1:8000/thanh-toan/ket-qua/?a=1"
    # What the gateway receives decoded still carries a valid signature (Vietnamese, "&", "?").
    assert signature_valid(params, SECRET)
    assert not signature_valid(dict(params, vnp_Amount="1"), SECRET)
