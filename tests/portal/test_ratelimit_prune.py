import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from portal.ratelimit.models import Counter

pytestmark = pytest.mark.django_db


def test_ratelimit_prune_keeps_current_windows():
    now = timezone.now()
    Counter.objects.create(key="old", window_start=now - dt.timedelta(days=3), count=4)
    Counter.objects.create(key="new", window_start=now, count=1)

    call_command("ratelimit_prune", stdout=StringIO())

    assert list(Counter.objects.values_list("key", flat=True)) == ["new"]
