"""Sign-in with a one-time code for citizens without an identity provider account: the ID number
and an e-mail address or phone number; a 6-digit code goes there; typing it back signs in.

Rules: the code is kept as a salted HMAC only, lives 5 minutes, serves once, and dies after
5 wrong tries. Requests are throttled per address and per client address. Whether an account
exists is never told: every request gets the same answer. A code is only sent where it proves
something: to a new account's first address, or to an address the account already has (else
anyone could sign in as anybody whose ID number they know, with their own e-mail)."""

import hashlib
import hmac
import logging
import re
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from motcua.audit.services import audit_record
from motcua.notify.sms import SmsError, send_sms
from motcua.org.models import User
from motcua.org.roles import Role
from motcua.portal.citizens import citizen_upsert
from motcua.portal.models import SignInCode

log = logging.getLogger(__name__)

CODE_LIFETIME = timedelta(minutes=5)
MAX_FAILED = 5
ADDRESS_WINDOW = 15 * 60  # seconds; settings.OTP_ADDRESS_LIMIT requests per address in each
IP_WINDOW = 3600  # seconds; settings.OTP_IP_LIMIT requests per client address in each
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]+")
_VN_MOBILE = re.compile(r"0\d{9}")


@dataclass(frozen=True)
class Contact:
    channel: str
    address: str


def parse_contact(text: str) -> Contact:
    """An e-mail address (lower-cased) or a Vietnamese phone number (0xxxxxxxxx), else
    ValidationError with a Vietnamese message."""
    text = (text or "").strip()
    if "@" in text:
        try:
            validate_email(text)
        except ValidationError:
            raise ValidationError(_("Địa chỉ e-mail không hợp lệ.")) from None
        return Contact(SignInCode.Channel.EMAIL, text.lower())
    phone = _PHONE_SEPARATORS.sub("", text)
    if phone.startswith("+84"):
        phone = "0" + phone[3:]
    elif phone.startswith("84") and len(phone) == 11:
        phone = "0" + phone[2:]
    if not _VN_MOBILE.fullmatch(phone):
        raise ValidationError(
            _("Nhập địa chỉ e-mail hoặc số điện thoại di động gồm 10 chữ số, ví dụ 0912345678.")
        )
    return Contact(SignInCode.Channel.SMS, phone)


def _window_allows(key: str, limit: int, window: int) -> bool:
    """Count one request under `key`; False once `limit` were counted in this fixed window.
    The count lives in the cache every server process shares (as tracking.lookup_allowed)."""
    bucket = f"{key}:{int(time.time()) // window}"
    if cache.add(bucket, 1, window):
        return limit >= 1
    try:
        return cache.incr(bucket) <= limit
    except ValueError:  # the window ended between add() and incr()
        return True


def request_allowed(contact: Contact, ip: str) -> bool:
    # The address is hashed: cache keys are no place for personal data.
    digest = hashlib.sha256(contact.address.encode()).hexdigest()[:32]
    by_address = _window_allows(f"otp-addr:{digest}", settings.OTP_ADDRESS_LIMIT, ADDRESS_WINDOW)
    by_ip = _window_allows(f"otp-ip:{ip}", settings.OTP_IP_LIMIT, IP_WINDOW)
    return by_address and by_ip


def _same_phone(a: str, b: str) -> bool:
    try:
        return parse_contact(a).address == parse_contact(b).address
    except ValidationError:
        return False


def _may_receive(id_number: str, contact: Contact) -> bool:
    """A code may go to this address for this ID number (see the module's docstring)."""
    user = User.objects.filter(id_number=id_number).first()
    if user is None:
        return True  # a new citizen account, whose first address this is
    if not (user.role == Role.CITIZEN and user.unit_id is None and user.is_active):
        return False  # staff accounts never sign in this way
    if contact.channel == SignInCode.Channel.EMAIL:
        return bool(user.email) and user.email.lower() == contact.address
    return bool(user.phone) and _same_phone(user.phone, contact.address)


def _digest(salt: str, code: str) -> str:
    return salted_hmac("motcua.portal.otp", f"{salt}:{code}", algorithm="sha256").hexdigest()


def code_request(*, id_number: str, full_name: str, contact: Contact) -> None:
    """Send a fresh code when the address may receive one; silently do nothing otherwise. The
    caller has validated the ID number and applied the throttle."""
    if not _may_receive(id_number, contact):
        return
    code = f"{secrets.randbelow(10**6):06d}"
    salt = secrets.token_hex(16)
    now = timezone.now()
    with transaction.atomic():
        # Only the newest code of an address counts.
        SignInCode.objects.filter(
            id_number=id_number, address=contact.address, used_at__isnull=True, expires_at__gt=now
        ).update(expires_at=now)
        SignInCode.objects.create(
            id_number=id_number,
            channel=contact.channel,
            address=contact.address,
            full_name=full_name[:150],
            salt=salt,
            code_hash=_digest(salt, code),
            created_at=now,
            expires_at=now + CODE_LIFETIME,
        )
    text = _(
        "Mã đăng nhập motcua của bạn là %(code)s, có hiệu lực 5 phút. Không đưa mã này cho ai."
    )
    text = text % {"code": code}
    try:
        if contact.channel == SignInCode.Channel.EMAIL:
            send_mail(_("Mã đăng nhập motcua"), text, None, [contact.address])
        else:
            send_sms(contact.address, text)
    except (SmsError, OSError) as exc:  # the person asks again; the answer stays the same
        log.warning("one-time code not sent by %s: %s", contact.channel, exc)


class CodeRefused(Exception):
    def __init__(self, message: str, *, locked: bool = False):
        super().__init__(message)
        self.message = message
        self.locked = locked


def wrong_code_message() -> str:
    return _("Mã không đúng hoặc đã hết hạn. Kiểm tra lại, hoặc yêu cầu mã mới.")


def locked_message() -> str:
    return _("Bạn đã nhập sai mã quá 5 lần. Vui lòng yêu cầu mã mới.")


def code_verify(*, id_number: str, contact: Contact, code: str, ip: str = "") -> User:
    """The citizen whose code this is, signed up if new; CodeRefused otherwise."""
    now = timezone.now()
    row = (
        SignInCode.objects.filter(id_number=id_number, address=contact.address)
        .order_by("-created_at", "-pk")
        .first()
    )
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise CodeRefused(wrong_code_message())
    if row.failed_attempts >= MAX_FAILED:
        raise CodeRefused(locked_message(), locked=True)
    # Bytes: compare_digest refuses non-ASCII str.
    if not hmac.compare_digest(_digest(row.salt, code).encode(), row.code_hash.encode()):
        SignInCode.objects.filter(pk=row.pk, failed_attempts__lt=MAX_FAILED).update(
            failed_attempts=F("failed_attempts") + 1
        )
        row.refresh_from_db(fields=["failed_attempts"])
        if row.failed_attempts >= MAX_FAILED:
            raise CodeRefused(locked_message(), locked=True)
        raise CodeRefused(wrong_code_message())
    with transaction.atomic():
        # Once: of two requests with the right code, one gets the row.
        claimed = SignInCode.objects.filter(
            pk=row.pk, used_at__isnull=True, expires_at__gt=now, failed_attempts__lt=MAX_FAILED
        ).update(used_at=now)
        if not claimed:
            raise CodeRefused(wrong_code_message())
        existing = User.objects.filter(id_number=id_number).first()
        try:
            user = citizen_upsert(
                id_number=id_number,
                full_name=existing.get_full_name() if existing else row.full_name,
                email=contact.address if contact.channel == SignInCode.Channel.EMAIL else "",
                phone=contact.address if contact.channel == SignInCode.Channel.SMS else "",
            )
        except ValidationError as exc:
            raise CodeRefused(" ".join(exc.messages)) from None
        audit_record(
            actor=user,
            action="citizen.sign_in",
            obj=user,
            changes={"method": f"otp-{contact.channel}"},
            ip=ip or None,
        )
    return user
