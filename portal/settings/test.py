"""Test settings: fast hashing, in-memory email and cache, tasks run at once."""

import tempfile

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
# The address of the test Site record that tests/conftest.py builds.
PORTAL_BASE_URL = "http://localhost"
WAGTAILADMIN_BASE_URL = PORTAL_BASE_URL
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
    },
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="esplora-test-media-")
KIT_PRIVATE_ROOT = tempfile.mkdtemp(prefix="esplora-test-private-")
COMMUNITY_ATTACHMENT_ROOT = tempfile.mkdtemp(prefix="esplora-test-community-")
KIT_X_ACCEL_REDIRECT_PREFIX = ""
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Tests count queries and change settings between two requests of one page: the
# page cache is off here and switched on by tests/portal/test_pagecache.py.
PAGE_CACHE_ENABLED = False
