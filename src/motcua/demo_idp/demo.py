"""The demo provider's accounts and the one application it trusts: motcua itself.

`seed()` runs with `motcua seed-demo`; `application_setup()` runs on every `motcua run-demo` start
(the demo's host and port, hence the redirect address, may change between runs)."""

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.crypto import salted_hmac
from oauth2_provider.models import Application

from motcua.demo_idp.models import DemoIdentity
from motcua.org.demo import DEMO_PASSWORD
from motcua.org.models import User

CLIENT_ID = "motcua-demo"
CALLBACK_PATH = "/cong-dan/dang-nhap/dinh-danh/xong/"
SIGNED_OUT_PATH = "/cong-dan/dang-nhap/?da_dang_xuat=1"

# (username, full name, 12-digit ID number: 040 = born in Nghệ An, e-mail, phone)
IDENTITIES = [
    ("congdan1", "Nguyễn Văn An", "040090001234", "congdan1@demo.motcua.vn", "0912000001"),
    ("congdan2", "Trần Thị Bình", "040185004321", "congdan2@demo.motcua.vn", "0912000002"),
    ("congdan3", "Lê Minh Châu", "040201007777", "", "0912000003"),
]


def client_secret() -> str:
    """The demo application's secret: derived from SECRET_KEY, so nothing to store or commit."""
    return salted_hmac("motcua.demo_idp.client", CLIENT_ID, secret=settings.SECRET_KEY).hexdigest()


@transaction.atomic
def seed() -> None:
    for username, full_name, id_number, email, phone in IDENTITIES:
        identity = DemoIdentity.objects.filter(username=username).first()
        if identity is None:
            user = User(username=f"idp-{username}", is_active=True)
            user.set_unusable_password()
            user.save()
            identity = DemoIdentity(user=user, username=username)
        identity.password = make_password(DEMO_PASSWORD)
        identity.full_name, identity.id_number = full_name, id_number
        identity.email, identity.phone = email, phone
        identity.save()


@transaction.atomic
def application_setup(
    *, base_urls: list[str], client_id: str = CLIENT_ID, secret: str = ""
) -> None:
    """The trusted demo application, answering at each of `base_urls` (consent skipped)."""
    app = Application.objects.filter(client_id=client_id).first() or Application(
        client_id=client_id
    )
    app.name = "motcua"
    app.client_type = Application.CLIENT_CONFIDENTIAL
    app.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
    app.algorithm = Application.RS256_ALGORITHM
    app.skip_authorization = True
    app.redirect_uris = " ".join(
        dict.fromkeys(f"{url.rstrip('/')}{CALLBACK_PATH}" for url in base_urls)
    )
    # Where the provider sends the citizen back after signing out (portal.oidc.logout_url).
    app.post_logout_redirect_uris = " ".join(
        dict.fromkeys(f"{url.rstrip('/')}{SIGNED_OUT_PATH}" for url in base_urls)
    )
    app.client_secret = secret or client_secret()  # hashed when saved
    app.save()


def login_table() -> str:
    rows = [f"  {'Tài khoản định danh':<20} {'Họ tên':<18} Số định danh"]
    for username, full_name, id_number, _email, _phone in IDENTITIES:
        rows.append(f"  {username:<20} {full_name:<18} {id_number}")
    rows.append(f"  Mật khẩu / password: {DEMO_PASSWORD}")
    return "\n".join(rows)
