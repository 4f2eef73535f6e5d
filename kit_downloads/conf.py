"""The kit area's settings, read lazily with defaults so base.py need not list them.

- ``KIT_PRIVATE_ROOT``: where release files are stored; outside ``MEDIA_ROOT`` and
  never served by a URL of its own (default ``VAR_DIR / "private"``).
- ``KIT_X_ACCEL_REDIRECT_PREFIX``: when set (e.g. ``"/_kit_private/"``), downloads
  are handed to nginx through ``X-Accel-Redirect`` to that internal location;
  empty means Django streams the file itself.
- ``KIT_SECURITY_REMINDER_DAYS``: days after a security release before
  administrations still on an older version are reminded (default 7).
- ``KIT_STREAM_CHUNK_SIZE``: bytes read per chunk when streaming (default 256 KiB).
- ``KIT_GPG_BINARY``: the GnuPG executable that verifies signatures (default
  ``gpg`` on the PATH; Debian's ``gnupg`` package).
"""

from pathlib import Path

from django.conf import settings


def private_root() -> Path:
    default = Path(getattr(settings, "VAR_DIR", settings.BASE_DIR / "var")) / "private"
    return Path(getattr(settings, "KIT_PRIVATE_ROOT", default))


def x_accel_redirect_prefix() -> str:
    return getattr(settings, "KIT_X_ACCEL_REDIRECT_PREFIX", "")


def security_reminder_days() -> int:
    return int(getattr(settings, "KIT_SECURITY_REMINDER_DAYS", 7))


def stream_chunk_size() -> int:
    return int(getattr(settings, "KIT_STREAM_CHUNK_SIZE", 256 * 1024))


def gpg_binary_name() -> str:
    return getattr(settings, "KIT_GPG_BINARY", "gpg")
