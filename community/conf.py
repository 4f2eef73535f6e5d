"""Community settings, read lazily with defaults so portal settings need not change.

Override any of them in the portal settings (e.g. ``COMMUNITY_MAX_POST_LENGTH``).
"""

from pathlib import Path

from django.conf import settings


def max_post_length() -> int:
    return getattr(settings, "COMMUNITY_MAX_POST_LENGTH", 50_000)


def rate_limit_posts() -> int:
    """Posts one user may write per rate window; 0 turns the limit off."""
    return getattr(settings, "COMMUNITY_RATE_LIMIT_POSTS", 10)


def rate_limit_window_seconds() -> int:
    return getattr(settings, "COMMUNITY_RATE_LIMIT_WINDOW", 60)


def max_attachment_bytes() -> int:
    return getattr(settings, "COMMUNITY_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)


def max_attachments_per_post() -> int:
    return getattr(settings, "COMMUNITY_MAX_ATTACHMENTS_PER_POST", 5)


def attachment_root() -> Path:
    """Private folder for attachments: never under MEDIA_ROOT, never served directly."""
    default = Path(getattr(settings, "VAR_DIR", settings.BASE_DIR / "var"))
    return Path(
        getattr(
            settings, "COMMUNITY_ATTACHMENT_ROOT", default / "private" / "community"
        )
    )


def threads_per_page() -> int:
    return getattr(settings, "COMMUNITY_THREADS_PER_PAGE", 25)


def posts_per_page() -> int:
    return getattr(settings, "COMMUNITY_POSTS_PER_PAGE", 20)
