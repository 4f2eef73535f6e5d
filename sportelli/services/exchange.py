"""Writes on the exchange: propose a candidature for another desk's vacancy,
move the proposal through its steps, write in its thread.

Each step writes a ``ProposalEvent`` (who, from which desk, when) and tells
the OTHER desk's people, on site and by email (``sportelli.notifications``),
in the same transaction: a refused or failed step leaves nothing behind.
"""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import User
from portal.forbidden import Forbidden

from .. import notifications, permissions
from ..models import (
    TRANSITIONS,
    Candidature,
    DeskNotification,
    ProfileView,
    Proposal,
    ProposalEvent,
    ProposalMessage,
    ProposalStatus,
    Sportello,
    Vacancy,
)
from ..selectors.exchange import (
    candidature_proposable_q,
    vacancy_network_q,
)

logger = logging.getLogger(__name__)

NOTE_MAX = 1000
EVENT_NOTE_MAX = 500
MESSAGE_MAX = 2000


def _side_desk(proposal: Proposal, side: str) -> Sportello:
    return (
        proposal.vacancy_sportello
        if side == "vacancy"
        else proposal.candidature_sportello
    )


def _other_side(side: str) -> str:
    return "candidature" if side == "vacancy" else "vacancy"


@transaction.atomic
def proposal_create(
    *, vacancy: Vacancy, candidature: Candidature, by: User, note: str = ""
) -> Proposal:
    """``by``, who works at the candidature's desk, proposes it for a vacancy of
    ANOTHER desk.

    The vacancy must be published, live and visible to the network; the
    candidature shared with the network with the "proposals" consent; a
    candidature is proposed once per vacancy. The vacancy's desk is notified.
    """
    if not permissions.desk_access(by, candidature.sportello).view:
        raise Forbidden(_("Only the people of the candidature's desk can propose it."))
    note = (note or "").strip()
    errors: dict[str, list] = {}
    if vacancy.sportello_id == candidature.sportello_id:
        errors.setdefault("vacancy", []).append(
            _("Propose a candidature for a vacancy of another desk.")
        )
    elif not Vacancy.objects.filter(vacancy_network_q(by), pk=vacancy.pk).exists():
        errors.setdefault("vacancy", []).append(
            _("The vacancy is not open to proposals: it is not published or closed.")
        )
    if not Candidature.objects.filter(
        candidature_proposable_q(), pk=candidature.pk
    ).exists():
        errors.setdefault("candidature", []).append(
            _("This profile is not shared with consent to be proposed for vacancies.")
        )
    elif Proposal.objects.filter(vacancy=vacancy, candidature=candidature).exists():
        errors.setdefault("candidature", []).append(
            _("This candidature has already been proposed for this vacancy.")
        )
    if len(note) > NOTE_MAX:
        errors.setdefault("note", []).append(
            _("Write at most %(max)s characters.") % {"max": NOTE_MAX}
        )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(
                vacancy=vacancy,
                vacancy_sportello_id=vacancy.sportello_id,
                candidature=candidature,
                candidature_sportello_id=candidature.sportello_id,
                reference_code=candidature.reference_code,
                note=note,
                created_by=by,
            )
    except IntegrityError:
        # Two operators proposing at the same moment: the constraint decides.
        raise ValidationError(
            {
                "candidature": [
                    _("This candidature has already been proposed for this vacancy.")
                ]
            }
        ) from None
    ProposalEvent.objects.create(
        proposal=proposal,
        from_status="",
        to_status=ProposalStatus.PROPOSED,
        by=by,
        by_sportello_id=candidature.sportello_id,
        note=note[:EVENT_NOTE_MAX],
    )
    notifications.notify_desk(
        proposal=proposal,
        sportello_id=vacancy.sportello_id,
        kind=DeskNotification.Kind.PROPOSAL_RECEIVED,
        actor=by,
    )
    logger.info(
        "Proposal %s: candidature %s of desk %s for vacancy %s by user %s",
        proposal.pk,
        candidature.pk,
        candidature.sportello_id,
        vacancy.pk,
        by.pk,
    )
    return proposal


@transaction.atomic
def proposal_move(
    *, proposal: Proposal, by: User, to_status: str, note: str = ""
) -> Proposal:
    """Take one step, as ``TRANSITIONS`` allows: the vacancy's desk accepts
    (under review), declines, records the interview, the hire or "not
    selected"; the proposing desk withdraws. The other desk is notified."""
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("vacancy_sportello", "candidature_sportello")
        .get(pk=proposal.pk)
    )
    sides = permissions.proposal_sides(by, proposal)
    if not sides:
        raise Forbidden(_("Only the two desks of a proposal can change it."))
    note = (note or "").strip()
    allowed = TRANSITIONS.get(proposal.status, {})
    if to_status not in allowed:
        raise ValidationError(
            {"to_status": _("This step is not possible from the proposal's state.")},
            code="transition",
        )
    side = allowed[to_status]
    if side not in sides:
        if side == "vacancy":
            raise Forbidden(_("Only the desk of the vacancy takes this step."))
        raise Forbidden(_("Only the proposing desk takes this step."))
    if len(note) > EVENT_NOTE_MAX:
        raise ValidationError(
            {"note": _("Write at most %(max)s characters.") % {"max": EVENT_NOTE_MAX}}
        )
    from_status = proposal.status
    proposal.status = to_status
    proposal.save(update_fields=["status", "updated_at"])
    desk = _side_desk(proposal, side)
    ProposalEvent.objects.create(
        proposal=proposal,
        from_status=from_status,
        to_status=to_status,
        by=by,
        by_sportello=desk,
        note=note,
    )
    notifications.notify_desk(
        proposal=proposal,
        sportello_id=_side_desk(proposal, _other_side(side)).pk,
        kind=DeskNotification.Kind.PROPOSAL_MOVED,
        actor=by,
    )
    logger.info(
        "Proposal %s: %s -> %s by user %s", proposal.pk, from_status, to_status, by.pk
    )
    return proposal


@transaction.atomic
def proposal_message_add(*, proposal: Proposal, by: User, body: str) -> ProposalMessage:
    """A message in the proposal's thread, from one desk to the other (which
    is notified). Plain text, never shown as HTML."""
    sides = permissions.proposal_sides(by, proposal)
    if not sides:
        raise Forbidden(_("Only the two desks of a proposal write in its thread."))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")}, code="required")
    if len(body) > MESSAGE_MAX:
        raise ValidationError(
            {"body": _("Write at most %(max)s characters.") % {"max": MESSAGE_MAX}}
        )
    # Staff act for both desks: their message is from neither, both are told.
    side = next(iter(sides)) if len(sides) == 1 else ""
    message = ProposalMessage.objects.create(
        proposal=proposal,
        author=by,
        author_sportello=_side_desk(proposal, side) if side else None,
        body=body,
    )
    Proposal.objects.filter(pk=proposal.pk).update(updated_at=timezone.now())
    targets = [_other_side(side)] if side else ["vacancy", "candidature"]
    for target in targets:
        notifications.notify_desk(
            proposal=proposal,
            sportello_id=_side_desk(proposal, target).pk,
            kind=DeskNotification.Kind.MESSAGE,
            actor=by,
        )
    return message


def notification_mark_read(
    *, user: User, pk: int | None = None, now: datetime.datetime | None = None
) -> int:
    """Mark one of the user's notifications (or all, without ``pk``) read;
    returns how many changed."""
    queryset = DeskNotification.objects.filter(recipient=user, read_at__isnull=True)
    if pk is not None:
        queryset = queryset.filter(pk=pk)
    return queryset.update(read_at=now or timezone.now())


def notification_mark_read_for_proposal(*, user: User, proposal: Proposal) -> int:
    """Opening a proposal reads its notifications."""
    return DeskNotification.objects.filter(
        recipient=user, proposal=proposal, read_at__isnull=True
    ).update(read_at=timezone.now())


def suggestion_views_record(
    *, candidatures, viewer: User, viewer_sportello: Sportello
) -> int:
    """Log that ``viewer`` saw these profiles in a list of suggestions (one
    insert for the page; the owning desks read the log). Only profiles the
    network shares and of other desks are ever listed."""
    if not viewer.is_authenticated:
        return 0
    rows = [
        ProfileView(
            candidature=candidature,
            owner_sportello_id=candidature.sportello_id,
            reference_code=candidature.reference_code,
            viewer=viewer,
            viewer_sportello=viewer_sportello,
            via="suggestion",
        )
        for candidature in candidatures
        if candidature.sportello_id != viewer_sportello.pk
    ]
    ProfileView.objects.bulk_create(rows)
    return len(rows)
