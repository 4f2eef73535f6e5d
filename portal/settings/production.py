"""Production settings: refuse to start without the secrets they need."""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from portal.observability import sentry_init

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random string of at least 50 characters "
        "in production."
    )

# Every absolute URL (emails, feeds, sitemap, open data) is built on this address:
# never guess it from a request or fall back to a development one.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "").rstrip("/")
if not PORTAL_BASE_URL.startswith("https://"):
    raise ImproperlyConfigured(
        "PORTAL_BASE_URL must be set to the portal's public https address in "
        "production, e.g. https://esploralavoro.example.org"
    )
WAGTAILADMIN_BASE_URL = PORTAL_BASE_URL
ALLOWED_HOSTS = env_list(  # noqa: F405
    "DJANGO_ALLOWED_HOSTS", urlsplit(PORTAL_BASE_URL).hostname or ""
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", PORTAL_BASE_URL)  # noqa: F405
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# The shipped nginx is the one proxy in front of gunicorn: the client's address is
# the last entry of X-Forwarded-For, which nginx sets from the connection.
PORTAL_TRUSTED_PROXY_COUNT = int(os.environ.get("PORTAL_TRUSTED_PROXY_COUNT", "1"))
ALLAUTH_TRUSTED_PROXY_COUNT = PORTAL_TRUSTED_PROXY_COUNT

# Production runs behind the nginx of deploy/nginx/, which serves kit files from
# its internal location once the download view has checked the right.
KIT_X_ACCEL_REDIRECT_PREFIX = os.environ.get(
    "KIT_X_ACCEL_REDIRECT_PREFIX", "/_kit_private/"
)

# One database connection per worker, kept between requests (checked before
# reuse): opening one for every request costs more CPU than a page's queries.
DATABASES["default"]["CONN_MAX_AGE"] = int(  # noqa: F405
    os.environ.get("DATABASE_CONN_MAX_AGE", "60")
)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)  # noqa: F405
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365))
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

# Observe and recover: /healthz answers probes that reach gunicorn directly over
# http; errors (failed requests, emails given up) are emailed to ADMINS
# (DJANGO_ADMINS) and, when SENTRY_DSN is set, sent to Sentry.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
LOGGING["loggers"]["django.request"]["handlers"] = ["mail_admins"]  # noqa: F405
LOGGING["loggers"]["portal"]["handlers"] = ["mail_admins"]  # noqa: F405
SENTRY_ENABLED = sentry_init()
