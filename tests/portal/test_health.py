"""/healthz: database, cache and task-queue age, 200 or 503, nothing sensitive."""

import datetime as dt
import json
from http import HTTPStatus
from unittest import mock

import django_rq
import pytest
import redis
from django.db import OperationalError
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal import health
from portal.mail.tasks import email_deliver_task

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
RQ_URL = "redis://127.0.0.1:6379/14"


def _get(client):
    response = client.get("/healthz")
    return response, json.loads(response.content)


def test_all_checks_pass(client):
    response, body = _get(client)

    assert response.status_code == HTTPStatus.OK
    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok",
        "cache": "ok",
        "tasks": "ok",
    }
    assert "no-cache" in response["Cache-Control"]
    assert "Set-Cookie" not in response


def test_answers_behind_the_tls_proxy_in_any_language(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client = Client()  # middleware reads the settings when it is built

    response = client.get(
        "/healthz", HTTP_ACCEPT_LANGUAGE="en", HTTP_X_FORWARDED_PROTO="https"
    )

    assert response.status_code == HTTPStatus.OK
    assert client.get("/en/healthz").status_code != HTTPStatus.OK


def test_database_failure_is_503_without_details(client, caplog):
    broken = mock.Mock(side_effect=OperationalError("password for user 'secret'"))
    with mock.patch.object(health.connection, "cursor", broken):
        response, body = _get(client)

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert body["status"] == "fail"
    assert body["checks"]["database"] == {"status": "fail"}
    assert body["checks"]["cache"]["status"] == "ok"
    assert "secret" not in response.content.decode()
    assert "database does not answer" in caplog.text


def test_cache_failure_is_503(client, caplog):
    with mock.patch.object(health.cache, "set", side_effect=ConnectionError("down")):
        response, body = _get(client)

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert body["checks"]["cache"] == {"status": "fail"}
    assert body["checks"]["database"]["status"] == "ok"
    assert "down" not in response.content.decode()


def test_cache_that_loses_values_fails(client):
    with mock.patch.object(health.cache, "get", return_value=None):
        response, body = _get(client)

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert body["checks"]["cache"] == {"status": "fail"}


def _db_task(*, enqueued_ago: dt.timedelta, run_after=None, status="READY"):
    email_deliver_task.enqueue(email_id=1)
    row = DBTaskResult.objects.latest("enqueued_at")
    changes = {"enqueued_at": timezone.now() - enqueued_ago, "status": status}
    if run_after is not None:
        changes["run_after"] = run_after
    DBTaskResult.objects.filter(pk=row.pk).update(**changes)
    return row


def test_database_queue_with_a_fresh_task_is_ok(client, settings):
    settings.TASKS = DB_TASKS
    _db_task(enqueued_ago=dt.timedelta(seconds=30))

    response, body = _get(client)

    assert response.status_code == HTTPStatus.OK
    assert 25 <= body["checks"]["tasks"]["oldest_seconds"] <= 60


def test_database_queue_with_a_stale_task_fails(client, settings, monkeypatch):
    settings.TASKS = DB_TASKS
    monkeypatch.setenv("PORTAL_HEALTH_MAX_TASK_AGE", "300")
    _db_task(enqueued_ago=dt.timedelta(seconds=30))
    _db_task(enqueued_ago=dt.timedelta(minutes=20))

    response, body = _get(client)

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert body["checks"]["tasks"]["status"] == "fail"
    assert body["checks"]["tasks"]["oldest_seconds"] >= 20 * 60


@pytest.mark.parametrize(
    ("run_after", "status", "healthy"),
    [
        # Deferred to the future: not waiting yet, however old the row.
        (dt.timedelta(hours=1), "READY", True),
        # Due 20 minutes ago and still not run.
        (dt.timedelta(minutes=-20), "READY", False),
        # Finished or running tasks are not waiting.
        (None, "SUCCESSFUL", True),
        (None, "RUNNING", True),
    ],
)
def test_database_queue_counts_only_due_tasks(
    client, settings, run_after, status, healthy
):
    settings.TASKS = DB_TASKS
    _db_task(
        enqueued_ago=dt.timedelta(hours=3),
        run_after=timezone.now() + run_after if run_after is not None else None,
        status=status,
    )

    response, _ = _get(client)

    assert (response.status_code == HTTPStatus.OK) is healthy


@pytest.fixture
def rq_queue(settings):
    connection = redis.Redis.from_url(RQ_URL)
    try:
        connection.ping()
    except redis.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    connection.flushdb()
    settings.RQ_QUEUES = {"default": {"URL": RQ_URL}}
    settings.TASKS = {
        "default": {"BACKEND": "portal.task_backends.RQBackend", "QUEUES": ["default"]}
    }
    yield connection
    connection.flushdb()


def test_rq_queue_head_age(client, rq_queue, monkeypatch):
    monkeypatch.setenv("PORTAL_HEALTH_MAX_TASK_AGE", "300")
    result = email_deliver_task.enqueue(email_id=1)

    response, body = _get(client)
    assert response.status_code == HTTPStatus.OK
    assert body["checks"]["tasks"]["oldest_seconds"] < 60

    job = django_rq.get_queue("default").fetch_job(result.id)
    job.enqueued_at = timezone.now() - dt.timedelta(minutes=10)
    job.save()
    response, body = _get(client)
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert body["checks"]["tasks"]["oldest_seconds"] >= 600


def test_rq_scheduled_job_overdue_means_no_scheduler(client, rq_queue, monkeypatch):
    monkeypatch.setenv("PORTAL_HEALTH_MAX_TASK_AGE", "300")
    email_deliver_task.using(
        run_after=timezone.now() - dt.timedelta(minutes=15)
    ).enqueue(email_id=1)

    response, body = _get(client)

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert body["checks"]["tasks"]["status"] == "fail"


def test_rq_unreachable_fails(client, settings):
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}
    settings.TASKS = {
        "default": {"BACKEND": "portal.task_backends.RQBackend", "QUEUES": ["default"]}
    }

    response, body = _get(client)

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert body["checks"]["tasks"] == {"status": "fail"}
