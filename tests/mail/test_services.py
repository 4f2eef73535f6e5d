"""Outgoing email: written with the caller's transaction, delivered by the task
worker through a real SMTP peer, retried with backoff, given up visibly."""

import datetime as dt
import logging
import smtplib

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend

from portal.mail import tasks
from portal.mail.models import OutboundEmail
from portal.mail.services import email_retry, email_send, email_sweep

pytestmark = pytest.mark.django_db

TEMPORARY = "451 4.3.0 Try again later"


def _send(**overrides):
    fields = {"subject": "Conferma", "body": "Ciao", "to": ["ada@example.org"]}
    return email_send(**{**fields, **overrides})


def _make_due(email):
    OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())


def test_delivered_when_the_transaction_commits(
    smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email = _send(
            html_body="<p>Ciao</p>",
            headers={"List-Unsubscribe": "<https://esplora.test/x>"},
        )
        assert smtp.received == []

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.attempts == 1 and email.sent_at is not None
    # One-time links must not stay in the database once delivered.
    assert email.body == email.html_body == ""
    (message,) = smtp.messages()
    assert message["To"] == "ada@example.org"
    assert message["List-Unsubscribe"] == "<https://esplora.test/x>"
    assert message["Message-ID"].startswith(f"<esplora.{email.pk}.")
    assert message.get_body(preferencelist=("html",)).get_content().strip() == (
        "<p>Ciao</p>"
    )


def test_rolled_back_transaction_sends_nothing(
    smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                _send()
                raise RuntimeError("the caller's write failed")

    assert callbacks == []
    assert not OutboundEmail.objects.exists()
    assert smtp.received == []


def test_smtp_refusal_is_retried_then_delivered_once(
    smtp, django_capture_on_commit_callbacks, caplog
):
    smtp.replies = [TEMPORARY]
    with django_capture_on_commit_callbacks(execute=True):
        email = _send()

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED
    assert email.attempts == 1
    assert "451" in email.last_error
    assert email.next_attempt_at - email.last_attempt_at == dt.timedelta(minutes=1)
    assert f"Email {email.pk} failed on attempt 1" in caplog.text
    assert smtp.received == []
    # Not due yet: the sweep leaves it alone.
    assert email_sweep().enqueued == 0

    _make_due(email)
    assert email_sweep().enqueued == 1

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.attempts == 2
    assert len(smtp.received) == 1
    # Another run of a task for the same email sends nothing more.
    assert tasks.email_deliver(email_id=email.pk) is None
    assert len(smtp.received) == 1


def test_backends_that_defer_get_the_retry_at_the_backoff_time(settings, smtp):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}
    }
    smtp.replies = [TEMPORARY, TEMPORARY]
    email = _send()
    for attempt, delay in [(1, dt.timedelta(minutes=1)), (2, dt.timedelta(minutes=5))]:
        default_task_backend.clear()
        assert tasks.email_deliver(email_id=email.pk) == OutboundEmail.Status.FAILED
        email.refresh_from_db()
        (queued,) = default_task_backend.results
        assert queued.task.run_after == email.last_attempt_at + delay
        assert queued.kwargs == {"email_id": email.pk}
        assert email.attempts == attempt
        _make_due(email)


def test_given_up_after_the_last_attempt(settings, caplog):
    settings.EMAIL_BACKEND = "tests.mail.test_services.DisconnectedBackend"
    email = _send()
    caplog.set_level(logging.WARNING, logger="portal.mail")
    delays = []
    for _ in range(tasks.MAX_ATTEMPTS):
        status = tasks.email_deliver(email_id=email.pk)
        email.refresh_from_db()
        if status == OutboundEmail.Status.FAILED:
            delays.append(email.next_attempt_at - email.last_attempt_at)
            _make_due(email)

    assert delays == list(tasks.RETRY_DELAYS)
    assert email.status == OutboundEmail.Status.GIVEN_UP
    assert email.attempts == tasks.MAX_ATTEMPTS == 6
    assert email.next_attempt_at is None
    assert "SMTPServerDisconnected" in email.last_error
    given_up = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [r.getMessage().split(":")[0] for r in given_up] == [
        f"Email {email.pk} given up after 6 attempt(s)"
    ]
    # Nothing more happens on its own...
    assert tasks.email_deliver(email_id=email.pk) is None
    assert email_sweep().enqueued == 0
    # ...until someone retries it, with a fresh set of attempts.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert email_retry(email=email)
    assert tasks.email_deliver(email_id=email.pk) == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1


def test_permanent_refusal_is_given_up_at_once(smtp):
    smtp.replies = ["554 5.7.1 Rejected"]
    email = _send()

    assert tasks.email_deliver(email_id=email.pk) == OutboundEmail.Status.GIVEN_UP
    email.refresh_from_db()
    assert email.attempts == 1 and "554" in email.last_error


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (smtplib.SMTPServerDisconnected("gone"), True),
        (ConnectionRefusedError(111, "refused"), True),
        (TimeoutError("timed out"), True),
        (smtplib.SMTPResponseException(421, b"busy"), True),
        (smtplib.SMTPResponseException(550, b"no"), False),
        (smtplib.SMTPRecipientsRefused({"a@example.org": (450, b"later")}), True),
        (smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"unknown")}), False),
        (ValueError("bad header"), False),
    ],
)
def test_which_errors_are_worth_retrying(error, transient):
    assert tasks.is_transient(error) is transient


def test_attachments_are_delivered(smtp, django_capture_on_commit_callbacks):
    ics = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    with django_capture_on_commit_callbacks(execute=True):
        _send(attachments=[("seminario.ics", ics, "text/calendar")])

    (message,) = smtp.messages()
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == "seminario.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert "BEGIN:VCALENDAR" in attachment.get_content()


def test_subject_is_one_line_and_recipients_are_needed():
    email = _send(subject="Nuova risposta\nBcc: x@example.org", to=["a@x.it", "a@x.it"])
    assert email.subject == "Nuova risposta Bcc: x@example.org"
    assert email.to == ["a@x.it"]
    with pytest.raises(ValueError):
        _send(to=["", None])


def test_sweep_recovers_lost_rows_and_purges_old_sent(settings):
    now = timezone.now()
    lost = _send()  # never handed to a worker: no commit in this test
    stuck = _send()
    old_sent = _send()
    OutboundEmail.objects.filter(pk=lost.pk).update(
        created_at=now - dt.timedelta(hours=1)
    )
    OutboundEmail.objects.filter(pk=stuck.pk).update(
        status=OutboundEmail.Status.SENDING,
        attempts=1,
        last_attempt_at=now - dt.timedelta(hours=1),
    )
    OutboundEmail.objects.filter(pk=old_sent.pk).update(
        status=OutboundEmail.Status.SENT, sent_at=now - dt.timedelta(days=31)
    )
    fresh = _send()  # its task is presumably still waiting: left alone

    result = email_sweep()

    assert (result.enqueued, result.recovered, result.purged) == (2, 1, 1)
    statuses = dict(OutboundEmail.objects.values_list("pk", "status"))
    assert statuses == {
        lost.pk: OutboundEmail.Status.SENT,
        stuck.pk: OutboundEmail.Status.SENT,
        fresh.pk: OutboundEmail.Status.QUEUED,
    }
    assert len(mail.outbox) == 2


def test_queue_down_leaves_the_row_for_the_sweep(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def refuse(task, args, kwargs):
        raise ConnectionError("redis down")

    backend = tasks.email_deliver_task.get_backend()
    monkeypatch.setattr(backend, "enqueue", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        email = _send()

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.QUEUED
    assert f"Email {email.pk} could not be handed to the task queue" in caplog.text


class DisconnectedBackend:
    """An email backend whose server always hangs up."""

    def __init__(self, fail_silently=False, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_emails_go_ahead_of_queued_background_work(
    settings, django_capture_on_commit_callbacks
):
    """A verification email is not kept waiting behind a reindex backlog."""
    from django_tasks_db.models import DBTaskResult

    from search.tasks import pages_index_task

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for page_id in range(3):  # a reindex backlog, queued first
        pages_index_task.enqueue(page_ids=[page_id])
    with django_capture_on_commit_callbacks(execute=True):
        email = _send()

    first = DBTaskResult.objects.ready().first()
    assert first.args_kwargs["kwargs"] == {"email_id": email.pk}
