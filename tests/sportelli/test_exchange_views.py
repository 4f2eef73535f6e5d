# ruff: noqa: F811
"""The exchange's pages: who gets what, with exact status codes, and the
journeys through them (propose, accept, hire, close as filled, inbox)."""

from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from sportelli.models import DeskNotification, Proposal, ProposalStatus, Vacancy
from sportelli.services import exchange

from .test_exchange_fixtures import ex, make_candidature  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The pages at their English addresses, so the texts checked are the
    source strings (the Italian site is checked by the crawl tests)."""
    with translation.override("en"):
        yield


OK = HTTPStatus.OK
FOUND = HTTPStatus.FOUND
FORBIDDEN = HTTPStatus.FORBIDDEN
NOT_FOUND = HTTPStatus.NOT_FOUND
NOT_ALLOWED = HTTPStatus.METHOD_NOT_ALLOWED

ACTORS = ["anonymous", "operator_a", "manager_a", "operator_b", "operator_c", "staff"]


def _user(ex, actor):
    if actor == "anonymous":
        return None
    if actor == "operator_c":
        return ex.operator_c
    return getattr(ex.network, actor)


def _client(ex, actor) -> Client:
    client = Client()
    user = _user(ex, actor)
    if user is not None:
        client.force_login(user)
    return client


def _proposal(ex) -> Proposal:
    return exchange.proposal_create(
        vacancy=ex.vacancy_a,
        candidature=ex.candidature_b,
        by=ex.network.operator_b,
        note="",
    )


# (method, page) -> status per actor, in the order of ACTORS
MATRIX = {
    ("get", "proposal"): [FOUND, OK, OK, OK, NOT_FOUND, OK],
    ("get", "missing_proposal"): [FOUND] + [NOT_FOUND] * 5,
    ("get", "proposals_a"): [FOUND, OK, OK, FORBIDDEN, FORBIDDEN, OK],
    ("get", "proposals_b"): [FOUND, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK],
    ("get", "move"): [FOUND] + [NOT_ALLOWED] * 5,
    ("post", "accept"): [FOUND, FOUND, FOUND, FORBIDDEN, NOT_FOUND, FOUND],
    ("post", "withdraw"): [FOUND, FORBIDDEN, FORBIDDEN, FOUND, NOT_FOUND, FOUND],
    ("post", "message"): [FOUND, FOUND, FOUND, FOUND, NOT_FOUND, FOUND],
    ("get", "vacancy_suggestions"): [FOUND, OK, OK, FORBIDDEN, FORBIDDEN, OK],
    ("get", "candidature_suggestions"): [
        FOUND,
        FORBIDDEN,
        FORBIDDEN,
        OK,
        FORBIDDEN,
        OK,
    ],
    ("get", "vacancy_propose"): [FOUND, FORBIDDEN, FORBIDDEN, OK, OK, FORBIDDEN],
    ("get", "candidature_propose"): [
        FOUND,
        NOT_FOUND,
        NOT_FOUND,
        OK,
        NOT_FOUND,
        OK,
    ],
    ("get", "notifications"): [FOUND, OK, OK, OK, OK, OK],
}


def _urls(ex, proposal) -> dict:
    net = ex.network
    move = reverse("sportelli:proposal_move", args=[proposal.pk])
    return {
        "proposal": (proposal.get_absolute_url(), None),
        "missing_proposal": (reverse("sportelli:proposal", args=[999999]), None),
        "proposals_a": (reverse("sportelli:proposals", args=[net.desk_a.slug]), None),
        "proposals_b": (reverse("sportelli:proposals", args=[net.desk_b.slug]), None),
        "move": (move, None),
        "accept": (move, {"to_status": "review"}),
        "withdraw": (move, {"to_status": "withdrawn"}),
        "message": (
            reverse("sportelli:proposal_message", args=[proposal.pk]),
            {"body": "Buongiorno"},
        ),
        "vacancy_suggestions": (
            reverse(
                "sportelli:vacancy_suggestions",
                args=[net.desk_a.slug, ex.vacancy_a.pk],
            ),
            None,
        ),
        "candidature_suggestions": (
            reverse(
                "sportelli:candidature_suggestions",
                args=[net.desk_b.slug, ex.candidature_b.pk],
            ),
            None,
        ),
        "vacancy_propose": (
            reverse("sportelli:vacancy_propose", args=[ex.vacancy_a.pk]),
            None,
        ),
        "candidature_propose": (
            reverse("sportelli:candidature_propose", args=[ex.candidature_b.pk]),
            None,
        ),
        "notifications": (reverse("sportelli:notifications"), None),
    }


def test_access_matrix(ex):
    """Every page and action for every kind of visitor (one database setup:
    a step's effect is undone before the next visitor tries it)."""
    proposal = _proposal(ex)
    urls = _urls(ex, proposal)
    clients = {actor: _client(ex, actor) for actor in ACTORS}
    failures = []
    for (method, page), expected_row in MATRIX.items():
        url, data = urls[page]
        for actor, expected in zip(ACTORS, expected_row, strict=True):
            Proposal.objects.filter(pk=proposal.pk).update(
                status=ProposalStatus.PROPOSED
            )
            client = clients[actor]
            if method == "post":
                response = client.post(url, data)
            else:
                response = client.get(url)
            if response.status_code != expected:
                failures.append((page, actor, response.status_code, expected))
            elif actor == "anonymous":
                assert response["Location"].startswith(reverse("account_login"))
    assert failures == []


def test_steps_taken_by_the_right_desk_only(ex):
    proposal = _proposal(ex)
    move = reverse("sportelli:proposal_move", args=[proposal.pk])
    _client(ex, "operator_b").post(move, {"to_status": "review"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED
    _client(ex, "manager_a").post(move, {"to_status": "review"})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.UNDER_REVIEW


def test_a_third_desk_finds_no_trace_of_the_proposal(ex):
    proposal = _proposal(ex)
    client = _client(ex, "operator_c")
    response = client.get(proposal.get_absolute_url())
    assert response.status_code == NOT_FOUND
    assert b"FAE-0001" not in response.content


def test_propose_from_the_vacancy_then_the_whole_journey(ex):
    net = ex.network
    b = _client(ex, "operator_b")
    url = reverse("sportelli:vacancy_propose", args=[ex.vacancy_a.pk])
    page = b.get(url)
    assert page.status_code == OK
    # Only B's candidatures with consent to proposals are offered.
    assert b"FAE-0001" in page.content
    assert b"FAE-0002" not in page.content
    refused = b.post(url, {"candidature": "", "note": ""})
    assert refused.status_code == OK
    assert b"form-errors-summary" in refused.content
    response = b.post(
        url, {"candidature": ex.candidature_b.pk, "note": "Ottimo profilo."}
    )
    proposal = Proposal.objects.get()
    assert response["Location"] == proposal.get_absolute_url()
    # The vacancy's page offers the link to propose to B, not to A.
    detail = ex.vacancy_a.get_absolute_url()
    assert b'data-testid="vacancy-propose"' in b.get(detail).content
    a = _client(ex, "operator_a")
    assert b'data-testid="vacancy-propose"' not in a.get(detail).content

    # A sees the profile and the buttons of its side only.
    page = a.get(proposal.get_absolute_url())
    content = page.content.decode()
    assert 'data-testid="step-review"' in content
    assert 'data-testid="step-declined"' in content
    assert 'data-testid="step-withdrawn"' not in content
    assert "HACCP" in content
    assert "Ottimo profilo." in content
    # Opening the proposal reads A's notification about it.
    assert not DeskNotification.objects.filter(
        recipient=net.operator_a, read_at__isnull=True
    ).exists()
    b_page = b.get(proposal.get_absolute_url()).content.decode()
    assert 'data-testid="step-withdrawn"' in b_page
    assert 'data-testid="step-review"' not in b_page

    move = reverse("sportelli:proposal_move", args=[proposal.pk])
    for step in ("review", "interview", "hired"):
        assert a.post(move, {"to_status": step, "note": ""}).status_code == FOUND
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.HIRED
    assert list(proposal.events.values_list("to_status", flat=True)) == [
        "proposed",
        "review",
        "interview",
        "hired",
    ]
    content = a.get(proposal.get_absolute_url()).content.decode()
    # Two positions, one hire: no offer to close yet, one position left.
    assert 'data-testid="offer-close"' not in content
    assert "Positions still open: 1 of 2" in content

    second = make_candidature(sportello=net.desk_b, code="FAE-0003")
    other = exchange.proposal_create(
        vacancy=ex.vacancy_a, candidature=second, by=net.operator_b, note=""
    )
    for step in ("review", "interview", "hired"):
        exchange.proposal_move(proposal=other, by=net.operator_a, to_status=step)
    content = a.get(other.get_absolute_url()).content.decode()
    assert 'data-testid="offer-close"' in content
    assert "Positions still open: 0 of 2" in content
    # B is told the positions but never offered to close A's vacancy.
    assert (
        'data-testid="offer-close"'
        not in b.get(other.get_absolute_url()).content.decode()
    )
    close = reverse("sportelli:vacancy_close", args=[net.desk_a.slug, ex.vacancy_a.pk])
    assert a.post(close, {"reason": "filled"}).status_code == FOUND
    ex.vacancy_a.refresh_from_db()
    assert ex.vacancy_a.close_reason == Vacancy.CloseReason.FILLED


def test_propose_from_the_profile_side(ex):
    b = _client(ex, "operator_b")
    url = reverse("sportelli:candidature_propose", args=[ex.candidature_b.pk])
    page = b.get(url)
    assert ex.vacancy_a.title.encode() in page.content
    response = b.post(url, {"vacancy": ex.vacancy_a.pk, "note": ""})
    assert response.status_code == FOUND
    # Proposed once: the vacancy is no longer offered for this profile.
    assert Proposal.objects.count() == 1
    again = b.post(url, {"vacancy": ex.vacancy_a.pk, "note": ""})
    assert again.status_code == OK
    assert Proposal.objects.count() == 1


def test_the_thread_and_the_inbox(ex):
    proposal = _proposal(ex)
    a = _client(ex, "operator_a")
    url = reverse("sportelli:proposal_message", args=[proposal.pk])
    empty = a.post(url, {"body": ""})
    assert empty.status_code == OK
    assert b"form-errors-summary" in empty.content
    a.post(url, {"body": "<b>Colloquio</b> lunedì?"})
    b = _client(ex, "operator_b")
    inbox = b.get(reverse("sportelli:notifications")).content.decode()
    assert "1 unread notification" in inbox
    assert proposal.get_absolute_url() in inbox
    page = b.get(proposal.get_absolute_url()).content.decode()
    assert "&lt;b&gt;Colloquio&lt;/b&gt; lunedì?" in page
    assert (
        "0 unread notifications"
        in b.get(reverse("sportelli:notifications")).content.decode()
    )
    notification = DeskNotification.objects.filter(
        recipient=ex.network.manager_a
    ).first()
    manager = _client(ex, "manager_a")
    # Marking someone else's notification does nothing.
    b.post(reverse("sportelli:notifications"), {"notification": notification.pk})
    notification.refresh_from_db()
    assert notification.read_at is None
    manager.post(reverse("sportelli:notifications"), {"notification": notification.pk})
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_proposals_list_filters_and_pins_its_queries(ex):
    net = ex.network
    _proposal(ex)
    a = _client(ex, "operator_a")
    url = reverse("sportelli:proposals", args=[net.desk_a.slug])
    assert b"FAE-0001" in a.get(url, {"direction": "received"}).content
    assert b"FAE-0001" not in a.get(url, {"direction": "sent"}).content
    assert b"FAE-0001" not in a.get(url, {"status": "hired"}).content
    a.get(url)  # warm the session and the site caches

    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert a.get(url).status_code == OK
        return len(captured)

    few = count_queries()
    for number in range(5):
        candidature = make_candidature(sportello=net.desk_b, code=f"FAE-1{number}")
        exchange.proposal_create(
            vacancy=ex.vacancy_a, candidature=candidature, by=net.operator_b, note=""
        )
    assert count_queries() == few


def test_the_vacancy_desk_reading_the_profile_is_logged(ex):
    from sportelli.models import ProfileView

    proposal = _proposal(ex)
    _client(ex, "operator_b").get(proposal.get_absolute_url())
    assert not ProfileView.objects.exists()  # the profile's own desk
    _client(ex, "operator_a").get(proposal.get_absolute_url())
    view = ProfileView.objects.get()
    assert (view.reference_code, view.via) == ("FAE-0001", "web")
    assert view.viewer == ex.network.operator_a


def test_the_profile_page_links_its_desk_to_the_exchange(ex):
    url = reverse("sportelli:candidature", args=[ex.candidature_b.pk])
    own = _client(ex, "operator_b").get(url).content.decode()
    assert reverse("sportelli:candidature_propose", args=[ex.candidature_b.pk]) in own
    other = _client(ex, "operator_a").get(url).content.decode()
    assert 'data-testid="candidature-exchange"' not in other
