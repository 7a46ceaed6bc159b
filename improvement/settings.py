"""Settings for the improvement tracker: one module, every deployment value read from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    return os.environ.get(name, str(default)).strip().lower() in ("1", "true", "yes", "on")


def envint(name, default):
    return int(os.environ.get(name, default))


def envlist(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Production unless told otherwise: a server where someone forgot DEBUG must not show tracebacks to the
# public. `make run` sets DEBUG=1 for a laptop.
DEBUG = envbool("DEBUG", False)
LAPTOP_SECRET_KEY = "django-insecure-laptop-only-key-do-not-use-in-production"


def production_secret_key():
    """SECRET_KEY from the environment, refusing the laptop key or one Django's deploy check would call weak."""
    key = os.environ.get("SECRET_KEY", "")
    if len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a long random value (50 characters or more) because DEBUG is off and the "
            "tracker runs as production. Make one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'."
            " On a laptop use `make run`, which sets DEBUG=1."
        )
    return key


def production_allowed_hosts():
    hosts = envlist("ALLOWED_HOSTS", "")
    if not hosts:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must name the host(s) people reach the tracker at (comma-separated, e.g. "
            "tracker.example.org) because DEBUG is off and the tracker runs as production."
        )
    return hosts


if DEBUG:
    SECRET_KEY = os.environ.get("SECRET_KEY", LAPTOP_SECRET_KEY)
    ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
else:
    SECRET_KEY = production_secret_key()
    ALLOWED_HOSTS = production_allowed_hosts()
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "django_htmx",
    "csp",
    "axes",
    "mozilla_django_oidc",
    "common",
    "plans",
    "kpis",
    "boards",
    "reports",
]

MIDDLEWARE = [
    # First: a body past REQUEST_MAX_BYTES is refused (413) before anything reads or spools it.
    "common.middleware.RequestTooLargeMiddleware",
    # Outermost, so the one line logged per request times everything and carries the request id throughout.
    "common.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "common.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    # Above WhiteNoise, so static files carry the security headers too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Signs out a session left idle for SESSION_IDLE_MINUTES.
    "common.middleware.IdleSessionMiddleware",
    # Every page needs a login unless its view says otherwise.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # A date in the address outside 1990-2100, or not a date: 400 with the reason, never a 500.
    "common.middleware.BadDateParameterMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Records the signed-in user as the author of each historical change.
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-axes asks to be last: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "improvement.urls"
WSGI_APPLICATION = "improvement.wsgi.application"

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
                "csp.context_processors.nonce",
                "reports.context_processors.for_you",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("CONN_MAX_AGE", 0),
        # A kept connection is checked before a request reuses it: a database restart costs no failed page.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The board pack worker and the web server write to the same file: wait for a lock rather than
    # fail with "database is locked", and take the write lock at the start of each transaction.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Axes first: it refuses a locked-out user before any backend checks a password. Local accounts (partners,
# the performance team's break-glass admin) sign in with a password; staff with the council's identity provider.

# Failed sign-ins are counted per username from one address: a council's staff share few public addresses
# (NAT), so counting per address alone would lock a whole office out, and per username alone would let anyone
# lock out a director. An admin unlocks from the admin (Users > "Unlock sign-in", or Axes > Access attempts).
AXES_FAILURE_LIMIT = envint("SIGNIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=envint("SIGNIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind a TLS proxy the client's address is the last one the proxy appended to X-Forwarded-For.
AXES_CLIENT_IP_CALLABLE = "common.middleware.client_ip"

# A session left idle this long is signed out (each request within it extends it).
SESSION_IDLE_MINUTES = envint("SESSION_IDLE_MINUTES", 60)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Single sign-on with the council's identity provider (OpenID Connect: Microsoft Entra ID or any standard
# provider). Off until OIDC_RP_CLIENT_ID is set; then the sign-in page offers it beside local accounts.
OIDC_ENABLED = bool(os.environ.get("OIDC_RP_CLIENT_ID"))
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "your organisation's account")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_USE_PKCE = True
# Entra ID sends the user's groups (object ids) or app roles in a claim; each maps to one of the tracker's roles:
# OIDC_ROLE_MAP="<group id or role name>=Admin,<...>=Manager,<...>=Board member,<...>=Viewer".
OIDC_ROLE_CLAIM = os.environ.get("OIDC_ROLE_CLAIM", "groups")
OIDC_ROLE_MAP = dict(
    (part.split("=", 1)[0].strip(), part.split("=", 1)[1].strip())
    for part in envlist("OIDC_ROLE_MAP", "")
    if "=" in part
)
OIDC_USERNAME_CLAIM = os.environ.get("OIDC_USERNAME_CLAIM", "preferred_username")
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"

# Axes first: it refuses a locked-out user before any backend checks a password. Local accounts (partners,
# the performance team's break-glass admin) sign in with a password; staff with the council's identity provider.
AUTHENTICATION_BACKENDS = [
    "common.signin.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
    *(["common.oidc.RoleMappingOIDCBackend"] if OIDC_ENABLED else []),
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Issued board packs (PDFs) are kept here; they are served only through the permission-checked download view.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Board packs and the weekly digest are run by `manage.py db_worker` (started by `make run`), not in a request.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# A board pack run being generated records a heartbeat this often; three missed beats mean its worker died.
PACK_HEARTBEAT_SECONDS = envint("PACK_HEARTBEAT_SECONDS", 10)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "tracker@localhost")
# For EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend: the council's mail relay.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)
# Links in emails are absolute: the address people reach the tracker at.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# An action with no update for this many days is shown as stale.
STALE_AFTER_DAYS = envint("STALE_AFTER_DAYS", 30)

# Spreadsheet imports: uploads past this size are refused before they are read.
IMPORT_MAX_BYTES = envint("IMPORT_MAX_MB", 10) * 1024 * 1024
# An xlsx is a zip: refuse one whose parts would unpack past this (zip bombs; openpyxl does not check).
IMPORT_MAX_UNPACKED_BYTES = envint("IMPORT_MAX_UNPACKED_MB", 200) * 1024 * 1024
# Any request body past this is refused (413) before it is read: the largest import and its form fields.
REQUEST_MAX_BYTES = envint("REQUEST_MAX_MB", envint("IMPORT_MAX_MB", 10) + 1) * 1024 * 1024
# Reading one upload stops past this many seconds, so a crafted file cannot hold a web worker.
IMPORT_MAX_SECONDS = envint("IMPORT_MAX_SECONDS", 60)

# Off on a laptop (plain http on 127.0.0.1); on by default in production.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", not DEBUG)
# Load balancers probe /health/ over plain http inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
BEHIND_TLS_PROXY = envbool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Security headers on every response. Pages keep to this policy: no inline scripts, and the few inline <style>
# blocks (RAG colours, pygal's per-chart CSS) carry the request's nonce.
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# /health/ reports the board pack worker as missing when it has not been seen for this long.
WORKER_SEEN_WITHIN_SECONDS = envint("WORKER_SEEN_WITHIN_SECONDS", 180)

# One line per event (JSON), each carrying the request id and user of the request it belongs to.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "common.logging.RequestContextFilter"}},
    "formatters": {"line": {"()": "common.logging.OneLineFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request"], "formatter": "line"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        # One line per request (method, path, status, duration); INFO so it shows by default.
        "improvement.requests": {"level": os.environ.get("REQUEST_LOG_LEVEL", "INFO")},
        "django_tasks_db": {"level": "INFO"},
        "django_tasks": {"level": "INFO"},
        # Access is logged once by improvement.requests; Django's own 4xx/5xx lines would say it twice.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "ERROR"},
    },
}
