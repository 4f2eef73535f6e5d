"""Writes of page feedback."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from wagtail.models import Page

from portal.ratelimit.services import counter_hit, counter_is_exhausted

from .models import PageFeedback


class RateLimited(Exception):
    """Too many answers from one address: nothing was saved."""


def _limits(*, ip: str, page_id: int) -> list[tuple[str, int, timedelta]]:
    return [
        (
            f"feedback:ip:{ip}",
            getattr(settings, "FEEDBACK_RATE_PER_HOUR", 20),
            timedelta(hours=1),
        ),
        (
            f"feedback:ip:{ip}:page:{page_id}",
            getattr(settings, "FEEDBACK_RATE_PER_PAGE_PER_DAY", 3),
            timedelta(days=1),
        ),
    ]


def feedback_is_limited(*, ip: str, page_id: int) -> bool:
    """Whether ``ip`` has used up a limit already (advisory, for step 1)."""
    return any(
        counter_is_exhausted(key=key, limit=limit, window=window)
        for key, limit, window in _limits(ip=ip, page_id=page_id)
    )


def feedback_create(
    *, page: Page, rating: int, reason: str = "", comment: str = "", ip: str
) -> PageFeedback:
    """Save one visitor's answer on ``page``, counted against ``ip``'s limits.

    Raises ``RateLimited`` (nothing saved, nothing counted) when a limit is
    reached and ``ValidationError`` for a rating out of range or an answer that
    does not match it.
    """
    feedback = PageFeedback(
        page=page,
        locale_id=page.locale_id,
        rating=rating,
        reason=reason,
        comment=comment,
    )
    feedback.full_clean(exclude=["page", "locale"])
    with transaction.atomic():
        for key, limit, window in _limits(ip=ip, page_id=page.pk):
            if not counter_hit(key=key, limit=limit, window=window):
                # Roll back the counters already hit in this block.
                raise RateLimited
        feedback.save()
    return feedback
