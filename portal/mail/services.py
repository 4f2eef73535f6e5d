"""Outgoing email: queue it with the caller's transaction, retry it from the
admin, sweep what the task queue missed."""

import base64
import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutboundEmail
from .tasks import email_enqueue

logger = logging.getLogger(__name__)

# (filename, content, mimetype), as Django's EmailMessage.attach() takes them.
Attachment = tuple[str, str | bytes, str]

# A row still "queued" this long after it was written lost its task (the queue
# was down, or a worker dropped it); a "sending" row this old lost its worker.
LOST_AFTER = dt.timedelta(minutes=15)


def email_send(
    *,
    subject: str,
    body: str,
    to: Iterable[str],
    from_email: str | None = None,
    html_body: str | None = None,
    headers: dict[str, str] | None = None,
    attachments: Iterable[Attachment] = (),
) -> OutboundEmail:
    """Record an already-rendered email and deliver it on the task worker.

    The row is written in the caller's transaction and the task is queued only
    when that transaction commits: a rolled-back transaction sends nothing, a
    committed one always leaves a row that is delivered, retried or visibly
    given up. Raises ValueError without any recipient.
    """
    recipients = [address for address in dict.fromkeys(to) if address]
    if not recipients:
        raise ValueError("An email needs at least one recipient.")
    stored_attachments = []
    for filename, content, mimetype in attachments:
        raw = content.encode() if isinstance(content, str) else content
        stored_attachments.append(
            {
                "filename": filename,
                "mimetype": mimetype,
                "content": base64.b64encode(raw).decode("ascii"),
            }
        )
    email = OutboundEmail.objects.create(
        # A line break in a subject is a header injection; Django would refuse
        # the message at send time, when nobody can fix it any more.
        subject=" ".join(str(subject).split()),
        body=body,
        html_body=html_body or "",
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        headers=dict(headers or {}),
        attachments=stored_attachments,
    )
    transaction.on_commit(lambda: email_enqueue(email_id=email.pk))
    return email


def user_language(user) -> str:
    """The language a person reads the portal's emails in: their own choice
    (``User.language``), else the site's language."""
    languages = {code for code, _name in settings.LANGUAGES}
    language = getattr(user, "language", "") or ""
    return language if language in languages else settings.LANGUAGE_CODE


def email_send_to_user(
    *,
    user,
    subject: str,
    template: str,
    context: dict | None = None,
    subject_params: dict | None = None,
    headers: dict[str, str] | None = None,
    to: str | None = None,
) -> OutboundEmail | None:
    """Render ``template`` and ``subject`` in the recipient's language and queue
    the email (see ``email_send``); None when the user has no address.

    ``subject`` is a lazy msgid whose named placeholders are filled from
    ``subject_params`` after translation. The template gets ``site_url``, the
    recipient as ``recipient`` and ``language``. Links in it must be absolute,
    on the portal's address (``portal.services.absolute_url``).
    """
    from portal.services import site_url

    address = to or getattr(user, "email", "")
    if not address:
        logger.warning("Email %s not sent: the user has no address", template)
        return None
    language = user_language(user)
    with translation.override(language):
        body = render_to_string(
            template,
            {
                "site_url": site_url(),
                "recipient": user,
                "language": language,
                **(context or {}),
            },
        )
        subject_text = str(subject) % (subject_params or {})
    return email_send(
        subject=f"[Esplora Lavoro] {subject_text}",
        body=body,
        to=[address],
        headers=headers,
    )


def email_retry(*, email: OutboundEmail) -> bool:
    """Queue a failed or given-up email again at once, with a fresh set of
    attempts; False if it is not in a state that can be retried."""
    updated = OutboundEmail.objects.filter(
        pk=email.pk,
        status__in=[OutboundEmail.Status.FAILED, OutboundEmail.Status.GIVEN_UP],
    ).update(status=OutboundEmail.Status.QUEUED, attempts=0, next_attempt_at=None)
    if not updated:
        return False
    logger.info("Email %s queued again by hand", email.pk)
    transaction.on_commit(lambda: email_enqueue(email_id=email.pk))
    return True


@dataclass
class SweepResult:
    enqueued: int = 0
    recovered: int = 0
    purged: int = 0


def email_sweep(*, now: dt.datetime | None = None) -> SweepResult:
    """Hand the worker every email that is due but has no task waiting for it.

    This covers task backends that cannot defer a retry, a queue that was down
    when the email was written and a worker that died while sending. Sent
    emails older than ``PORTAL_EMAIL_KEEP_DAYS`` (default 30) are deleted.
    Running it while tasks are waiting is harmless: each attempt claims the row.
    """
    now = now or timezone.now()
    result = SweepResult()
    stuck = OutboundEmail.objects.filter(
        status=OutboundEmail.Status.SENDING, last_attempt_at__lt=now - LOST_AFTER
    )
    for pk in stuck.values_list("pk", flat=True):
        logger.warning("Email %s was left sending by a lost worker; retrying", pk)
    result.recovered = stuck.update(
        status=OutboundEmail.Status.FAILED,
        next_attempt_at=now,
        last_error="Worker lost while sending",
    )
    due = OutboundEmail.objects.filter(
        Q(status=OutboundEmail.Status.FAILED, next_attempt_at__lte=now)
        | Q(status=OutboundEmail.Status.QUEUED, created_at__lt=now - LOST_AFTER)
    )
    for pk in due.values_list("pk", flat=True).order_by("pk"):
        if email_enqueue(email_id=pk):
            result.enqueued += 1
    keep_days = int(getattr(settings, "PORTAL_EMAIL_KEEP_DAYS", 30))
    result.purged, _ = OutboundEmail.objects.filter(
        status=OutboundEmail.Status.SENT, sent_at__lt=now - dt.timedelta(keep_days)
    ).delete()
    return result
