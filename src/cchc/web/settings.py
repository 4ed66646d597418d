"""Django settings, read from the environment.

- `CCHC_DATA_DIR`: where the SQLite database, originals and evidence files live
  (default `~/.local/share/cchc`).
- `DATABASE_URL`: `sqlite:///path` (default: `CCHC_DATA_DIR/cchc.sqlite3`) or
  `postgres://user:password@host:port/name`.
- `CCHC_SECRET_KEY`, `CCHC_DEBUG`, `CCHC_ALLOWED_HOSTS` (comma separated).
- `CCHC_SECURE_COOKIES=1` when served over HTTPS: session and CSRF cookies are sent over HTTPS only.
- `CCHC_BEHIND_PROXY=1` when a reverse proxy (nginx, Caddy) terminates HTTPS in front of the
  app: the request's scheme is read from `X-Forwarded-Proto` and the client's address (for the
  log-in rate limit) from the last `X-Forwarded-For` entry. Only set it when the proxy sets both
  headers itself, overwriting what the client sent.
- `CCHC_LOGIN_MAX_FAILURES` (5), `CCHC_LOGIN_WINDOW` (900 s): the log-in rate limit.
- `CCHC_MAX_QUEUED_JOBS` (20): unfinished ingest jobs one user may have before more uploads are
  refused; `CCHC_MAX_TASKS_PER_DOCUMENT` (200): tasks one ingested document may create.
- `CELERY_BROKER_URL` (e.g. `redis://127.0.0.1:6379/0`): ingest jobs (OCR, repair, parsing,
  indexing) go to `cchc worker` processes through this broker instead of the web server's own
  worker thread. `CCHC_JOB_VISIBILITY` (3600 s): how long the broker waits for a job's
  acknowledgement before handing it to another worker; longer than the slowest job.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlparse

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(
    os.environ.get("CCHC_DATA_DIR", Path.home() / ".local" / "share" / "cchc")
).expanduser()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """From the environment, else one generated once per data directory."""
    if key := os.environ.get("CCHC_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def database_from_url(url: str | None) -> dict:
    """One Django DATABASES entry from a DATABASE_URL (sqlite or postgres)."""
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "cchc.sqlite3",
            # a file, not memory: the ingest thread and the test server share it
            "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
            "OPTIONS": {
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    parts = urlparse(url)
    if parts.scheme == "sqlite":
        entry = database_from_url(None)
        entry["NAME"] = unquote(parts.path)
        return entry
    if parts.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            # a connection kept from before a server restart is checked, not used broken
            "CONN_HEALTH_CHECKS": True,
        }
    raise ValueError(
        f"DATABASE_URL không hỗ trợ: {parts.scheme!r} (dùng sqlite:// hoặc postgres://)"
    )


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("CCHC_DEBUG", "") == "1"
ALLOWED_HOSTS = os.environ.get("CCHC_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "cchc.web.accounts",
    "cchc.web.documents",
    "cchc.web.work",
    "cchc.web.par",
    "cchc.web.outgoing",
    "cchc.web.mail",
    "cchc.web.survey",  # --- survey ---
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "cchc.web.documents.middleware.UploadErrorsMiddleware",  # before CSRF reads the form
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cchc.web.accounts.middleware.LoginRequiredMiddleware",
    "cchc.web.accounts.middleware.MethodNotAllowedPageMiddleware",
    "cchc.web.error_pages.InvalidRequestMiddleware",  # a wrong parameter is a 400, not a 500
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cchc.web.security.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "cchc.web.urls"
WSGI_APPLICATION = "cchc.web.wsgi.application"

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
                "cchc.web.accounts.context.user_role",
            ],
            "builtins": ["cchc.web.templatetags.cchc_words"],
        },
    }
]

DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "vi"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # served from the package through WhiteNoise finders
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "files"

LOGIN_URL = "/dang-nhap/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/dang-nhap/"

# Uploads: at most this many bytes per file (readers refuse larger text/PDF anyway).
CCHC_MAX_UPLOAD_BYTES = int(os.environ.get("CCHC_MAX_UPLOAD_BYTES", 50 * 1024 * 1024))
# Files one user may have waiting for ingest (queued or running) before more are refused.
CCHC_MAX_QUEUED_JOBS = int(os.environ.get("CCHC_MAX_QUEUED_JOBS", 20))
# Tasks one ingested document may create; the rest are named in the document's warnings.
CCHC_MAX_TASKS_PER_DOCUMENT = int(os.environ.get("CCHC_MAX_TASKS_PER_DOCUMENT", 200))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

SECURE_COOKIES = os.environ.get("CCHC_SECURE_COOKIES", "") == "1"
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The CSRF cookie stays readable by scripts (API clients in the page send it as X-CSRFToken);
# it is no secret from the page itself, and useless to another site (SameSite, Origin check).
CSRF_COOKIE_HTTPONLY = False
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "cchc.web.error_pages.csrf_failure"  # a Vietnamese page
SECURE_CONTENT_TYPE_NOSNIFF = True
CCHC_BEHIND_PROXY = os.environ.get("CCHC_BEHIND_PROXY", "") == "1"
if CCHC_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Log-in rate limit (accounts/throttle.py), counted per username and client address in the
# cache: a database table, shared by every server thread and process.
CCHC_LOGIN_MAX_FAILURES = int(os.environ.get("CCHC_LOGIN_MAX_FAILURES", 5))
CCHC_LOGIN_WINDOW = int(os.environ.get("CCHC_LOGIN_WINDOW", 15 * 60))
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cchc_cache",
    }
}
AUTHENTICATION_BACKENDS = ["cchc.web.accounts.throttle.ThrottledModelBackend"]
X_FRAME_OPTIONS = "SAMEORIGIN"  # the original PDF is shown in a frame of our own page

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CCHC_JOB_VISIBILITY = int(os.environ.get("CCHC_JOB_VISIBILITY", 3600))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",  # enforces CSRF
        "cchc.web.accounts.throttle.ThrottledBasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "cchc.web.api.exception_handler",  # 401 for a wrong Basic password
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"cchc": {"handlers": ["console"], "level": "INFO"}},
}

# --- work on a task: reminders (helper B) ---
# The daily digest (`cchc digest`) is e-mailed through these when EMAIL_HOST is set; without it
# reminders are only shown in the app (the embedded set-up needs no mail server).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cchc@localhost")
# "Due soon" in the digest: within this many days.
CCHC_DIGEST_DAYS = int(os.environ.get("CCHC_DIGEST_DAYS", 3))
TEMPLATES[0]["OPTIONS"]["context_processors"].append("cchc.web.work.context.notifications")
