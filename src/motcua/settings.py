"""Settings, all read from the environment so one file serves development and production.

Production: set DEBUG=false, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, PUBLIC_BASE_URL and
HTTPS=true (secure cookies, HSTS, redirect to HTTPS). See docs/operations.md.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("MOTCUA_HOME", BASE_DIR.parent.parent))
VAR_DIR = Path(os.environ.get("MOTCUA_VAR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _key_file(name: str) -> str:
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def _secret_key() -> str:
    # A development checkout gets a key generated once and kept under var/, so sessions survive
    # restarts without anybody having to invent a secret; production passes SECRET_KEY.
    return os.environ.get("SECRET_KEY") or _key_file("secret_key")


def _audit_key() -> str:
    # The audit chain's HMAC key must never be stored in the database: a database writer who
    # had it could rewrite the log and recompute the chain. AUDIT_KEY, or a file kept on the
    # application hosts (AUDIT_KEY_FILE, generated under var/ on a development checkout).
    if key := os.environ.get("AUDIT_KEY"):
        return key
    if path := os.environ.get("AUDIT_KEY_FILE"):
        return Path(path).read_text().strip()
    return _key_file("audit_key")


def _sentences_key() -> str:
    # Encrypts the sensitive fields of sentence cases (ID number, crime summary) and keys the
    # ID-number search hash. Never in the database or the repo: SENTENCES_KEY (several keys
    # separated by commas, newest first, to rotate), SENTENCES_KEY_FILE, or a file generated
    # under var/ on a development checkout.
    if key := os.environ.get("SENTENCES_KEY"):
        return key
    if path := os.environ.get("SENTENCES_KEY_FILE"):
        return Path(path).read_text().strip()
    return _key_file("sentences_key")


SECRET_KEY = _secret_key()
AUDIT_KEY = _audit_key()
SENTENCES_KEY = _sentences_key()
# Units (by code) that are the provincial criminal-execution agency (cơ quan THAHS Công an tỉnh):
# their supervising officers and leaders see every case of the province above them.
SENTENCES_AGENCY_UNITS = env_list("SENTENCES_AGENCY_UNITS", "PC10")
# The worker appends every new head of the audit chain here (signed with AUDIT_KEY); keep it off
# the database host: docs/operations.md.
AUDIT_ANCHOR_FILE = Path(os.environ.get("AUDIT_ANCHOR_FILE", VAR_DIR / "audit-anchors.log"))
DEBUG = env_bool("DEBUG", False)
HTTPS = env_bool("HTTPS", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", PUBLIC_BASE_URL)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "motcua.web.apps.StaticFilesConfig",
    "django_htmx",
    "ninja",
    "axes",
    "motcua.org",
    "motcua.audit",
    "motcua.worktime",
    "motcua.dossiers",
    "motcua.portal",
    "motcua.portal.online",
    "motcua.notify",
    "motcua.payments",
    "motcua.api",
    "motcua.web",
    "motcua.catalog",
    "motcua.documents",
    # Before oauth2_provider: its Vietnamese templates replace the toolkit's.
    "motcua.demo_idp",
    "oauth2_provider",
    "motcua.eresults",
    "motcua.ratings",
    "motcua.feedback",
    "motcua.metrics",
    "motcua.reform",
    "motcua.sentences",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The demo identity provider keeps its own session cookie (demo_idp/middleware.py).
    "motcua.demo_idp.middleware.DemoIdpSessionCookieMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.web.middleware.VietnameseFirstLocaleMiddleware",
    "motcua.web.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "motcua.audit.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "login"
# Where a citizen signs in (OpenID Connect or a one-time code) before submitting online.
CITIZEN_LOGIN_URL = "/cong-dan/dang-nhap/"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "motcua.web.context_processors.notices",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'motcua.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer commits; IMMEDIATE takes the write lock at BEGIN so
    # two concurrent writers queue instead of failing half-way with "database is locked".
    # Connections are kept like PostgreSQL's (one per server thread): opening one cost more than
    # the rest of a cached page (bench/bench_catalog.py).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
        " PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Citizens signing in through OpenID Connect (portal/oidc.py); acts only on its callback.
    "motcua.portal.oidc.CitizenOIDCBackend",
]

# Login throttling: 5 failures for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "motcua.audit.middleware.client_ip"

# Peers whose X-Real-IP header names the client (our nginx); anyone else's header is ignored.
# Addresses or networks (CIDR), comma-separated.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "127.0.0.1,::1")

# Throttle counts must be shared by every server process: the database by default (the table is
# created by `migrate`), Redis when REDIS_URL is set. Counts are incremented with the default
# timeout, so it must cover the longest throttle window (an hour).
if REDIS_URL := os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "TIMEOUT": 3600,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "motcua_cache",
            "TIMEOUT": 3600,
        }
    }
# Online payment through VNPay's protocol (docs/operations.md, "Online payment"). The defaults are
# demo values that only the local simulator accepts; VNPAY_URL empty means that simulator.
VNPAY_TMN_CODE = os.environ.get("VNPAY_TMN_CODE", "DEMO0001")
# `motcua check --deploy` refuses the demo secret with a real gateway (payments/checks.py).
VNPAY_HASH_SECRET = os.environ.get("VNPAY_HASH_SECRET", "DEMO-ONLY-SECRET-NOT-FOR-PRODUCTION")
VNPAY_URL = os.environ.get("VNPAY_URL", "")
# The stand-in gateway at /demo-vnpay/: `motcua run-demo` and the tests turn it on.
DEMO_PAYMENT_SIMULATOR = env_bool("DEMO_PAYMENT_SIMULATOR", False)

# Citizens sign in through an OpenID Connect provider (VNeID or the province's; docs/operations.md,
# "Citizen sign-in"): the issuer's discovery document gives the endpoints, or name them one by one.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").rstrip("/")
OIDC_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_TOKEN_ENDPOINT = os.environ.get("OIDC_TOKEN_ENDPOINT", "")
OIDC_USERINFO_ENDPOINT = os.environ.get("OIDC_USERINFO_ENDPOINT", "")
OIDC_JWKS_ENDPOINT = os.environ.get("OIDC_JWKS_ENDPOINT", "")
OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid profile email phone")
# The claim carrying the 12-digit personal identification number.
OIDC_ID_NUMBER_CLAIM = os.environ.get("OIDC_ID_NUMBER_CLAIM", "id_number")
OIDC_SIGN_ALGO = os.environ.get("OIDC_SIGN_ALGO", "RS256")
OIDC_TIMEOUT = float(os.environ.get("OIDC_TIMEOUT", "10"))
# mozilla-django-oidc reads these names.
OIDC_RP_CLIENT_ID = OIDC_CLIENT_ID
OIDC_RP_CLIENT_SECRET = OIDC_CLIENT_SECRET
OIDC_RP_SCOPES = OIDC_SCOPES
OIDC_RP_SIGN_ALGO = OIDC_SIGN_ALGO
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_AUTHENTICATION_CALLBACK_URL = "portal:oidc_callback"
# The provider's end_session_endpoint (else its discovery document's): a citizen who signs out
# is signed out there too, with the ID token kept in the session as the hint.
OIDC_END_SESSION_ENDPOINT = os.environ.get("OIDC_END_SESSION_ENDPOINT", "")
OIDC_STORE_ID_TOKEN = True
OIDC_REDIRECT_REQUIRE_HTTPS = False  # `next` must be a path of this site anyway

# One-time codes by e-mail or SMS (portal/otp.py): codes requested per address in 15 minutes and
# per client address in an hour.
OTP_ADDRESS_LIMIT = int(os.environ.get("OTP_ADDRESS_LIMIT", "3"))
OTP_IP_LIMIT = int(os.environ.get("OTP_IP_LIMIT", "20"))

# The demo OpenID provider at /demo-idp/ (demo_idp/): `motcua run-demo` and the tests turn it on;
# `motcua check --deploy` refuses it.
DEMO_IDP = env_bool("DEMO_IDP", False)


def demo_idp_key() -> str:
    """The demo provider's RS256 signing key: DEMO_IDP_KEY_FILE, or generated once under var/."""
    if path := os.environ.get("DEMO_IDP_KEY_FILE"):
        return Path(path).read_text()
    path = VAR_DIR / "demo-idp-key.pem"
    if not path.exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pem)
        tmp.chmod(0o600)
        tmp.replace(path)  # two processes starting at once: one key wins, both read it
    return path.read_text()


OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": demo_idp_key() if DEMO_IDP else "",
    "PKCE_REQUIRED": True,
    "SCOPES": {
        "openid": _("Định danh"),
        "profile": _("Họ tên và số định danh cá nhân"),
        "email": _("Địa chỉ e-mail"),
        "phone": _("Số điện thoại"),
    },
    "DEFAULT_SCOPES": ["openid"],
    "OAUTH2_VALIDATOR_CLASS": "motcua.demo_idp.claims.DemoIdpValidator",
    "ACCESS_TOKEN_EXPIRE_SECONDS": 600,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    # Signing out at motcua ends the provider's session too (OpenID Connect RP-Initiated Logout):
    # motcua sends the ID token it was given, so the provider knows whom, and asks only when the
    # person signed in there is someone else.
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    # The OAuth 2.0 security BCP (RFC 9700), ahead of the toolkit's 4.0 defaults.
    **{
        f"COMPLIANT_BCP_RFC9700_{gate}": True
        for gate in (
            "IMPLICIT_GRANT",
            "PASSWORD_GRANT",
            "PKCE_METHOD",
            "ACCESS_TOKEN_TRANSPORT",
            "AUTHZ_RESPONSE_ISS",
            "TOKEN_STORAGE",
        )
    },
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    # The demo runs on plain http on this machine; anywhere else a redirect must be https.
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"] if DEMO_IDP else ["https"],
}

# Code-only look-ups on the tracking page, per client address, per 10 minutes.
TRACKING_LOOKUP_LIMIT = int(os.environ.get("TRACKING_LOOKUP_LIMIT", "60"))

# Signed electronic results (docs/operations.md, "Electronic results"). One PKCS#12 per unit in
# ERESULT_PKCS12_DIR named <unit code>.p12; the demo's CA and files live in ERESULT_PKI_DIR.
ERESULT_PKI_DIR = Path(os.environ.get("ERESULT_PKI_DIR", VAR_DIR / "pki"))
ERESULT_PKCS12_DIR = Path(os.environ.get("ERESULT_PKCS12_DIR", ERESULT_PKI_DIR / "units"))
ERESULT_PKCS12_PASSPHRASE = os.environ.get("ERESULT_PKCS12_PASSPHRASE") or _key_file(
    "pki_passphrase"
)
ERESULT_TRUST_ROOTS = env_list("ERESULT_TRUST_ROOTS", str(ERESULT_PKI_DIR / "ca.pem"))
# A PKCS#11 token instead of files (untested here: see the operations guide).
ERESULT_PKCS11_MODULE = os.environ.get("ERESULT_PKCS11_MODULE", "")
ERESULT_PKCS11_TOKEN = os.environ.get("ERESULT_PKCS11_TOKEN", "")
ERESULT_PKCS11_PIN = os.environ.get("ERESULT_PKCS11_PIN", "")
# Uploads to the public verification page: size limit, and uploads per address per 10 minutes.
ERESULT_VERIFY_MAX_BYTES = int(os.environ.get("ERESULT_VERIFY_MAX_BYTES", str(10 * 1024 * 1024)))
ERESULT_VERIFY_LIMIT = int(os.environ.get("ERESULT_VERIFY_LIMIT", "30"))

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
FORMAT_MODULE_PATH = ["motcua.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
# Public procedure pages written as files on every publish (catalog/static_pages.py), for nginx to
# serve /tthc/<code>/ without the app: deploy/nginx.conf.example.
PUBLIC_PAGES_ROOT = Path(os.environ.get("PUBLIC_PAGES_ROOT", VAR_DIR / "public"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Source maps are for developers' tools only; compressing them with brotli took most of
# collectstatic's 29 s.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [
    "map",
    "jpg",
    "jpeg",
    "png",
    "gif",
    "webp",
    "zip",
    "gz",
    "tgz",
    "bz2",
    "tbz",
    "xz",
    "br",
    "swf",
    "flv",
    "woff",
    "woff2",
    "pdf",
]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600  # one working day
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Seconds a process reuses a unit's working-time calendar before it checks the holiday table
# again (edits made in the same process count at once).
WORKTIME_CALENDAR_RECHECK = float(os.environ.get("WORKTIME_CALENDAR_RECHECK", "5"))

# E-mail: the console backend prints messages (the demo: they appear in `make run`'s output);
# production sets EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and the SMTP server.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "motcua@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
# Notices to citizens (motcua.notify): SMS can be turned off per deployment (e-mail and in-app
# notices still go out). After a step commits its notices are tried at once, in a thread
# ("thread"), in the committing thread ("inline") or only by the worker ("off").
NOTIFY_SMS = env_bool("NOTIFY_SMS", True)
NOTIFY_SEND_AFTER_COMMIT = os.environ.get("NOTIFY_SEND_AFTER_COMMIT", "thread")
# Text messages (motcua.notify.sms): "console" logs them (demo), "http" posts to a gateway.
SMS_SENDER = os.environ.get("SMS_SENDER", "console")
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # The console SMS sender writes each message here: the demo shows them in `make run`.
    "loggers": {"motcua.sms": {"level": os.environ.get("SMS_LOG_LEVEL", "INFO")}},
}
