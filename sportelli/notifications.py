"""Telling a desk's people about the exchange: the on-site inbox and the email.

``notify_desk`` writes one ``DeskNotification`` per person of the desk (its
operators and managers still members of the administration, and the
administration's referente), except whoever acted, and queues one email each
for after the commit. The email is rendered on the task worker, in the
recipient's language, through the portal's outgoing-mail path
(``portal.mail.services.email_send_to_user``); it names the proposal only by
the desk's reference code and the vacancy's title, never more of the profile,
and links to the portal on ``PORTAL_BASE_URL``.
"""

import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from django_tasks import task

from portal.mail.services import email_send_to_user, user_language
from portal.services import absolute_url

from . import permissions
from .models import DeskNotification, Proposal

logger = logging.getLogger(__name__)

SUBJECTS = {
    DeskNotification.Kind.PROPOSAL_RECEIVED: gettext_lazy(
        "New proposal %(code)s for “%(vacancy)s”"
    ),
    DeskNotification.Kind.PROPOSAL_MOVED: gettext_lazy(
        "Proposal %(code)s for “%(vacancy)s”: %(status)s"
    ),
    DeskNotification.Kind.MESSAGE: gettext_lazy(
        "New message on proposal %(code)s for “%(vacancy)s”"
    ),
}


def notify_desk(
    *, proposal: Proposal, sportello_id: int, kind: str, actor
) -> list[DeskNotification]:
    """Notify the people of desk ``sportello_id`` (not ``actor``) about
    ``proposal``; the emails leave after the caller's transaction commits."""
    sportello = (
        proposal.vacancy_sportello
        if proposal.vacancy_sportello_id == sportello_id
        else proposal.candidature_sportello
    )
    recipients = permissions.desk_people(sportello).exclude(pk=actor.pk)
    created = DeskNotification.objects.bulk_create(
        [
            DeskNotification(
                recipient=user,
                sportello_id=sportello_id,
                proposal=proposal,
                kind=kind,
                actor=actor,
            )
            for user in recipients
        ]
    )
    ids = [item.pk for item in created if item.pk is not None]
    if len(ids) != len(created):
        # A backend that returns no ids from bulk_create: read them back.
        ids = list(
            DeskNotification.objects.filter(
                proposal=proposal, kind=kind, actor=actor, emailed_at__isnull=True
            ).values_list("pk", flat=True)
        )
    for pk in ids:
        transaction.on_commit(
            lambda pk=pk: desk_notification_email_task.enqueue(notification_id=pk)
        )
    return created


def desk_notification_email_send(*, notification_id: int) -> bool:
    """Email one notification if its recipient may still see the proposal
    (checked now, with the rule the pages use)."""
    notification = (
        DeskNotification.objects.select_related(
            "recipient",
            "proposal__vacancy",
            "proposal__vacancy_sportello",
            "proposal__candidature_sportello",
            "sportello",
        )
        .filter(pk=notification_id, emailed_at__isnull=True)
        .first()
    )
    if notification is None or notification.proposal is None:
        return False
    user = notification.recipient
    proposal = notification.proposal
    if not permissions.proposal_sides(user, proposal):
        logger.info(
            "Desk notification %s not emailed: user %s no longer sees proposal %s",
            notification.pk,
            user.pk,
            proposal.pk,
        )
        return False
    with translation.override(user_language(user)):
        params = {
            "code": proposal.reference_code,
            "vacancy": proposal.vacancy.title,
            "status": str(proposal.get_status_display()),
        }
        link = absolute_url(proposal.get_absolute_url())
        inbox = absolute_url(reverse("sportelli:notifications"))
    sent = email_send_to_user(
        user=user,
        subject=SUBJECTS[notification.kind],
        subject_params=params,
        template="sportelli/email/proposal_notification.txt",
        context={
            "notification": notification,
            "proposal": proposal,
            "sportello": notification.sportello,
            "link": link,
            "inbox_url": inbox,
        },
    )
    DeskNotification.objects.filter(pk=notification.pk).update(
        emailed_at=timezone.now()
    )
    return sent is not None


@task()
def desk_notification_email_task(*, notification_id: int) -> bool:
    return desk_notification_email_send(notification_id=notification_id)
