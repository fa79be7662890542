"""Django settings for Continuum's web platform: one file, every value from the environment.

Each ``CONTINUUM_*`` variable (and ``DATABASE_URL``) is documented in ``.env.example``. With
nothing set, the app runs on SQLite in the repository's ``data/`` directory, for one machine.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

from continuum.formats.xlsx import DEFAULT_LIMITS, WorkbookLimits


def env_bool(name: str, default: bool) -> bool:
    """A yes/no variable: 1/true/yes or 0/false/no; anything else is a configuration error."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    """A whole-number variable."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from error


def env_list(name: str, default: str) -> list[str]:
    """A comma-separated variable."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_from_url(url: str) -> dict[str, object]:
    """Django's DATABASES entry for ``postgres://user:password@host:port/name``."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured("DATABASE_URL must start with postgres:// or postgresql://")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": env_int("CONTINUUM_DB_CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
    }


def _secret_key(data_dir: Path) -> str:
    """CONTINUUM_SECRET_KEY, or a random key kept in the data directory (created once, 0600),
    so that a single-machine install needs no setup and never runs on a known key."""
    from_env = os.environ.get("CONTINUUM_SECRET_KEY", "")
    if from_env:
        return from_env
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(
    os.environ.get("CONTINUUM_DATA_DIR", "") or PACKAGE_DIR.parents[2] / "data"
).resolve()

DEBUG = env_bool("CONTINUUM_DEBUG", False)
SECRET_KEY = _secret_key(DATA_DIR)
ALLOWED_HOSTS = env_list("CONTINUUM_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CONTINUUM_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Recovery codes: single-use codes for a second factor when the authenticator is lost.
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "continuum.web.accounts",
    "continuum.web.audit",
    "continuum.web.agencies",
    "continuum.web.accountability",
    "continuum.web.assistance",
    "continuum.web.saved_views",
    "continuum.web.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "continuum.web.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "continuum.web.security.PrivateCacheMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "continuum.web.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "continuum.web.urls"
WSGI_APPLICATION = "continuum.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "continuum.web.accounts.context_processors.navigation",
                "continuum.web.saved_views.context_processors.saved_views",
            ],
            # The design system's filters and tags, in every template without {% load %}.
            "builtins": ["continuum.web.words", "continuum.web.components"],
        },
    },
]


def sqlite_database(path: Path) -> dict[str, object]:
    """Django's DATABASES entry for the SQLite file at ``path``.

    WAL mode lets pages read while an import writes (readers see the last commit instead of
    waiting for the writer); the busy timeout makes a second writer wait for the first rather
    than fail at once. WAL's normal synchronous level is still safe against a crash of the
    application (a power cut may lose the last commits, never corrupt the file).
    """
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "timeout": env_int("CONTINUUM_SQLITE_BUSY_TIMEOUT_SECONDS", 20),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


_database_url = os.environ.get("DATABASE_URL", "")
DATABASES = {
    "default": database_from_url(_database_url)
    if _database_url
    else sqlite_database(DATA_DIR / "continuum.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Applied wherever a password is set: the password change and reset pages, `web user-create`,
# the users page, Django's createsuperuser and changepassword.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AXES_FAILURE_LIMIT = env_int("CONTINUUM_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("CONTINUUM_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Proxies in front of the app, each appending to X-Forwarded-For (0: the connection's address).
CONTINUUM_PROXY_COUNT = env_int("CONTINUUM_PROXY_COUNT", 0)
# Lockout and the audit trail read the client's address and the username the same way.
AXES_CLIENT_IP_CALLABLE = "continuum.web.accounts.client.client_address"
AXES_USERNAME_CALLABLE = "continuum.web.accounts.usernames.username_key_from_credentials"
AXES_VERBOSE = False
# Usernames and addresses are personal data: axes logs must not carry them (the audit trail does).
AXES_SENSITIVE_PARAMETERS = ["username", "password", "ip_address"]

OTP_TOTP_ISSUER = "Continuum"
CONTINUUM_RECOVERY_CODE_COUNT = 10

# Password reset links an administrator issues: valid this long, and only once.
PASSWORD_RESET_TIMEOUT = env_int("CONTINUUM_PASSWORD_RESET_HOURS", 24) * 3600
# The site's address as users reach it, for links made outside a request (the CLI).
CONTINUUM_SITE_URL = os.environ.get("CONTINUUM_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Mail (reset links) goes out only when a mail server is named; otherwise links are shown.
EMAIL_HOST = os.environ.get("CONTINUUM_EMAIL_HOST", "")
EMAIL_PORT = env_int("CONTINUUM_EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("CONTINUUM_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CONTINUUM_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("CONTINUUM_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("CONTINUUM_EMAIL_FROM", "continuum@localhost")
CONTINUUM_TWO_FACTOR_ROLES = ["county_admin"]

# Big tables' rows are cached per process, keyed on the data version (the latest import), so a
# new import is seen at once by every app server process.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "continuum",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A running import touches a heartbeat file; one silent for this long (or whose worker process
# is gone) is marked failed. The worker touches it every quarter of this.
CONTINUUM_IMPORT_HEARTBEAT_SECONDS = env_int("CONTINUUM_IMPORT_HEARTBEAT_SECONDS", 60)
# Uploaded files of finished and failed imports are removed this many days after the import.
CONTINUUM_IMPORT_FILE_RETENTION_DAYS = env_int("CONTINUUM_IMPORT_FILE_RETENTION_DAYS", 30)

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("CONTINUUM_TIME_ZONE", "America/Los_Angeles")
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
# WhiteNoise expects the directory to exist even before collectstatic has run.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = DATA_DIR / "uploads"
# Uploaded Dashboard files are a few megabytes each; statewide ones reach about 100 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# What an uploaded or imported .xlsx may hold, checked before it is parsed (the parser holds a
# whole sheet in memory); docs/web/input-files.md gives the memory each limit allows.
CONTINUUM_XLSX_LIMITS = WorkbookLimits(
    max_rows=env_int("CONTINUUM_XLSX_MAX_ROWS", DEFAULT_LIMITS.max_rows),
    max_cells=env_int("CONTINUUM_XLSX_MAX_CELLS", DEFAULT_LIMITS.max_cells),
    max_uncompressed_mb=env_int(
        "CONTINUUM_XLSX_MAX_UNCOMPRESSED_MB", DEFAULT_LIMITS.max_uncompressed_mb
    ),
    max_compression_ratio=env_int(
        "CONTINUUM_XLSX_MAX_COMPRESSION_RATIO", DEFAULT_LIMITS.max_compression_ratio
    ),
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Static files are served from the package itself when collectstatic has not run.
WHITENOISE_USE_FINDERS = True

# Limits of PDF and CSV generation (docs/web/README.md, "Limits"). A PDF is refused before
# rendering past the HTML size, and rendered in a child process stopped past the time (keep it
# under the app server's worker timeout), the memory or the page count.
CONTINUUM_PDF_MAX_HTML_KB = env_int("CONTINUUM_PDF_MAX_HTML_KB", 256)
CONTINUUM_PDF_MAX_PAGES = env_int("CONTINUUM_PDF_MAX_PAGES", 100)
CONTINUUM_PDF_MAX_SECONDS = env_int("CONTINUUM_PDF_MAX_SECONDS", 30)
CONTINUUM_PDF_MAX_MEMORY_MB = env_int("CONTINUUM_PDF_MAX_MEMORY_MB", 1024)
CONTINUUM_EXPORT_MAX_ROWS = env_int("CONTINUUM_EXPORT_MAX_ROWS", 100_000)

# Transport security: on when served over HTTPS (CONTINUUM_SECURE=true), as in production.
SECURE = env_bool("CONTINUUM_SECURE", False)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
if env_bool("CONTINUUM_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("CONTINUUM_SESSION_HOURS", 8) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refused_request": {"()": "continuum.web.security.RefusedRequestLogFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CONTINUUM_LOG_LEVEL", "INFO")},
    "loggers": {
        # Axes logs usernames and addresses of failed sign-ins; sign-ins are in the audit trail.
        "axes": {"level": "WARNING"},
        # WeasyPrint reports each step of making a PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        # A 403 or 404 is one line (method, path, status, user id), never a traceback.
        "django.request": {"filters": ["refused_request"]},
    },
}
