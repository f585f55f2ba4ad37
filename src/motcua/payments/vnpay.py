"""VNPay's payment gateway protocol, version 2.1.0 (redirect + IPN).

Every request and answer carries `vnp_SecureHash`: HMAC-SHA512, keyed with the merchant's hash
secret, over the `vnp_*` parameters sorted by name and joined as `key=value&...` with each value
URL-encoded (spaces as "+"), the hash parameters themselves left out. Amounts are đồng × 100.
Times are yyyyMMddHHmmss in Vietnam's time (GMT+7), whatever the server's zone.
"""

import hashlib
import hmac
from datetime import datetime, timedelta
from urllib.parse import quote_plus

from django.conf import settings
from django.urls import reverse

from motcua.payments.providers import BadSignature, IpnResult, Notice
from motcua.worktime.core import VN_TZ

VERSION = "2.1.0"
PAY_WINDOW = timedelta(minutes=15)  # vnp_ExpireDate: the gateway refuses to pay after it
HASH_FIELDS = ("vnp_SecureHash", "vnp_SecureHashType")

# VNPay's documented IPN answers.
IPN_ANSWERS = {
    IpnResult.CONFIRMED: ("00", "Confirm Success"),
    IpnResult.UNKNOWN_ORDER: ("01", "Order not found"),
    IpnResult.ALREADY_CONFIRMED: ("02", "Order already confirmed"),
    IpnResult.WRONG_AMOUNT: ("04", "Invalid amount"),
    IpnResult.BAD_SIGNATURE: ("97", "Invalid signature"),
    IpnResult.ERROR: ("99", "Unknown error"),
}


def hash_data(params: dict) -> str:
    return "&".join(
        f"{key}={quote_plus(str(value))}"
        for key, value in sorted(params.items())
        if key.startswith("vnp_") and key not in HASH_FIELDS and value not in (None, "")
    )


def sign(params: dict, secret: str) -> str:
    return hmac.new(secret.encode(), hash_data(params).encode(), hashlib.sha512).hexdigest()


def signed_query(params: dict, secret: str) -> str:
    return f"{hash_data(params)}&vnp_SecureHash={sign(params, secret)}"


def signature_valid(params: dict, secret: str) -> bool:
    given = str(params.get("vnp_SecureHash", "")).lower()
    return bool(given) and hmac.compare_digest(given.encode(), sign(params, secret).encode())


def vn_time(moment: datetime) -> str:
    return moment.astimezone(VN_TZ).strftime("%Y%m%d%H%M%S")


class VNPay:
    name = "vnpay"

    def __init__(self, *, tmn_code: str, hash_secret: str, url: str):
        self.tmn_code, self.hash_secret, self.url = tmn_code, hash_secret, url

    @classmethod
    def from_settings(cls) -> "VNPay":
        return cls(
            tmn_code=settings.VNPAY_TMN_CODE,
            hash_secret=settings.VNPAY_HASH_SECRET,
            url=settings.VNPAY_URL,
        )

    def payment_url(self, *, txn_ref, amount, order_info, return_url, client_ip, created_at):
        params = {
            "vnp_Version": VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": amount * 100,
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": txn_ref,
            "vnp_OrderInfo": order_info,
            "vnp_OrderType": "other",
            "vnp_Locale": "vn",
            "vnp_ReturnUrl": return_url,
            "vnp_IpAddr": client_ip,
            "vnp_CreateDate": vn_time(created_at),
            "vnp_ExpireDate": vn_time(created_at + PAY_WINDOW),
        }
        return f"{self.url}?{signed_query(params, self.hash_secret)}"

    def read(self, params) -> Notice:
        params = {key: params[key] for key in params if key.startswith("vnp_")}
        if not signature_valid(params, self.hash_secret) or params.get("vnp_TmnCode") != (
            self.tmn_code
        ):
            raise BadSignature
        raw = str(params.get("vnp_Amount", ""))
        amount = int(raw) // 100 if raw.isdigit() and int(raw) % 100 == 0 else None
        return Notice(
            txn_ref=str(params.get("vnp_TxnRef", "")),
            amount=amount,
            success=params.get("vnp_ResponseCode") == "00"
            and params.get("vnp_TransactionStatus", "00") == "00",
            transaction_no=str(params.get("vnp_TransactionNo", "")),
            data={k: v for k, v in params.items() if k not in HASH_FIELDS},
        )

    def ipn_answer(self, result: IpnResult) -> dict:
        code, message = IPN_ANSWERS[result]
        return {"RspCode": code, "Message": message}


def enabled() -> bool:
    """A real gateway is configured, or the demo's simulator stands in for it."""
    return bool(settings.VNPAY_URL) or settings.DEMO_PAYMENT_SIMULATOR


def provider() -> VNPay:
    """The configured provider (VNPay is the only one so far); without VNPAY_URL, the demo's
    simulator at this server's own address."""
    gateway = VNPay.from_settings()
    if not gateway.url and settings.DEMO_PAYMENT_SIMULATOR:
        gateway.url = settings.PUBLIC_BASE_URL + reverse("vnpay-simulator")
    return gateway
