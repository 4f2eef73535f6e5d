"""Request ids on responses and log lines; ADMINS and Sentry from the
environment (production settings loaded in a child process, no network)."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError

from portal import health
from portal.observability import RequestIdFilter, incoming_or_new

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [
        ("0f3c9a7e2b1d4c5e8f9a0b1c2d3e4f5a", True),  # nginx's $request_id
        ("req-2026.12.01:42", True),
        ("", False),
        ("short", False),
        ("with space and more text", False),
        ("x" * 65, False),
        ("abc\r\nSet-Cookie: x=1", False),
    ],
)
def test_incoming_id_is_kept_only_when_safe(incoming, kept):
    assert (incoming_or_new(incoming) == incoming) is kept


def test_every_response_carries_an_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]

    assert len(first) == 32 and first != second
    forwarded = client.get("/healthz", HTTP_X_REQUEST_ID="nginx-abcdef123456")
    assert forwarded["X-Request-ID"] == "nginx-abcdef123456"


def test_log_lines_of_a_request_carry_its_id(client, caplog):
    broken = mock.Mock(side_effect=OperationalError("down"))
    with mock.patch.object(health.connection, "cursor", broken):
        client.get("/healthz", HTTP_X_REQUEST_ID="probe-0123456789")

    (record,) = [r for r in caplog.records if r.name == "portal.health"]
    RequestIdFilter().filter(record)
    assert record.request_id == "probe-0123456789"


def test_log_lines_outside_a_request_say_so():
    record = logging.LogRecord("portal.mail", logging.INFO, "", 0, "x", (), None)
    RequestIdFilter().filter(record)
    assert record.request_id == "-"


def _production(**env: str) -> dict:
    """Load the production settings in a child process and report on them."""
    script = (
        "import json, django, sentry_sdk\n"
        "django.setup()\n"
        "from django.conf import settings as s\n"
        "client = sentry_sdk.get_client()\n"
        "print(json.dumps({'admins': s.ADMINS, 'sentry': s.SENTRY_ENABLED,\n"
        "  'active': client.is_active(),\n"
        "  'pii': client.options.get('send_default_pii'),\n"
        "  'environment': client.options.get('environment'),\n"
        "  'release': client.options.get('release'),\n"
        "  'request_handlers': s.LOGGING['loggers']['django.request']['handlers'],\n"
        "  'exempt': s.SECURE_REDIRECT_EXEMPT}))\n"
    )
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SENTRY_", "DJANGO_", "PORTAL_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        DJANGO_SECRET_KEY="s" * 30 + "x9!Qz" * 6,
        PORTAL_BASE_URL="https://esplora.test",
        **env,
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_a_dsn_sentry_is_not_initialised():
    report = _production(DJANGO_ADMINS="Ufficio tecnico <tecnico@example.org>")

    assert report["sentry"] is False and report["active"] is False
    assert report["admins"] == [["Ufficio tecnico", "tecnico@example.org"]]
    assert report["request_handlers"] == ["mail_admins"]
    assert report["exempt"] == ["^healthz$"]


def test_with_a_dsn_sentry_starts_without_personal_data():
    report = _production(
        # Nothing listens there: initialising must not need the network.
        SENTRY_DSN="http://0123456789abcdef@127.0.0.1:9/1",
        SENTRY_ENVIRONMENT="staging",
        SENTRY_RELEASE="esplora@1.2.3",
        DJANGO_ADMINS="a@example.org, Bruno <b@example.org>",
    )

    assert report["sentry"] is True and report["active"] is True
    assert report["pii"] is False
    assert report["environment"] == "staging"
    assert report["release"] == "esplora@1.2.3"
    assert report["admins"] == [
        ["a@example.org", "a@example.org"],
        ["Bruno", "b@example.org"],
    ]
