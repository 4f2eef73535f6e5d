"""Atomic per-key limits: "at most N of this action per key and window".

Why the database and not the cache: Django's cache ``add`` + ``incr`` is atomic on
Redis and locmem but not on the file cache used in development, and a limit that
holds only in production is not tested by the suite. A counter row per
(key, fixed window) works the same on SQLite and PostgreSQL:

- ``counter_hit`` first makes sure the row exists (``INSERT ... ON CONFLICT DO
  NOTHING``), then increments it with one conditional statement,
  ``UPDATE ... SET count = count + 1 WHERE key = %s AND window_start = %s AND
  count < limit``. The database evaluates the condition and the increment
  together: on PostgreSQL a second writer waits on the row lock and re-checks the
  condition against the committed count; SQLite serialises writers. Two requests
  can never both take the last slot.
- It must run inside the caller's ``transaction.atomic`` block, next to the write
  it guards. If that write fails and rolls back, so does the increment (only
  actions that happened are counted), and until the transaction ends the row stays
  locked: other actions with the same key wait, so a caller may count its own rows
  (e.g. "pending proposals") after a successful hit without racing a twin request.
- ``counter_is_exhausted`` is a cheap read with no lock, for refusing early, before
  expensive work (sanitising a post); it is advisory, ``counter_hit`` decides.

Windows are fixed and aligned on the epoch (a minute starts at :00, a day at
midnight UTC), so up to twice the limit can pass across a window boundary: enough
to stop floods and scripts, which is what these limits are for.
"""

import logging
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Counter

logger = logging.getLogger(__name__)


def window_start(*, window: timedelta, now: datetime | None = None) -> datetime:
    """The start of the fixed window of length ``window`` that contains ``now``."""
    now = now or timezone.now()
    seconds = max(int(window.total_seconds()), 1)
    epoch = int(now.timestamp()) // seconds * seconds
    return datetime.fromtimestamp(epoch, tz=UTC)


def user_key(*, scope: str, user) -> str:
    """The counter key of one user's actions of one kind."""
    return f"{scope}:user:{user.pk}"


def counter_hit(
    *, key: str, limit: int, window: timedelta, now: datetime | None = None
) -> bool:
    """Count one more action for ``key``; False (nothing counted) if the limit
    of ``limit`` actions per ``window`` is already reached.

    Must be called inside ``transaction.atomic``: see the module docstring.
    A ``limit`` of 0 or less turns the limit off (always True, nothing stored).
    """
    if limit <= 0:
        return True
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("counter_hit must run inside transaction.atomic")
    start = window_start(window=window, now=now)
    Counter.objects.bulk_create(
        [Counter(key=key, window_start=start, count=0)], ignore_conflicts=True
    )
    updated = Counter.objects.filter(
        key=key, window_start=start, count__lt=limit
    ).update(count=F("count") + 1)
    if not updated:
        logger.info("Rate limit reached for %s (%s per %s)", key, limit, window)
    return bool(updated)


def counter_is_exhausted(
    *, key: str, limit: int, window: timedelta, now: datetime | None = None
) -> bool:
    """Whether ``key`` has already used its ``limit`` in the current window.

    A lock-free read for refusing early; ``counter_hit`` is the one that decides.
    """
    if limit <= 0:
        return False
    return Counter.objects.filter(
        key=key, window_start=window_start(window=window, now=now), count__gte=limit
    ).exists()


def counter_prune(*, older_than: timedelta = timedelta(days=2)) -> int:
    """Delete counters of windows that started before ``older_than`` ago."""
    deleted, _by_model = Counter.objects.filter(
        window_start__lt=timezone.now() - older_than
    ).delete()
    return deleted
