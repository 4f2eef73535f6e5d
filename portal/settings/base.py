"""Settings shared by every environment, read from environment variables.

Every external part has an embedded default so that a newcomer needs nothing
installed: SQLite, a file cache, the database task queue, Wagtail's database
search backend and console email. Set the variables below to use the real ones.
"""

import os
from email.utils import getaddresses
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)

# The portal's public address (scheme and host, no path): the one source of every
# absolute URL the portal writes (emails, sitemap, feeds, open data, JSON-LD, .ics,
# publiccode.yml). Production requires it; `manage.py site_sync` (also run after
# every migrate) keeps Wagtail's Site record in step with it.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
_BASE_HOST = urlsplit(PORTAL_BASE_URL).hostname or "127.0.0.1"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", f"{_BASE_HOST},127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", PORTAL_BASE_URL)

# How many reverse proxies in front of the portal append to X-Forwarded-For: 0 on
# the development server, 1 behind the shipped nginx. portal.clientip reads it,
# and allauth's rate limits use the same count.
PORTAL_TRUSTED_PROXY_COUNT = int(os.environ.get("PORTAL_TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_PROXY_COUNT = PORTAL_TRUSTED_PROXY_COUNT

INSTALLED_APPS = [
    "portal",
    "portal.accounts",
    "portal.taxonomy",
    "portal.practices",
    "portal.projects",
    "portal.observatories",
    "portal.monitoring",
    "portal.seminars",
    "portal.newsletters",
    "portal.mail",
    "portal.ratelimit",
    "portal.legal",
    "portal.feedback",
    "community",
    "kit_downloads",
    "sportelli",
    "search",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "bootstrap_italia_template",
    "csp",
    "allauth",
    "allauth.account",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "portal.observability.RequestIdMiddleware",
    # Anonymous visitors' pages, served and stored outside everything below
    # (a hit runs no other middleware; it answers its own 304s).
    "portal.pagecache.PageCacheMiddleware",
    # 304 for an If-None-Match that still matches (pages, feeds, open data).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # The admin's own CSP, and previews the admin may frame (after CSPMiddleware).
    "portal.admin_csp.AdminFramingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # One admin write at a time per page (workflow actions racing autosave).
    "portal.admin_editing.PageWriteLockMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL points at PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker write while the web process reads.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, else a file cache shared by every process
# on this machine (allauth's rate limits need a cache all workers see).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.pagecache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "esplora",
        },
        "pages": {
            "BACKEND": "portal.pagecache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "esplora-pages",
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache" / "pages"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }

# The page cache for anonymous visitors (portal.pagecache): how long an entry may
# live when nothing it shows changes, and what is never cached (the admin, the
# account pages, static and media files, the APIs that authenticate callers).
PAGE_CACHE_ENABLED = env_bool("PORTAL_PAGE_CACHE", True)
PAGE_CACHE_SECONDS = 600
PAGE_CACHE_EXCLUDED_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/static/",
    "/media/",
    "/account/",
    "/en/account/",
    "/documents/",
    "/healthz",
)

# Background tasks: the database queue by default, RQ on Redis when REDIS_URL is set.
if REDIS_URL:
    # django-tasks-rq's backend, with task priorities (emails first).
    TASKS = {
        "default": {"BACKEND": "portal.task_backends.RQBackend", "QUEUES": ["default"]}
    }
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
_VALIDATION = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATION}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATION}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATION}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATION}.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "account_profile"
LOGOUT_REDIRECT_URL = "/"

# django-allauth: login by email, mandatory verification, rate limits on.
ACCOUNT_ADAPTER = "portal.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Esplora Lavoro] "
ACCOUNT_RATE_LIMITS = {
    # 5 failures per account in 5 minutes: the 6th attempt is refused.
    "login_failed": "10/m/ip,5/5m/key",
}

# Email: SMTP when EMAIL_HOST is set, the console otherwise.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
EMAIL_BACKEND = (
    "portal.mail.backends.SMTPBackend"  # Message-IDs on the portal's host
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Esplora Lavoro <noreply@esploralavoro.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Languages: Italian first, English second.
LANGUAGE_CODE = "it"
LANGUAGES = [("it", "Italiano"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True
# Date and time formats per language (portal/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = "portal.formats"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}

# Wagtail
WAGTAIL_SITE_NAME = "Esplora Lavoro"
# Wagtail's own emails (moderation) link to the same address.
WAGTAILADMIN_BASE_URL = PORTAL_BASE_URL
WAGTAILADMIN_USER_LOGIN_FORM = "portal.accounts.forms.AdminLoginForm"
WAGTAIL_PASSWORD_RESET_ENABLED = False  # password reset goes through allauth
# No third-party calls from the admin: editors' email hashes are not sent to
# Gravatar, and the admin does not ask releases.wagtail.org for upgrades
# (upgrades follow requirements.lock).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "ods", "docx", "xlsx", "csv", "zip", "txt"]
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": True},
}
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")

# Security headers that hold in every environment.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail allows its own preview iframe per view
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp). No inline or third-party script runs on
# the public site. Bootstrap Italia's JavaScript sets inline styles and embeds its
# icon font as a data: URL, so styles allow 'unsafe-inline' and fonts data:. The
# Wagtail admin needs inline scripts, so it is excluded here and gets its own
# policy from portal.admin_csp (only the admin frames the admin and its previews).
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# SILLA kit files: private storage that no URL serves; downloads go through the
# checked view, which hands them to nginx (X-Accel-Redirect) when a prefix is set.
KIT_PRIVATE_ROOT = os.environ.get("KIT_PRIVATE_ROOT", str(VAR_DIR / "private"))
KIT_X_ACCEL_REDIRECT_PREFIX = os.environ.get("KIT_X_ACCEL_REDIRECT_PREFIX", "")
KIT_SECURITY_REMINDER_DAYS = int(os.environ.get("KIT_SECURITY_REMINDER_DAYS", "7"))
# Community attachments: private too, served only through the permission check.
COMMUNITY_ATTACHMENT_ROOT = os.environ.get(
    "COMMUNITY_ATTACHMENT_ROOT", str(VAR_DIR / "private" / "community")
)

# Job desks: days a shared candidature lives before it is deleted (unless renewed).
SPORTELLI_CANDIDATURE_RETENTION_DAYS = int(
    os.environ.get("SPORTELLI_CANDIDATURE_RETENTION_DAYS", "180")
)

# How long the rendered navigation stays cached (it is also cleared on publish).
PORTAL_NAVIGATION_CACHE_SECONDS = 60 * 60

# Logging: one console stream (journald under systemd) with time, level, logger
# and the request id (portal.observability); the portal's apps at
# DJANGO_LOG_LEVEL (default INFO), Django's request and security loggers at
# WARNING. Production adds email to ADMINS for errors (settings/production.py).
DJANGO_LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "portal.observability.RequestIdFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "standard": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "standard",
            "filters": ["request_id"],
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # Records propagate to the root's console handler (and to pytest's caplog).
        **{
            name: {"level": DJANGO_LOG_LEVEL}
            for name in ("portal", "community", "kit_downloads", "search")
        },
        "django": {"handlers": [], "level": "INFO"},
        "django.request": {"level": "WARNING"},
        "django.security": {"level": "WARNING"},
    },
}

# Who hears of errors: DJANGO_ADMINS="Name <email>, other@example.org".
ADMINS = [
    (name or address, address)
    for name, address in getaddresses([os.environ.get("DJANGO_ADMINS", "")])
    if address
]

# Job desks' API (sportelli/api): calls per key and window (seconds); exporters of
# the national vacancy feed by name (None: the shipped json, xml and jsonld).
SPORTELLI_API_RATE_LIMIT = int(os.environ.get("SPORTELLI_API_RATE_LIMIT", "120"))
SPORTELLI_API_RATE_WINDOW = 60
SPORTELLI_EXPORT_FORMATS = None
