"""portal.ratelimit: fixed-window counters, counted with the write they guard."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction

from portal.ratelimit import services
from portal.ratelimit.models import Counter

pytestmark = pytest.mark.django_db

MINUTE = timedelta(minutes=1)
NOON = datetime(2026, 3, 2, 12, 0, 30, tzinfo=UTC)


def _hit(key="k", limit=3, window=MINUTE, now=NOON) -> bool:
    with transaction.atomic():
        return services.counter_hit(key=key, limit=limit, window=window, now=now)


def test_allows_exactly_the_limit_per_window():
    assert [_hit() for _ in range(5)] == [True, True, True, False, False]
    assert Counter.objects.get().count == 3
    assert services.counter_is_exhausted(key="k", limit=3, window=MINUTE, now=NOON)


def test_the_next_window_starts_from_zero_and_keys_are_separate():
    for _ in range(3):
        _hit()
    assert _hit(now=NOON + MINUTE)
    assert _hit(key="other")
    assert not services.counter_is_exhausted(
        key="k", limit=3, window=MINUTE, now=NOON + MINUTE
    )


def test_windows_are_aligned():
    start = services.window_start(window=timedelta(days=1), now=NOON)
    assert start == datetime(2026, 3, 2, tzinfo=UTC)
    assert services.window_start(window=MINUTE, now=NOON) == NOON.replace(second=0)


def test_a_rolled_back_action_is_not_counted():
    with pytest.raises(RuntimeError), transaction.atomic():
        assert services.counter_hit(key="k", limit=1, window=MINUTE, now=NOON)
        raise RuntimeError("the guarded write failed")
    assert _hit(limit=1)


def test_zero_turns_the_limit_off():
    assert all(_hit(limit=0) for _ in range(20))
    assert not Counter.objects.exists()
    assert not services.counter_is_exhausted(key="k", limit=0, window=MINUTE)


@pytest.mark.django_db(transaction=True)
def test_refuses_to_count_outside_a_transaction():
    with pytest.raises(RuntimeError):
        services.counter_hit(key="k", limit=1, window=MINUTE)


def test_user_key_and_prune(make_user):
    user = make_user()
    assert services.user_key(scope="s", user=user) == f"s:user:{user.pk}"
    _hit(now=datetime(2020, 1, 1, tzinfo=UTC))
    _hit()
    _hit(now=datetime.now(UTC))
    assert services.counter_prune(older_than=timedelta(days=2)) >= 1
    assert not Counter.objects.filter(window_start__year=2020).exists()
    assert Counter.objects.filter(window_start__year__gte=2026).exists()
