# ruff: noqa: F811
"""The exchange's services: propose, move, write; each step recorded and the
other desk told on site and by email."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from sportelli import services
from sportelli.models import (
    DeskNotification,
    Proposal,
    ProposalEvent,
    ProposalMessage,
    ProposalStatus,
    Vacancy,
)
from sportelli.services import exchange

from .conftest import vacancy
from .test_exchange_fixtures import ex, make_candidature  # noqa: F401

pytestmark = pytest.mark.django_db


def _propose(ex, **overrides):
    values = {
        "vacancy": ex.vacancy_a,
        "candidature": ex.candidature_b,
        "by": ex.network.operator_b,
        "note": "Esperienza in cucina, disponibile da subito.",
    }
    values.update(overrides)
    return exchange.proposal_create(**values)


def test_propose_records_the_first_step_and_notifies_the_vacancy_desk(ex):
    proposal = _propose(ex)
    assert proposal.status == ProposalStatus.PROPOSED
    assert proposal.vacancy_sportello == ex.network.desk_a
    assert proposal.candidature_sportello == ex.network.desk_b
    assert proposal.reference_code == "FAE-0001"
    event = ProposalEvent.objects.get(proposal=proposal)
    assert (event.from_status, event.to_status) == ("", ProposalStatus.PROPOSED)
    assert event.by == ex.network.operator_b
    assert event.by_sportello == ex.network.desk_b
    recipients = set(
        DeskNotification.objects.filter(proposal=proposal).values_list(
            "recipient__email", flat=True
        )
    )
    # Desk A's people: operator, manager, the referente; nobody of B or C.
    assert recipients == {
        "operatore@bra.example",
        "manager@bra.example",
        "referente@bra.example",
    }
    assert set(
        DeskNotification.objects.filter(proposal=proposal).values_list(
            "kind", "sportello"
        )
    ) == {(DeskNotification.Kind.PROPOSAL_RECEIVED, ex.network.desk_a.pk)}


@pytest.mark.parametrize(
    "case, field",
    [
        ("own_desk", "vacancy"),
        ("draft", "vacancy"),
        ("closed", "vacancy"),
        ("no_proposals_consent", "candidature"),
        ("no_consent", "candidature"),
        ("suspended", "candidature"),
        ("expired", "candidature"),
        ("twice", "candidature"),
    ],
)
def test_propose_refuses_with_an_error_per_field(ex, case, field):
    net = ex.network
    kwargs = {}
    if case == "own_desk":
        kwargs["vacancy"] = vacancy(sportello=net.desk_b, by=net.operator_b)
    elif case == "draft":
        kwargs["vacancy"] = vacancy(
            sportello=net.desk_a, by=net.operator_a, publish=False
        )
    elif case == "closed":
        kwargs["vacancy"] = vacancy(
            sportello=net.desk_a, by=net.operator_a, close_reason="withdrawn"
        )
    elif case == "no_proposals_consent":
        kwargs["candidature"] = ex.network_only_b
    elif case == "no_consent":
        kwargs["candidature"] = make_candidature(
            sportello=net.desk_b, code="FAE-9", scope=None
        )
    elif case == "suspended":
        kwargs["candidature"] = make_candidature(
            sportello=net.desk_b, code="FAE-9", status="suspended"
        )
    elif case == "expired":
        kwargs["candidature"] = make_candidature(
            sportello=net.desk_b,
            code="FAE-9",
            expires_on=datetime.date.today() - datetime.timedelta(days=1),
        )
    elif case == "twice":
        _propose(ex)
    with pytest.raises(ValidationError) as caught:
        _propose(ex, **kwargs)
    assert field in caught.value.message_dict
    assert Proposal.objects.count() == (1 if case == "twice" else 0)


def test_network_only_vacancy_can_receive_proposals(ex):
    net = ex.network
    hidden = vacancy(sportello=net.desk_a, by=net.operator_a, visibility="network")
    assert _propose(ex, vacancy=hidden).vacancy == hidden


@pytest.mark.parametrize("who", ["operator_a", "operator_c", "manager_a"])
def test_only_the_candidature_desk_proposes(ex, who):
    user = ex.operator_c if who == "operator_c" else getattr(ex.network, who)
    with pytest.raises(PermissionDenied):
        _propose(ex, by=user)
    assert not Proposal.objects.exists()


def test_the_whole_path_to_a_hire(ex):
    net = ex.network
    proposal = _propose(ex)
    for to_status, by in (
        (ProposalStatus.UNDER_REVIEW, net.operator_a),
        (ProposalStatus.INTERVIEW, net.manager_a),
        (ProposalStatus.HIRED, net.referente),
    ):
        proposal = exchange.proposal_move(
            proposal=proposal, by=by, to_status=to_status, note="ok"
        )
    assert proposal.status == ProposalStatus.HIRED
    steps = list(
        proposal.events.values_list("from_status", "to_status", "by_sportello")
    )
    assert steps == [
        ("", "proposed", net.desk_b.pk),
        ("proposed", "review", net.desk_a.pk),
        ("review", "interview", net.desk_a.pk),
        ("interview", "hired", net.desk_a.pk),
    ]
    # Each step of desk A told desk B's people (operator and referente).
    moved = DeskNotification.objects.filter(
        proposal=proposal, kind=DeskNotification.Kind.PROPOSAL_MOVED
    )
    assert moved.count() == 6
    assert set(moved.values_list("sportello", flat=True)) == {net.desk_b.pk}
    # Nothing closes the vacancy by itself: the desk decides.
    proposal.vacancy.refresh_from_db()
    assert proposal.vacancy.status == Vacancy.Status.PUBLISHED


def test_a_final_state_takes_no_more_steps(ex):
    net = ex.network
    proposal = _propose(ex)
    exchange.proposal_move(proposal=proposal, by=net.operator_a, to_status="declined")
    with pytest.raises(ValidationError) as caught:
        exchange.proposal_move(proposal=proposal, by=net.operator_a, to_status="review")
    assert "to_status" in caught.value.message_dict


@pytest.mark.parametrize(
    "to_status, who",
    [
        ("review", "operator_b"),  # B cannot accept its own proposal
        ("declined", "operator_b"),
        ("withdrawn", "operator_a"),  # A cannot withdraw B's proposal
        ("review", "operator_c"),  # a third desk does nothing
    ],
)
def test_each_step_belongs_to_one_desk(ex, to_status, who):
    user = ex.operator_c if who == "operator_c" else getattr(ex.network, who)
    proposal = _propose(ex)
    with pytest.raises(PermissionDenied):
        exchange.proposal_move(proposal=proposal, by=user, to_status=to_status)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED
    assert proposal.events.count() == 1


def test_the_proposing_desk_withdraws_and_staff_may_act(ex):
    net = ex.network
    proposal = _propose(ex)
    exchange.proposal_move(proposal=proposal, by=net.staff, to_status="review")
    exchange.proposal_move(proposal=proposal, by=net.operator_b, to_status="withdrawn")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert not proposal.is_open


def test_messages_go_to_the_other_desk(ex):
    net = ex.network
    proposal = _propose(ex)
    DeskNotification.objects.all().delete()
    exchange.proposal_message_add(
        proposal=proposal, by=net.operator_a, body="Possiamo fissare un colloquio?"
    )
    message = ProposalMessage.objects.get()
    assert message.author_sportello == net.desk_a
    assert set(DeskNotification.objects.values_list("recipient__email", flat=True)) == {
        "operatore@faenza.example",
        "referente@faenza.example",
    }
    with pytest.raises(ValidationError):
        exchange.proposal_message_add(proposal=proposal, by=net.operator_a, body=" ")
    with pytest.raises(PermissionDenied):
        exchange.proposal_message_add(proposal=proposal, by=ex.operator_c, body="x")


def test_emails_name_only_the_code_and_the_vacancy_with_portal_links(
    ex, commit_hooks, settings
):
    settings.PORTAL_BASE_URL = "https://lavoro.example.it"
    mail.outbox.clear()
    proposal = _propose(ex)
    assert len(mail.outbox) == 3
    assert {message.to[0] for message in mail.outbox} == {
        "operatore@bra.example",
        "manager@bra.example",
        "referente@bra.example",
    }
    message = mail.outbox[0]
    assert "FAE-0001" in message.subject
    assert "Cuoco per ristorante" in message.subject
    assert f"https://lavoro.example.it{proposal.get_absolute_url()}" in message.body
    assert "127.0.0.1" not in message.body
    assert "http://localhost" not in message.body
    for private in ("HACCP", "ristorazione collettiva", "Esperienza in cucina"):
        assert private not in message.body
    assert DeskNotification.objects.filter(emailed_at__isnull=True).count() == 0

    mail.outbox.clear()
    exchange.proposal_move(
        proposal=proposal, by=ex.network.operator_a, to_status="review"
    )
    assert {message.to[0] for message in mail.outbox} == {
        "operatore@faenza.example",
        "referente@faenza.example",
    }


def test_a_refused_step_sends_nothing(ex, commit_hooks):
    proposal = _propose(ex)
    mail.outbox.clear()
    before = DeskNotification.objects.count()
    with pytest.raises(PermissionDenied):
        exchange.proposal_move(
            proposal=proposal, by=ex.network.operator_b, to_status="review"
        )
    assert DeskNotification.objects.count() == before
    assert mail.outbox == []


def test_hire_filling_every_position_lets_the_desk_close_the_vacancy(ex):
    from sportelli.selectors.exchange import vacancy_positions_left

    net = ex.network
    assert ex.vacancy_a.positions == 2
    second = make_candidature(sportello=net.desk_b, code="FAE-0003")
    for candidature in (ex.candidature_b, second):
        proposal = _propose(ex, candidature=candidature)
        for step in ("review", "interview", "hired"):
            exchange.proposal_move(proposal=proposal, by=net.operator_a, to_status=step)
        left = vacancy_positions_left(vacancy=ex.vacancy_a)
    assert left == 0
    services.vacancy_close(vacancy=ex.vacancy_a, by=net.operator_a, reason="filled")
    ex.vacancy_a.refresh_from_db()
    assert ex.vacancy_a.close_reason == "filled"


def test_notifications_mark_read(ex):
    _propose(ex)
    user = ex.network.operator_a
    assert exchange.notification_mark_read(user=user) == 1
    assert exchange.notification_mark_read(user=user) == 0
