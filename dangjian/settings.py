"""Settings: embedded default (SQLite, DEBUG) or production (DATABASE_URL, DJANGO_DEBUG=0)."""

import json
import os
import secrets
import sys
import tempfile
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DANGJIAN_VAR_DIR", BASE_DIR / "var"))
TESTING = "pytest" in sys.modules or os.environ.get("DANGJIAN_TESTING") == "1"


def _local_secrets() -> dict[str, str]:
    """Secrets for the embedded default: generated once into an untracked file."""
    path = VAR_DIR / "secrets.json"
    if path.exists():
        data: dict[str, str] = json.loads(path.read_text())
    else:
        data = {}
    changed = False
    if "SECRET_KEY" not in data:
        data["SECRET_KEY"] = secrets.token_urlsafe(50)
        changed = True
    if "FIELD_KEY" not in data:
        data["FIELD_KEY"] = Fernet.generate_key().decode()
        changed = True
    if changed:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data))
        path.chmod(0o600)
    return data


DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
_env_secret = os.environ.get("DJANGO_SECRET_KEY")
_env_field_key = os.environ.get("DANGJIAN_FIELD_KEY")
if _env_secret and _env_field_key:
    SECRET_KEY, FIELD_ENCRYPTION_KEY = _env_secret, _env_field_key
elif DEBUG or TESTING:
    _local = _local_secrets()
    SECRET_KEY = _env_secret or _local["SECRET_KEY"]
    FIELD_ENCRYPTION_KEY = _env_field_key or _local["FIELD_KEY"]
else:
    raise RuntimeError("生产环境须设置 DJANGO_SECRET_KEY 与 DANGJIAN_FIELD_KEY 环境变量")

ALLOWED_HOSTS = [
    h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
if DEBUG or TESTING:
    ALLOWED_HOSTS += ["testserver", "*"]
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "axes",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "dangjian.core",
    "dangjian.audit",
    "dangjian.accounts",
    "dangjian.orgs",
    "dangjian.people",
    "dangjian.party",
    "dangjian.development",
    "dangjian.dues",
    "dangjian.orglife",
    "dangjian.supervision",
    "dangjian.rectification",
    "dangjian.accountability",
    "dangjian.notices",
    "dangjian.bulletins",
    "dangjian.decisions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "dangjian.audit.context.AuditContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dangjian.accounts.middleware.IdleTimeoutMiddleware",
    "dangjian.accounts.middleware.ForcePasswordChangeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dangjian.urls"
WSGI_APPLICATION = "dangjian.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dangjian.core.context_processors.frame",
                "dangjian.notices.context_processors.unread",
            ],
            "builtins": ["dangjian.core.templatetags.ui"],
        },
    }
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("DANGJIAN_SQLITE", str(VAR_DIR / "dangjian.sqlite3")),
            "OPTIONS": {
                # case_sensitive_like lets `path LIKE '/1/7/%'` use the index (STYLE.md §3)
                "init_command": (
                    "PRAGMA case_sensitive_like=ON; PRAGMA journal_mode=WAL; "
                    "PRAGMA synchronous=NORMAL;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "dangjian.accounts.passwords.CharacterClassesValidator"},
    {"NAME": "dangjian.accounts.passwords.HistoryValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# 等保: lock out after 5 failures for 15 minutes; idle sessions end after 30 minutes
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False
SESSION_IDLE_SECONDS = 30 * 60
SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and not TESTING
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
PASSWORD_HISTORY_COUNT = 5

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]  # one UI language, whatever the browser asks for
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i"
SHORT_DATE_FORMAT = "Y年n月j日"
FORMAT_MODULE_PATH = ["dangjian.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "dangjian" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = (
    True  # serve straight from the apps in development, no collectstatic needed
)
# tests write their uploads and generated documents to a throw-away folder, never next to the
# demo's files in var/media
MEDIA_ROOT = Path(
    os.environ.get("DANGJIAN_MEDIA_ROOT")
    or (tempfile.mkdtemp(prefix="dangjian-test-media-") if TESTING else VAR_DIR / "media")
)
MEDIA_URL = "/media/"

TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# imports above this many rows, exports above this many rows, run as background tasks
IMPORT_SYNC_MAX_ROWS = int(os.environ.get("DANGJIAN_IMPORT_SYNC_MAX_ROWS", "500"))
EXPORT_SYNC_MAX_ROWS = int(os.environ.get("DANGJIAN_EXPORT_SYNC_MAX_ROWS", "5000"))
SHOW_DEMO_LOGINS = DEBUG and os.environ.get("DANGJIAN_SHOW_DEMO_LOGINS", "1") == "1"

NINJA_PAGINATION_PER_PAGE = 25

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Lockout is per account (等保 asks for it per user); an IP-wide lockout would lock out a whole
# school behind one NAT address after five typos by different teachers.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# demo accounts made by `manage.py demo`; shown on the login page only when DEBUG
DEMO_PASSWORD = "Demo#2024dj"  # noqa: S105  fictional demo accounts only
