"""``/healthz``: is this process able to serve, and is the task worker keeping up?

Checks the database (``SELECT 1``), the cache (a write, read and delete of a
random key) and the age of the oldest task waiting in the queue (the database
queue or RQ). Answers 200 with ``"status": "ok"`` or 503 with ``"fail"``; the
body never carries error text (that goes to the log, as warnings: a probe
that polls a failing check must not flood ADMINS' mailbox).
"""

import datetime as dt
import logging
import os
import uuid

import django_rq
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max
from django_tasks_rq.backend import RQBackend

logger = logging.getLogger(__name__)

OK = "ok"
FAIL = "fail"


def max_task_age() -> float:
    """Seconds a task may wait before the worker counts as stuck
    (env PORTAL_HEALTH_MAX_TASK_AGE, default 600)."""
    try:
        return float(os.environ.get("PORTAL_HEALTH_MAX_TASK_AGE", "600"))
    except ValueError:
        return 600.0


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.warning("Health check: the database does not answer", exc_info=True)
        return {"status": FAIL}
    return {"status": OK}


def check_cache() -> dict:
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", timeout=30)
        found = cache.get(key)
        cache.delete(key)
    except Exception:
        logger.warning("Health check: the cache does not answer", exc_info=True)
        return {"status": FAIL}
    if found != "1":
        logger.warning("Health check: the cache did not return the value written")
        return {"status": FAIL}
    return {"status": OK}


def _oldest_database_task(now: dt.datetime) -> dt.datetime | None:
    """When the oldest task that is due in the database queue became due."""
    ready = DBTaskResult.objects.ready()
    never_deferred = get_date_max()
    candidates = [
        ready.filter(run_after=never_deferred)
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first(),
        ready.exclude(run_after=never_deferred)
        .filter(run_after__lte=now)
        .order_by("run_after")
        .values_list("run_after", flat=True)
        .first(),
    ]
    return min((c for c in candidates if c is not None), default=None)


def _oldest_rq_task(backend: RQBackend, now: dt.datetime) -> dt.datetime | None:
    """When the oldest job became due: the head of each queue, or a scheduled job
    whose time has passed (nothing moves it if the scheduler is not running)."""
    oldest = []
    for name in sorted(backend.queues):
        queue = django_rq.get_queue(name)
        head = queue.get_jobs(0, 1)
        if head and head[0].enqueued_at is not None:
            oldest.append(head[0].enqueued_at)
        registry = queue.scheduled_job_registry
        due = queue.connection.zrangebyscore(
            registry.key, 0, now.timestamp(), start=0, num=1, withscores=True
        )
        if due:
            oldest.append(dt.datetime.fromtimestamp(due[0][1], tz=dt.UTC))
    return min(oldest, default=None)


def check_tasks() -> dict:
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    now = timezone.now()
    try:
        if isinstance(backend, DatabaseBackend):
            oldest = _oldest_database_task(now)
        elif isinstance(backend, RQBackend):
            oldest = _oldest_rq_task(backend, now)
        else:
            # The immediate and dummy backends have no queue to fall behind.
            return {"status": OK, "oldest_seconds": None}
    except Exception:
        logger.warning("Health check: the task queue cannot be read", exc_info=True)
        return {"status": FAIL}
    age = max(0, round((now - oldest).total_seconds())) if oldest else 0
    if age > max_task_age():
        logger.warning(
            "Health check: the oldest queued task has waited %s s (limit %s s); "
            "is the worker (and its scheduler) running?",
            age,
            max_task_age(),
        )
        return {"status": FAIL, "oldest_seconds": age}
    return {"status": OK, "oldest_seconds": age}


@never_cache
@require_safe
def healthz(request):
    checks = {
        "database": check_database(),
        "cache": check_cache(),
        "tasks": check_tasks(),
    }
    healthy = all(check["status"] == OK for check in checks.values())
    return JsonResponse(
        {"status": OK if healthy else FAIL, "checks": checks},
        status=200 if healthy else 503,
    )
