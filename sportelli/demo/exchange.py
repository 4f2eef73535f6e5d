"""Demo exchange: a few proposals at each stage between the example desks.

Run after the example vacancies (``sportelli.demo``) and candidatures
(``sportelli.demo_candidatures``): each example candidature shared with the
consent to proposals is matched, through the suggestions, with the best live
vacancy of another desk, and proposed and moved through the services by the
desks' own operators, so the history, the notifications and the threads are
what a real exchange leaves. Stages cycle over proposed, under review,
interview, hired, not selected, declined and withdrawn.

Loading twice adds nothing (a pair already proposed is skipped, and the demo
stops at ``TARGET`` example proposals). The demo's notifications are marked as
emailed in the same transaction: loading the demo sends no email.
"""

from django.db import transaction
from django.utils import timezone

from ..models import (
    Candidature,
    DeskNotification,
    DeskRole,
    Proposal,
    ProposalStatus,
)
from ..selectors.exchange import candidature_proposable_q, suggestions_for_candidature
from ..services.exchange import proposal_create, proposal_message_add, proposal_move

TARGET = 14

# The steps that lead to each final or intermediate stage.
PATHS = {
    ProposalStatus.PROPOSED: [],
    ProposalStatus.UNDER_REVIEW: [ProposalStatus.UNDER_REVIEW],
    ProposalStatus.INTERVIEW: [ProposalStatus.UNDER_REVIEW, ProposalStatus.INTERVIEW],
    ProposalStatus.HIRED: [
        ProposalStatus.UNDER_REVIEW,
        ProposalStatus.INTERVIEW,
        ProposalStatus.HIRED,
    ],
    ProposalStatus.NOT_SELECTED: [
        ProposalStatus.UNDER_REVIEW,
        ProposalStatus.INTERVIEW,
        ProposalStatus.NOT_SELECTED,
    ],
    ProposalStatus.DECLINED: [ProposalStatus.DECLINED],
    ProposalStatus.WITHDRAWN: [ProposalStatus.UNDER_REVIEW, ProposalStatus.WITHDRAWN],
}
STAGES = list(PATHS)

NOTES = {
    ProposalStatus.UNDER_REVIEW: "Profilo interessante, lo valutiamo con l'azienda.",
    ProposalStatus.INTERVIEW: "Colloquio fissato con il datore di lavoro.",
    ProposalStatus.HIRED: "Assunzione confermata dall'azienda.",
    ProposalStatus.NOT_SELECTED: "L'azienda ha scelto un altro profilo.",
    ProposalStatus.DECLINED: "Il profilo non corrisponde ai requisiti.",
    ProposalStatus.WITHDRAWN: "La persona ha trovato un altro impiego.",
}


def _operator(sportello_id: int):
    role = (
        DeskRole.objects.filter(sportello_id=sportello_id, role=DeskRole.Role.OPERATOR)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return role.user if role else None


def load(stdout=None) -> int:
    """Create the example proposals not loaded yet; returns how many."""
    created = 0
    with transaction.atomic():
        existing = Proposal.objects.filter(candidature__is_example=True).count()
        candidatures = (
            Candidature.objects.filter(candidature_proposable_q(), is_example=True)
            .select_related("sportello", "municipality")
            .order_by("reference_code")
        )
        made = []
        for candidature in candidatures:
            if existing + created >= TARGET:
                break
            if Proposal.objects.filter(candidature=candidature).exists():
                continue
            proposer = _operator(candidature.sportello_id)
            if proposer is None:
                continue
            matches = suggestions_for_candidature(
                candidature=candidature, user=proposer, limit=5
            )
            vacancy = next(
                (
                    row.item
                    for row in matches
                    if not Proposal.objects.filter(
                        vacancy=row.item, status=ProposalStatus.HIRED
                    ).exists()
                ),
                None,
            )
            if vacancy is None:
                continue
            receiver = _operator(vacancy.sportello_id)
            if receiver is None:
                continue
            stage = STAGES[(existing + created) % len(STAGES)]
            proposal = proposal_create(
                vacancy=vacancy,
                candidature=candidature,
                by=proposer,
                note="Profilo di esempio: esperienza in linea con l'offerta.",
            )
            if stage != ProposalStatus.DECLINED:
                proposal_message_add(
                    proposal=proposal,
                    by=receiver,
                    body="Grazie, la persona è disponibile per un colloquio?",
                )
                proposal_message_add(
                    proposal=proposal,
                    by=proposer,
                    body="Sì, anche la prossima settimana.",
                )
            for step in PATHS[stage]:
                by = proposer if step == ProposalStatus.WITHDRAWN else receiver
                proposal = proposal_move(
                    proposal=proposal, by=by, to_status=step, note=NOTES[step]
                )
            made.append(proposal.pk)
            created += 1
        # The demo's people are made up: nothing to email.
        DeskNotification.objects.filter(proposal_id__in=made).update(
            emailed_at=timezone.now()
        )
    if stdout is not None:
        total = Proposal.objects.filter(candidature__is_example=True).count()
        stdout.write(f"Exchange: {total} example proposals ({created} new).")
    return created
