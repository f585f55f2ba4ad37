"""Test settings: the real settings with a fast password hasher (Argon2 costs ~100 ms a hash)."""

import os
import tempfile
from pathlib import Path

from motcua.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Notices are tried in the committing thread, so a test sees them sent when the step returns.
NOTIFY_SEND_AFTER_COMMIT = "inline"
# Tests roll their transactions back, which no signal reports: always read the holiday table.
WORKTIME_CALENDAR_RECHECK = 0
DEMO_PAYMENT_SIMULATOR = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not pytest-django's shared-cache memory database: concurrency tests need SQLite's
    # real locking (WAL, busy timeout), which shared-cache memory databases do not have.
    # One file per test process, so two test runs on one machine never share a database.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"motcua-test-{os.getpid()}.sqlite3")
    }
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_motcua_{os.getpid()}"}  # noqa: F405

MEDIA_ROOT = os.path.join(tempfile.gettempdir(), f"motcua-test-media-{os.getpid()}")
PUBLIC_PAGES_ROOT = os.path.join(tempfile.gettempdir(), f"motcua-test-public-{os.getpid()}")
# Each test gets an empty anchor file (tests/conftest.py removes it), never the checkout's own.
AUDIT_ANCHOR_FILE = os.path.join(tempfile.gettempdir(), f"motcua-test-anchors-{os.getpid()}.log")
# Counts in the shared cache table outlive a transactional test's flush (the table is not a
# model's): a low limit would let earlier tests' look-ups throttle later ones. The throttle tests
# set their own limit (the environment's, for the server processes they start).
TRACKING_LOOKUP_LIMIT = int(os.environ.get("TRACKING_LOOKUP_LIMIT", "100000"))
# The demo OpenID provider answers in the tests (its key is generated once under var/).
DEMO_IDP = True
OAUTH2_PROVIDER = {  # noqa: F405
    **OAUTH2_PROVIDER,  # noqa: F405
    "OIDC_RSA_PRIVATE_KEY": demo_idp_key(),  # noqa: F405
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
}
# The same for the one-time code throttles (portal/otp.py); their tests set low limits.
OTP_ADDRESS_LIMIT = int(os.environ.get("OTP_ADDRESS_LIMIT", "100000"))
OTP_IP_LIMIT = int(os.environ.get("OTP_IP_LIMIT", "100000"))
# The tests' own CA and unit keys (made by the demo's code, tests/eresults/conftest.py).
ERESULT_PKI_DIR = Path(tempfile.gettempdir()) / f"motcua-test-pki-{os.getpid()}"
ERESULT_PKCS12_DIR = ERESULT_PKI_DIR / "units"
ERESULT_PKCS12_PASSPHRASE = "test-only-passphrase"
ERESULT_TRUST_ROOTS = [str(ERESULT_PKI_DIR / "ca.pem")]
ERESULT_VERIFY_LIMIT = int(os.environ.get("ERESULT_VERIFY_LIMIT", "100000"))
