"""Delivery of outgoing email on the task worker, with retries and backoff.

Each attempt first claims the row (queued or failed, and due), so a task that
runs twice, or a sweep that re-enqueues a row whose task is still waiting,
never sends the same email twice.
"""

import base64
import datetime as dt
import logging
import smtplib

from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TASK_MAX_PRIORITY

from .backends import message_id_domain
from .models import OutboundEmail

logger = logging.getLogger(__name__)

# The wait after the 1st, 2nd, ... failed attempt. The attempt after the last
# wait is the final one: if it fails too, the email is given up.
RETRY_DELAYS = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=12),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


# People wait on these (a verification link, a password reset): they go ahead of
# background work such as search indexing, on the database queue (priority) and
# on RQ (the front of the queue).
@task(priority=TASK_MAX_PRIORITY)
def email_deliver_task(*, email_id: int) -> None:
    """Try to deliver one queued email (see ``email_deliver``)."""
    email_deliver(email_id=email_id)


def email_enqueue(*, email_id: int, run_after: dt.datetime | None = None) -> bool:
    """Hand an email to the task worker, now or at ``run_after``.

    Returns False when the task backend cannot defer a task or cannot be
    reached: the row stays due and ``manage.py email_sweep`` picks it up.
    """
    deliver = email_deliver_task
    try:
        if run_after is not None:
            if not deliver.get_backend().supports_defer:
                return False
            deliver = deliver.using(run_after=run_after)
        deliver.enqueue(email_id=email_id)
    except Exception:
        logger.exception(
            "Email %s could not be handed to the task queue; the sweep will retry it",
            email_id,
        )
        return False
    return True


def email_deliver(*, email_id: int) -> str | None:
    """Send the email if it is still due; returns its new status, or None when
    another attempt has it, it was already sent or it is not due yet."""
    now = timezone.now()
    claimed = (
        OutboundEmail.objects.filter(
            pk=email_id,
            status__in=[OutboundEmail.Status.QUEUED, OutboundEmail.Status.FAILED],
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(
            status=OutboundEmail.Status.SENDING,
            attempts=F("attempts") + 1,
            last_attempt_at=now,
        )
    )
    if not claimed:
        logger.info("Email %s is not due for delivery; nothing to do", email_id)
        return None
    email = OutboundEmail.objects.get(pk=email_id)
    try:
        email_message(email=email).send()
    except Exception as error:  # every failure is recorded on the row
        return _record_failure(email=email, error=error, now=now)
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.SENT,
        sent_at=timezone.now(),
        next_attempt_at=None,
        # The content may hold one-time links; it is not needed any more.
        body="",
        html_body="",
        attachments=[],
    )
    logger.info("Email %s sent (attempt %s)", email.pk, email.attempts)
    return OutboundEmail.Status.SENT


def email_message(*, email: OutboundEmail) -> EmailMultiAlternatives:
    """The Django message for a stored email, with a Message-ID that stays the
    same across attempts (so a receiver can drop a duplicate)."""
    headers = dict(email.headers or {})
    if not any(name.lower() == "message-id" for name in headers):
        stamp = int(email.created_at.timestamp())
        domain = message_id_domain()
        headers["Message-ID"] = f"<esplora.{email.pk}.{stamp}@{domain}>"
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        from_email=email.from_email or None,
        to=list(email.to),
        headers=headers,
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    for attachment in email.attachments:
        message.attach(
            attachment["filename"],
            base64.b64decode(attachment["content"]),
            attachment["mimetype"],
        )
    return message


def is_transient(error: Exception) -> bool:
    """Whether trying again later may succeed: connection problems and SMTP 4xx
    replies, not 5xx replies (a refused address stays refused) nor bugs."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return any(code < 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code < 500
    return isinstance(error, smtplib.SMTPException | OSError)


def _record_failure(*, email: OutboundEmail, error: Exception, now) -> str:
    summary = f"{type(error).__name__}: {error}"[:2000]
    rows = OutboundEmail.objects.filter(pk=email.pk)
    if is_transient(error) and email.attempts < MAX_ATTEMPTS:
        next_attempt = now + RETRY_DELAYS[email.attempts - 1]
        rows.update(
            status=OutboundEmail.Status.FAILED,
            last_error=summary,
            next_attempt_at=next_attempt,
        )
        logger.warning(
            "Email %s failed on attempt %s of %s, next attempt at %s: %s",
            email.pk,
            email.attempts,
            MAX_ATTEMPTS,
            next_attempt.isoformat(),
            summary,
        )
        email_enqueue(email_id=email.pk, run_after=next_attempt)
        return OutboundEmail.Status.FAILED
    rows.update(
        status=OutboundEmail.Status.GIVEN_UP, last_error=summary, next_attempt_at=None
    )
    logger.error(
        "Email %s given up after %s attempt(s): %s",
        email.pk,
        email.attempts,
        summary,
        exc_info=error,
    )
    return OutboundEmail.Status.GIVEN_UP
