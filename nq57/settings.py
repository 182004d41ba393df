"""Django settings for nq57, configured entirely by environment variables.

Every variable is documented in README.md ("Configuration"). Defaults are safe for development: an embedded
SQLite database under ``NQ57_DATA_DIR`` and an in-process (SQLite-backed) Huey queue.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env_str(name: str, default: str = "") -> str:
    """A string from the environment; ``NAME_FILE`` may point at a file holding the value (for secrets)."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
DATA_DIR = Path(env_str("NQ57_DATA_DIR", str(PROJECT_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

_DEV_SECRET = "dev-only-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET)
if not DEBUG and SECRET_KEY == _DEV_SECRET and env_bool("NQ57_PRODUCTION", False):
    raise ImproperlyConfigured("SECRET_KEY must be set in production")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

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
    "simple_history",
    "huey.contrib.djhuey",
    "nq57.core",
    "nq57.accounts",
    "nq57.agencies",
    "nq57.taxonomy",
    "nq57.notices",
    "nq57.tasks",
    "nq57.reports",
    "nq57.monitoring",
    "nq57.api",
    "nq57.exchange",
    "nq57.indicators",
    "nq57.hub",
    "axes",  # login throttling: attempts per account and per address, lockout, audit in the admin
    "nq57.search",
    "nq57.intake",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "nq57.core.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "nq57.core.middleware.LoginRequiredMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the Vietnamese "locked out" page
]

ROOT_URLCONF = "nq57.urls"
WSGI_APPLICATION = "nq57.wsgi.application"

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
                "nq57.core.context_processors.navigation",
                "nq57.core.context_processors.static_assets",
            ],
        },
    },
]

# --- Database: embedded SQLite (WAL) by default, PostgreSQL through DATABASE_URL -------------------------------
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # solid-state storage: a random read costs about what a sequential one does, so PostgreSQL should prefer an index
    # walk from the few rows a filter names (one agency's ~3,600 assignments) to a scan of every task (its default, 4,
    # assumes spinning disks); PG_RANDOM_PAGE_COST=4 restores it
    if "postgresql" in DATABASES["default"]["ENGINE"]:  # DATABASE_URL may also name an SQLite file
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        # prepared statements: parameters are bound by the server (no quoting in Python) and a statement a connection
        # has run PG_PREPARE_THRESHOLD times is kept prepared, so PostgreSQL no longer parses it on every request.
        # Each execution is still planned for its own parameters (force_custom_plan): a generic plan, which
        # PostgreSQL would otherwise adopt after five runs, ignores how skewed the data is (one agency holds 3,600
        # tasks, another 40) and was measured 6x slower on the overview. Behind a pooler in transaction mode
        # (PgBouncer without max_prepared_statements) set PG_PREPARE_THRESHOLD= (empty) to turn preparing off.
        _options.setdefault("server_side_binding", True)
        _threshold = env_str("PG_PREPARE_THRESHOLD", "5")
        _options.setdefault("prepare_threshold", int(_threshold) if _threshold else None)
        _options["options"] = (f"{_options.get('options', '')} "
                               f"-c random_page_cost={env_str('PG_RANDOM_PAGE_COST', '1.1')} "
                               "-c plan_cache_mode=force_custom_plan").strip()
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "nq57.sqlite3",
            # keep the connection (and its page cache) across requests instead of reopening it every time
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 600),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                    "PRAGMA busy_timeout=20000; PRAGMA cache_size=-65536;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background jobs: Huey on SQLite by default, on Redis when REDIS_URL is set --------------------------------
REDIS_URL = env_str("REDIS_URL", "")
HUEY_IMMEDIATE = env_bool("HUEY_IMMEDIATE", False)
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.PriorityRedisHuey",
        "name": env_str("HUEY_NAME", "nq57"),
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": env_int("HUEY_WORKERS", 2), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "nq57",
        "filename": str(DATA_DIR / "huey.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": env_int("HUEY_WORKERS", 2), "worker_type": "thread"},
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out account or address before any check
    "django.contrib.auth.backends.ModelBackend",
]
# --- Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account, or from one address,
# that account / address is locked for AXES_COOLOFF_MINUTES; every attempt is kept (admin: "Axes")
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = __import__("datetime").timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: per account and per address
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "errors/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "accounts:home"  # staff go on to the overview, citizens see their own page
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "vi"
FORMAT_MODULE_PATH = ["nq57.formats"]  # thousands grouping for money (nq57/formats/vi)
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "nq57.core.uploads.SafeNameFileSystemStorage"},  # stored names never too long
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATICFILES_DIRS = [BASE_DIR / "static"]
PLOTLY_STATIC_DIR = "plotly"
try:  # plotly's bundled JavaScript, served locally as /static/plotly-<version>/plotly.min.js (no CDN)
    import plotly

    # the version in the path: the 4.8 MB bundle (1.4 MB gzipped by collectstatic) is cached by browsers for a year
    # (WHITENOISE_IMMUTABLE_FILE_TEST) and an upgrade changes its address
    PLOTLY_STATIC_DIR = f"plotly-{plotly.__version__}"
    STATICFILES_DIRS.append((PLOTLY_STATIC_DIR, str(Path(plotly.__file__).parent / "package_data")))
except ImportError:  # pragma: no cover - plotly is a hard dependency; this only guards odd installs
    pass
WHITENOISE_IMMUTABLE_FILE_TEST = r"/plotly-\d[^/]*/"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))

# --- Uploads ---------------------------------------------------------------------------------------------------
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
NOTICE_UPLOAD_MAX_BYTES = env_int("NOTICE_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Email -----------------------------------------------------------------------------------------------------
_DEFAULT_EMAIL_BACKEND = "smtp.EmailBackend" if env_str("EMAIL_HOST") else "filebased.EmailBackend"
EMAIL_BACKEND = env_str("EMAIL_BACKEND", f"django.core.mail.backends.{_DEFAULT_EMAIL_BACKEND}")
EMAIL_FILE_PATH = str(DATA_DIR / "mail")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "nq57 <no-reply@nq57.local>")

# --- Monitoring rules ------------------------------------------------------------------------------------------
DUE_SOON_DAYS = env_int("DUE_SOON_DAYS", 7)
REMINDER_DAYS_BEFORE = [int(x) for x in env_list("REMINDER_DAYS_BEFORE", "7,3,1")]
# a claimed message not confirmed as sent after this long (its worker died) is taken over and sent by the next scan
NOTIFY_CLAIM_TIMEOUT_MINUTES = env_int("NOTIFY_CLAIM_TIMEOUT_MINUTES", 15)
# webhook deliveries: a receiver that does not answer within this many seconds counts as a failed attempt; at most
# this many deliveries run at once in one worker process, so the other job threads stay free for the alerts
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 5)
WEBHOOK_CONCURRENCY = env_int("WEBHOOK_CONCURRENCY", 1)

# --- API (nq57.api): per-token rate limit, counted in a cache every web process shares -------------------------
# webhooks to private/loopback addresses (nq57.core.netguard); off in production
WEBHOOK_ALLOW_PRIVATE = env_bool("WEBHOOK_ALLOW_PRIVATE", False)
API_RATE_LIMIT_PER_MINUTE = env_int("API_RATE_LIMIT_PER_MINUTE", 600)  # 0 turns the limit off
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Redis when REDIS_URL is set; otherwise files under NQ57_DATA_DIR, shared by the gunicorn workers of one host
    "api": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "nq57"}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
              "LOCATION": str(DATA_DIR / "cache" / "api"), "OPTIONS": {"MAX_ENTRIES": 100000}}
    ),
}

# --- Security (production values come from the environment; see README "Production checklist") ----------------
# trust X-Forwarded-Proto only behind a proxy that sets it (otherwise any client could claim https)
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CONTENT_SECURITY_POLICY = env_str("CONTENT_SECURITY_POLICY", "") or None  # None: nq57.core.security's strict default
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG and env_bool("NQ57_PRODUCTION", False))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, their read compiled once per process (``core.sessions``)
SESSION_ENGINE = "nq57.core.sessions"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "huey": {"level": "INFO", "propagate": False}},
}

# the consolidated report's issuer (header, numbering, signature): "party" (Đảng Cộng sản Việt Nam) or "state"
# (national motto, Nghị định 30/2020); empty values keep the preset of that kind (see nq57/monitoring/issuers.py)
REPORT_ISSUER_KIND = env_str("REPORT_ISSUER_KIND", "party")
REPORT_ISSUER_NAME = env_str("REPORT_ISSUER_NAME", "")
REPORT_ISSUER_PARENT = env_str("REPORT_ISSUER_PARENT", "")
REPORT_ISSUER_CODE = env_str("REPORT_ISSUER_CODE", "")
REPORT_PLACE = env_str("REPORT_PLACE", "Hà Nội")

if env_bool("NQ57_TESTING", False):
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# A failed CSRF check answers the one Vietnamese refusal page and keeps what the form carried (core.kept_form)
CSRF_FAILURE_VIEW = "nq57.core.refusals.csrf_failure"
# the 3 Nhà hub (nq57.hub): brochure size limit and posts per person per hour
HUB_BROCHURE_MAX_BYTES = env_int("HUB_BROCHURE_MAX_BYTES", 20 * 1024 * 1024)
HUB_POSTS_PER_HOUR = env_int("HUB_POSTS_PER_HOUR", 10)
# Django's form renderer, with <select> written in Python (same HTML; the pickers list every agency and notice)
FORM_RENDERER = "nq57.core.forms_renderer.FastSelectRenderer"
# --- Housekeeping: abandoned notice drafts and import batches are removed (with their files) after this many days
CLEANUP_AFTER_DAYS = env_int("CLEANUP_AFTER_DAYS", 30)
