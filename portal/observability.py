"""Request ids: one per request, on every log line it causes and in the
response, so a log line, a user's report and nginx's access log meet.

nginx sends its ``$request_id`` as ``X-Request-ID``; a safe incoming value is
kept, anything else is replaced by a new id.
"""

import contextvars
import logging
import os
import re
import uuid

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration

REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar(
    "request_id", default="-"
)


def request_id() -> str:
    """The current request's id, or "-" outside a request (tasks, commands)."""
    return request_id_var.get()


def incoming_or_new(value: str | None) -> str:
    if value and _SAFE_ID.match(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Set the request id for the duration of the request and return it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = incoming_or_new(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = rid
        token = request_id_var.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[REQUEST_ID_HEADER] = rid
        return response


class RequestIdFilter(logging.Filter):
    """Put the current request id on every record as ``request_id``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id()
        return True


def sentry_init() -> bool:
    """Send errors to Sentry when SENTRY_DSN is set; True if it was set up.

    No personal data (``send_default_pii=False``); environment and release from
    SENTRY_ENVIRONMENT and SENTRY_RELEASE; performance tracing only when
    SENTRY_TRACES_SAMPLE_RATE is above 0. Error log lines (an email given up, a
    failed request) become Sentry events through the logging integration.
    """
    dsn = os.environ.get("SENTRY_DSN", "").strip()
    if not dsn:
        return False
    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=os.environ.get("SENTRY_RELEASE") or None,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )
    return True
