"""Writes for newsletters: subscriptions, imports and sending an issue.

Sending is exactly-once per subscriber: ``issue_send`` creates one Delivery per
active subscriber inside the same transaction as the Dispatch (a second press
finds the Dispatch and adds nothing), and ``dispatch_run`` claims deliveries in
batches and records each as sent before the SMTP server takes the message (see
``smtp.py``). Running it again after a crash sends exactly what is left.
"""

import csv
import datetime as dt
import io
import uuid
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Min, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.mail.services import email_send
from portal.services import absolute_url

from . import rendering, smtp
from .models import (
    ConsentEvent,
    Delivery,
    Dispatch,
    NewsletterIssuePage,
    Subscriber,
    SubscriberImport,
)

CONFIRM_SALT = "newsletters.confirm"
LANGUAGES = {code for code, _name in settings.LANGUAGES}


def _setting(name: str, default):
    return getattr(settings, name, default)


# --- Subscriptions -------------------------------------------------------------


class SubscriptionError(ValueError):
    """Input the subscription refuses; ``str(error)`` is shown to the user."""


def normalise_email(value: str) -> str:
    """The address as stored (trimmed, lower case), or SubscriptionError."""
    email = (value or "").strip().lower()
    try:
        if len(email) > 254:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError:
        raise SubscriptionError(_("Enter a valid email address.")) from None
    return email


def confirmation_token(*, subscriber: Subscriber) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign_object(
        {"k": str(subscriber.key), "e": subscriber.email}
    )


@dataclass(frozen=True)
class TokenCheck:
    """``state`` is "valid", "expired" or "invalid"; ``email`` is known for the
    first two (to offer a new link)."""

    state: str
    subscriber: Subscriber | None = None
    email: str = ""


def confirmation_token_check(token: str) -> TokenCheck:
    signer = signing.TimestampSigner(salt=CONFIRM_SALT)
    max_age = _setting("NEWSLETTER_CONFIRM_MAX_AGE", 7 * 24 * 3600)
    try:
        payload = signer.unsign_object(token, max_age=max_age)
        state = "valid"
    except signing.SignatureExpired:
        payload = signer.unsign_object(token)
        state = "expired"
    except signing.BadSignature:
        return TokenCheck(state="invalid")
    if not isinstance(payload, dict):
        return TokenCheck(state="invalid")
    subscriber = Subscriber.objects.filter(
        key=payload.get("k"), email=payload.get("e")
    ).first()
    if subscriber is None:
        return TokenCheck(state="invalid")
    return TokenCheck(state=state, subscriber=subscriber, email=subscriber.email)


def _record(subscriber: Subscriber, action: str, source: str) -> None:
    ConsentEvent.objects.create(
        subscriber=subscriber, action=action, source=source[:255]
    )


def _send_confirmation(subscriber: Subscriber, *, now) -> None:
    with translation.override(subscriber.language):
        link = absolute_url(
            reverse(
                "newsletters:confirm",
                kwargs={"token": confirmation_token(subscriber=subscriber)},
            )
        )
        context = {
            "subscriber": subscriber,
            "confirm_url": link,
            "days": _setting("NEWSLETTER_CONFIRM_MAX_AGE", 7 * 24 * 3600) // 86400,
        }
        subject = _("Confirm your newsletter subscription")
        body = render_to_string("newsletters/email/confirm.txt", context)
    Subscriber.objects.filter(pk=subscriber.pk).update(confirmation_sent_at=now)
    email_send(subject=f"[Esplora Lavoro] {subject}", body=body, to=[subscriber.email])


@transaction.atomic
def subscriber_request(
    *,
    email: str,
    name: str = "",
    organisation: str = "",
    language: str = "it",
    source: str,
    now=None,
) -> Subscriber:
    """Ask for the newsletter: a pending subscriber and a confirmation email.

    Idempotent: an active subscriber is left as is; a pending one gets another
    link only once the resend interval has passed (no confirmation storms); an
    unsubscribed one becomes pending again (resubscribing needs the link too).
    """
    now = now or timezone.now()
    email = normalise_email(email)
    language = language if language in LANGUAGES else settings.LANGUAGE_CODE
    subscriber = (
        Subscriber.objects.select_for_update().filter(email__iexact=email).first()
    )
    if subscriber is None:
        try:
            with transaction.atomic():
                subscriber = Subscriber.objects.create(
                    email=email,
                    name=name.strip()[:150],
                    organisation=organisation.strip()[:200],
                    language=language,
                )
        except IntegrityError:  # created at the same moment by another request
            return Subscriber.objects.get(email__iexact=email)
        _record(subscriber, ConsentEvent.Action.REQUESTED, source)
        _send_confirmation(subscriber, now=now)
        return subscriber
    if subscriber.status == Subscriber.Status.ACTIVE:
        return subscriber
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        subscriber.status = Subscriber.Status.PENDING
        subscriber.save(update_fields=["status"])
    else:
        interval = dt.timedelta(
            seconds=_setting("NEWSLETTER_CONFIRM_RESEND_SECONDS", 15 * 60)
        )
        sent = subscriber.confirmation_sent_at
        if sent is not None and now - sent < interval:
            return subscriber
    changed = []
    for field, value in (("name", name), ("organisation", organisation)):
        if value.strip():
            setattr(subscriber, field, value.strip()[: 150 if field == "name" else 200])
            changed.append(field)
    subscriber.language = language
    subscriber.save(update_fields=[*changed, "language"])
    _record(subscriber, ConsentEvent.Action.REQUESTED, source)
    _send_confirmation(subscriber, now=now)
    return subscriber


@transaction.atomic
def subscriber_confirm(*, subscriber: Subscriber, source: str, now=None) -> bool:
    """Activate after the confirmation link; False if it already was active."""
    now = now or timezone.now()
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status == Subscriber.Status.ACTIVE:
        return False
    subscriber.status = Subscriber.Status.ACTIVE
    subscriber.confirmed_at = now
    subscriber.consent_at = now
    subscriber.consent_source = source[:255]
    subscriber.unsubscribed_at = None
    subscriber.save()
    _record(subscriber, ConsentEvent.Action.CONFIRMED, source)
    return True


@transaction.atomic
def subscriber_unsubscribe(*, subscriber: Subscriber, source: str, now=None) -> bool:
    """Stop all issues at once, including any being sent right now."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        return False
    subscriber.status = Subscriber.Status.UNSUBSCRIBED
    subscriber.unsubscribed_at = now or timezone.now()
    subscriber.save(update_fields=["status", "unsubscribed_at"])
    _record(subscriber, ConsentEvent.Action.UNSUBSCRIBED, source)
    return True


@transaction.atomic
def subscriber_resubscribe(*, subscriber: Subscriber, source: str, now=None) -> bool:
    """Undo an unsubscription from the link in the subscriber's own email (the
    link proves the address, so no new confirmation is needed)."""
    now = now or timezone.now()
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
        return False
    if subscriber.confirmed_at is None:
        raise SubscriptionError(_("This address was never confirmed."))
    subscriber.status = Subscriber.Status.ACTIVE
    subscriber.unsubscribed_at = None
    subscriber.consent_at = now
    subscriber.consent_source = source[:255]
    subscriber.save()
    _record(subscriber, ConsentEvent.Action.RESUBSCRIBED, source)
    return True


# --- Import --------------------------------------------------------------------

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 50_000
COLUMNS = {
    "email": {"email", "e-mail", "mail", "indirizzo email", "indirizzo e-mail"},
    "name": {"name", "nome", "nome e cognome", "full name"},
    "organisation": {
        "organisation",
        "organization",
        "organizzazione",
        "ente",
        "amministrazione",
    },
    "language": {"language", "lingua", "lang"},
}


class ImportRejected(ValueError):
    """The file as a whole cannot be read; ``str(error)`` says why."""


class RowStatus:
    NEW = "new"
    EXISTING = "existing"
    UNSUBSCRIBED = "unsubscribed"
    DUPLICATE = "duplicate"
    INVALID = "invalid"


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejected(_("The file is not text encoded as UTF-8 or Windows-1252."))


def _columns(header: list[str]) -> dict[str, int]:
    found = {}
    for index, title in enumerate(header):
        key = " ".join(title.strip().lower().split())
        for column, names in COLUMNS.items():
            if key in names and column not in found:
                found[column] = index
    if "email" not in found:
        raise ImportRejected(
            _(
                "The first row must name the columns, with one called “email” "
                "(optional: name, organisation, language)."
            )
        )
    return found


def import_rows_check(content: bytes) -> list[dict]:
    """Every row of a subscriber CSV with what importing it would do.

    Each row: line, email, name, organisation, language, status (RowStatus) and
    message. Nothing is written.
    """
    if len(content) > MAX_IMPORT_BYTES:
        raise ImportRejected(_("The file is larger than 5 MB: split it."))
    text = _decode(content)
    if not text.strip():
        raise ImportRejected(_("The file is empty."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader)
        columns = _columns(header)
        records = list(reader)
    except csv.Error as error:
        raise ImportRejected(
            _("The file is not a valid CSV: %(error)s") % {"error": error}
        ) from None
    if len(records) > MAX_IMPORT_ROWS:
        raise ImportRejected(
            _("The file has more than %(max)s rows: split it.")
            % {"max": MAX_IMPORT_ROWS}
        )
    existing = {
        email.lower(): status
        for email, status in Subscriber.objects.values_list("email", "status")
    }
    seen: dict[str, int] = {}
    rows = []
    for number, record in enumerate(records, start=2):
        if not any(cell.strip() for cell in record):
            continue

        def cell(column, record=record):
            index = columns.get(column)
            return (
                record[index].strip()
                if index is not None and index < len(record)
                else ""
            )

        row = {
            "line": number,
            "email": cell("email"),
            "name": cell("name")[:150],
            "organisation": cell("organisation")[:200],
            "language": (cell("language") or settings.LANGUAGE_CODE).lower()[:8],
        }
        status, message = RowStatus.NEW, ""
        try:
            row["email"] = normalise_email(row["email"])
        except SubscriptionError:
            status = RowStatus.INVALID
            message = _("“%(value)s” is not a valid email address.") % {
                "value": row["email"][:100]
            }
        if status == RowStatus.NEW and row["language"] not in LANGUAGES:
            status = RowStatus.INVALID
            message = _("Unknown language “%(value)s”: use %(choices)s.") % {
                "value": row["language"],
                "choices": ", ".join(sorted(LANGUAGES)),
            }
        if status == RowStatus.NEW:
            previous = existing.get(row["email"])
            if row["email"] in seen:
                status = RowStatus.DUPLICATE
                message = _("Same address as line %(line)s.") % {
                    "line": seen[row["email"]]
                }
            elif previous == Subscriber.Status.UNSUBSCRIBED:
                status = RowStatus.UNSUBSCRIBED
                message = _("Unsubscribed earlier: not added again.")
            elif previous is not None:
                status = RowStatus.EXISTING
                message = _("Already on the list: left unchanged.")
            else:
                seen[row["email"]] = number
        row["status"], row["message"] = status, str(message)
        rows.append(row)
    return rows


def import_prepare(
    *, content: bytes, filename: str, user, consent_source: str, ask_confirmation: bool
) -> SubscriberImport:
    """Check an upload and keep the result for the editor to confirm."""
    rows = import_rows_check(content)
    if not rows:
        raise ImportRejected(_("The file has no rows below its header."))
    return SubscriberImport.objects.create(
        created_by=user,
        filename=filename[:255],
        consent_source=consent_source.strip()[:255],
        ask_confirmation=ask_confirmation,
        rows=rows,
    )


@dataclass(frozen=True)
class ImportResult:
    added: int
    skipped: int


@transaction.atomic
def import_apply(*, batch: SubscriberImport, user, now=None) -> ImportResult:
    """Add the batch's new addresses, all or none, once.

    Addresses that appeared (or unsubscribed) since the check are skipped.
    """
    now = now or timezone.now()
    batch = SubscriberImport.objects.select_for_update().get(pk=batch.pk)
    if batch.applied_at is not None:
        raise ImportRejected(_("This import has already been applied."))
    if batch.created_by_id != user.pk:
        raise ImportRejected(_("Only the editor who uploaded the file can confirm it."))
    new_rows = [row for row in batch.rows if row["status"] == RowStatus.NEW]
    taken = set(
        Subscriber.objects.filter(
            email__in=[row["email"] for row in new_rows]
        ).values_list("email", flat=True)
    )
    source = _("Import “%(file)s” by %(user)s: %(source)s") % {
        "file": batch.filename,
        "user": user.email,
        "source": batch.consent_source,
    }
    added = 0
    for row in new_rows:
        if row["email"] in taken:
            continue
        subscriber = Subscriber.objects.create(
            email=row["email"],
            name=row["name"],
            organisation=row["organisation"],
            language=row["language"],
            status=(
                Subscriber.Status.PENDING
                if batch.ask_confirmation
                else Subscriber.Status.ACTIVE
            ),
            confirmed_at=None if batch.ask_confirmation else now,
            consent_at=None if batch.ask_confirmation else now,
            consent_source="" if batch.ask_confirmation else source[:255],
        )
        _record(subscriber, ConsentEvent.Action.IMPORTED, source)
        if batch.ask_confirmation:
            _send_confirmation(subscriber, now=now)
        added += 1
    batch.applied_at = now
    batch.save(update_fields=["applied_at"])
    return ImportResult(added=added, skipped=len(batch.rows) - added)


# --- Sending -------------------------------------------------------------------


class SendError(ValueError):
    """A send the rules refuse; ``str(error)`` is shown to the editor."""


def _enqueue_run(dispatch_id: int, *, resume: bool = False, run_after=None) -> None:
    from .tasks import send_dispatch

    task = send_dispatch
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # retried by the next "Resume sending" or newsletter_send
        task = task.using(run_after=run_after)
    task.enqueue(dispatch_id=dispatch_id, resume=resume)


def issue_send(
    *, issue: NewsletterIssuePage, user=None, enqueue: bool = True
) -> tuple[Dispatch, bool]:
    """Send ``issue`` to every active subscriber, once.

    Returns (dispatch, created): a second call, from a second click or another
    editor, finds the same dispatch and queues nothing new.
    """
    if not issue.live:
        raise SendError(_("Publish the issue before sending it."))
    if issue.get_view_restrictions().exists():
        raise SendError(_("A private issue cannot be sent."))
    try:
        with transaction.atomic():
            dispatch = Dispatch.objects.create(
                translation_key=issue.translation_key,
                issue=issue,
                status=Dispatch.Status.SENDING,
                created_by=user,
            )
            subscribers = (
                Subscriber.objects.filter(status=Subscriber.Status.ACTIVE)
                .order_by("pk")
                .values_list("pk", "language")
            )
            batch = []
            for subscriber_id, language in subscribers.iterator(chunk_size=2000):
                batch.append(
                    Delivery(
                        dispatch=dispatch,
                        subscriber_id=subscriber_id,
                        language=language,
                    )
                )
                if len(batch) == 1000:
                    Delivery.objects.bulk_create(batch)
                    batch = []
            Delivery.objects.bulk_create(batch)
            if enqueue:
                transaction.on_commit(lambda: _enqueue_run(dispatch.pk))
    except IntegrityError:
        return Dispatch.objects.get(translation_key=issue.translation_key), False
    return dispatch, True


def dispatch_resume(*, dispatch: Dispatch) -> None:
    """Send what is left now: deliveries never sent, those a dead worker held,
    and failed ones, whatever their retry time."""
    Delivery.objects.filter(
        dispatch=dispatch,
        status=Delivery.Status.FAILED,
        next_attempt_at__isnull=False,
    ).update(next_attempt_at=timezone.now())
    if dispatch.status == Dispatch.Status.DONE:
        return
    transaction.on_commit(lambda: _enqueue_run(dispatch.pk, resume=True))


def unsubscribe_url(*, subscriber_key, language: str) -> str:
    with translation.override(language):
        return absolute_url(
            reverse("newsletters:unsubscribe", kwargs={"key": subscriber_key})
        )


def _retry_at(now, attempts: int):
    delays = _setting("NEWSLETTER_RETRY_DELAYS", [60, 300, 1800, 7200])
    if attempts > len(delays):
        return None
    return now + dt.timedelta(seconds=delays[attempts - 1])


@dataclass
class RunResult:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    stopped: str = ""


class _Sender:
    """Builds each recipient's message from the issue rendered once per language."""

    def __init__(self, dispatch: Dispatch):
        self.dispatch = dispatch
        translations = {
            page.locale.language_code: page
            for page in NewsletterIssuePage.objects.live()
            .filter(translation_key=dispatch.translation_key)
            .select_related("locale")
        }
        self.issues = translations
        source = dispatch.issue.locale.language_code if dispatch.issue else ""
        self.fallback = translations.get(source) or next(
            iter(translations.values()), None
        )
        self.rendered: dict[str, rendering.RenderedIssue] = {}
        self.from_email = _setting("NEWSLETTER_FROM_EMAIL", settings.DEFAULT_FROM_EMAIL)
        self.envelope = parseaddr(self.from_email)[1]
        self.domain = self.envelope.rpartition("@")[2] or "localhost"

    def render(self, language: str) -> rendering.RenderedIssue:
        issue = self.issues.get(language) or self.fallback
        if issue.locale.language_code not in self.rendered:
            self.rendered[issue.locale.language_code] = rendering.render_issue(issue)
        return self.rendered[issue.locale.language_code]

    def message(self, subscriber: Subscriber, language: str) -> EmailMultiAlternatives:
        rendered = self.render(language or subscriber.language)
        link = unsubscribe_url(
            subscriber_key=subscriber.key, language=rendered.language
        )
        html, text = rendering.personalise(rendered, unsubscribe_url=link)
        message = EmailMultiAlternatives(
            subject=rendered.subject,
            body=text,
            from_email=self.from_email,
            to=[subscriber.email],
            headers={
                "Message-ID": (
                    f"<newsletter.{self.dispatch.pk}.{subscriber.pk}@{self.domain}>"
                ),
                "List-Id": f"Esplora Lavoro <newsletter.{self.domain}>",
                "List-Unsubscribe": f"<{link}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Content-Language": rendered.language,
            },
        )
        message.attach_alternative(html, "text/html")
        return message


def _claim(dispatch: Dispatch, *, token, now, size: int, reclaim_before) -> list:
    lease = dt.timedelta(seconds=_setting("NEWSLETTER_CLAIM_SECONDS", 300))
    claimable = (
        Q(status=Delivery.Status.QUEUED)
        | Q(status=Delivery.Status.FAILED, next_attempt_at__lte=now)
        | Q(status=Delivery.Status.SENDING, claimed_at__lt=now - lease)
    )
    if reclaim_before is not None:
        claimable |= Q(status=Delivery.Status.SENDING, claimed_at__lt=reclaim_before)
    ids = list(
        Delivery.objects.filter(dispatch=dispatch)
        .filter(claimable)
        .order_by("pk")
        .values_list("pk", flat=True)[:size]
    )
    if not ids:
        return []
    # The condition is checked again in the UPDATE: a row another worker
    # claimed in between is not taken twice.
    Delivery.objects.filter(pk__in=ids).filter(claimable).update(
        status=Delivery.Status.SENDING, claim=token, claimed_at=now
    )
    return list(
        Delivery.objects.filter(pk__in=ids, claim=token, status=Delivery.Status.SENDING)
        .select_related("subscriber")
        .order_by("pk")
    )


def _finish(dispatch: Dispatch, *, now, stopped: bool) -> None:
    """Mark the dispatch done, or schedule the next run when something is left."""
    pending = Delivery.objects.filter(dispatch=dispatch).filter(
        Q(status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING])
        | Q(status=Delivery.Status.FAILED, next_attempt_at__isnull=False)
    )
    if not pending.exists():
        Dispatch.objects.filter(pk=dispatch.pk).update(
            status=Dispatch.Status.DONE, finished_at=now
        )
        return
    if stopped:
        _enqueue_run(dispatch.pk, run_after=_retry_at(now, 1) or now)
        return
    if pending.exclude(status=Delivery.Status.FAILED).exists():
        return  # another worker holds them
    next_retry = pending.aggregate(at=Min("next_attempt_at"))["at"]
    _enqueue_run(dispatch.pk, run_after=max(next_retry, now))


def dispatch_run(
    *, dispatch_id: int, resume: bool = False, batch_size: int = 200, clock=None
) -> RunResult:
    """Send the dispatch's remaining deliveries; safe to run again at any time.

    ``resume`` also takes over deliveries claimed before this run started by a
    worker that may have died (without waiting for their lease to expire): the
    hand-over check in ``smtp.py`` stops a still-living worker from sending
    them too.
    """
    clock = clock or timezone.now
    dispatch = Dispatch.objects.select_related("issue__locale").get(pk=dispatch_id)
    result = RunResult()
    sender = _Sender(dispatch)
    if sender.fallback is None:
        result.stopped = "The issue is no longer live."
        return result
    token = uuid.uuid4()
    reclaim_before = clock() if resume else None
    max_failures = _setting("NEWSLETTER_MAX_CONSECUTIVE_FAILURES", 5)
    transport = (
        smtp.SmtpTransport.from_settings()
        if smtp.uses_smtp()
        else smtp.DjangoTransport()
    )
    consecutive_failures = 0
    with transport:
        while not result.stopped:
            batch = _claim(
                dispatch,
                token=token,
                now=clock(),
                size=batch_size,
                reclaim_before=reclaim_before,
            )
            if not batch:
                break
            for position, delivery in enumerate(batch):
                mine = Delivery.objects.filter(
                    pk=delivery.pk, claim=token, status=Delivery.Status.SENDING
                )
                subscriber = delivery.subscriber
                if subscriber.status != Subscriber.Status.ACTIVE:
                    mine.update(status=Delivery.Status.SKIPPED)
                    result.skipped += 1
                    continue

                def handover(mine=mine):
                    return bool(
                        mine.update(
                            status=Delivery.Status.SENT,
                            sent_at=clock(),
                            attempts=F("attempts") + 1,
                            error="",
                            next_attempt_at=None,
                        )
                    )

                message = sender.message(subscriber, delivery.language)
                try:
                    if isinstance(transport, smtp.SmtpTransport):
                        transport.send(
                            sender=sender.envelope,
                            recipient=subscriber.email,
                            message=message.message().as_bytes(linesep="\r\n"),
                            handover=handover,
                        )
                    else:
                        transport.send_message(email_message=message, handover=handover)
                except smtp.NotOwned:
                    continue
                except (smtp.TemporaryFailure, smtp.PermanentFailure) as error:
                    attempts = delivery.attempts + 1
                    permanent = isinstance(error, smtp.PermanentFailure)
                    Delivery.objects.filter(pk=delivery.pk, claim=token).update(
                        status=Delivery.Status.FAILED,
                        attempts=attempts,
                        error=str(error)[:1000],
                        next_attempt_at=None
                        if permanent
                        else _retry_at(clock(), attempts),
                    )
                    result.failed += 1
                    # A refused recipient says nothing about the server; any
                    # other failure in a row suggests it is down or refusing us.
                    if not permanent:
                        consecutive_failures += 1
                    if consecutive_failures >= max_failures:
                        # The server is down: give the rest back and retry later.
                        rest = [other.pk for other in batch[position + 1 :]]
                        Delivery.objects.filter(
                            pk__in=rest, claim=token, status=Delivery.Status.SENDING
                        ).update(status=Delivery.Status.QUEUED, claim=None)
                        result.stopped = str(error)
                        break
                    continue
                consecutive_failures = 0
                result.sent += 1
    _finish(dispatch, now=clock(), stopped=bool(result.stopped))
    return result


def issue_send_test(*, issue: NewsletterIssuePage, user) -> None:
    """Email the issue as it stands (draft included) to the editor only."""
    rendered = rendering.render_issue(issue)
    link = "#"
    html, text = rendering.personalise(rendered, unsubscribe_url=link)
    with translation.override(issue.locale.language_code):
        subject = _("[Test] %(subject)s") % {"subject": rendered.subject}
    email_send(
        subject=subject,
        body=text,
        html_body=html,
        to=[user.email],
        from_email=_setting("NEWSLETTER_FROM_EMAIL", settings.DEFAULT_FROM_EMAIL),
    )
