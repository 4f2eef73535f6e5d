"""The core journey of the job-desk network in a real browser: desk A's
operator publishes a vacancy through the form, desk B's operator proposes a
candidature for it, desk A accepts it, records the interview and the hire and
closes the vacancy as filled; the public job board shows the vacancy until it
is filled, and not after."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from portal.accounts.models import Membership
from sportelli import services
from sportelli.models import Proposal, ProposalStatus, Vacancy
from tests.sportelli.conftest import desk, municipality, organisation
from tests.sportelli.test_exchange_fixtures import make_candidature

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def english():
    """Every address reversed in English: the pages' texts checked are the
    source strings."""
    with translation.override("en"):
        yield


def _login(browser, live_server, settings, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="en-GB")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    return context, tab


def _people(make_user):
    org_a = organisation("Comune di Bra", region="01")
    org_b = organisation("Comune di Faenza", region="08")
    referente_a = make_user("referente@bra.example")
    operator_a = make_user("operatore@bra.example", first_name="Luca")
    referente_b = make_user("referente@faenza.example")
    operator_b = make_user("operatore@faenza.example", first_name="Sara")
    for org, user, role in (
        (org_a, referente_a, Membership.Role.REFERENTE),
        (org_a, operator_a, Membership.Role.OPERATOR),
        (org_b, referente_b, Membership.Role.REFERENTE),
        (org_b, operator_b, Membership.Role.OPERATOR),
    ):
        Membership.objects.create(organisation=org, user=user, role=role)
    desk_a = desk(org=org_a, by=referente_a)
    faenza = municipality("039010", "Faenza", "RA", "Ravenna", "08")
    desk_b = desk(
        org=org_b,
        by=referente_b,
        name="Sportello Lavoro di Faenza",
        municipality=faenza,
        postcode="48018",
    )
    services.desk_role_assign(
        sportello=desk_a, user=operator_a, role="operator", by=referente_a
    )
    services.desk_role_assign(
        sportello=desk_b, user=operator_b, role="operator", by=referente_b
    )
    candidature = make_candidature(sportello=desk_b, code="FAE-0042")
    return desk_a, operator_a, operator_b, candidature


def test_publish_propose_hire_and_close(browser, live_server, settings, make_user):
    from tests.conftest import build_tree, existing_tree

    existing_tree() or build_tree()
    desk_a, operator_a, operator_b, candidature = _people(make_user)
    errors: list[str] = []
    with translation.override("en"):
        create_url = reverse("sportelli:vacancy_create", args=[desk_a.slug])
        board_url = live_server.url + reverse("sportelli:vacancies")
    context_a, page_a = _login(browser, live_server, settings, operator_a)
    context_b, page_b = _login(browser, live_server, settings, operator_b)
    for tab in (page_a, page_b):
        tab.on("pageerror", lambda error: errors.append(str(error)))
    try:
        # Desk A publishes a vacancy through the form.
        page_a.goto(live_server.url + create_url)
        form = page_a.get_by_test_id("vacancy-form")
        form.locator("#id_title").fill("Aiuto cuoco stagionale")
        form.locator("#id_isco_code").select_option("5120")
        form.locator("#id_ateco_code").fill("56.11")
        form.locator("#id_contract_type").select_option("determinato")
        form.locator("#id_working_time").select_option("full")
        form.locator("#id_positions").fill("1")
        form.locator("#id_municipality").select_option("004029")
        form.locator("#id_employer_name").fill("Osteria del Castello")
        deadline = datetime.date.today() + datetime.timedelta(days=20)
        form.locator("#id_deadline").fill(deadline.isoformat())
        form.locator("#id_description").fill("Preparazione dei piatti del giorno.")
        form.locator("#id_how_to_apply").fill("Rivolgersi allo sportello.")
        with page_a.expect_navigation():
            form.locator("button[type=submit]").click()
        vacancy = Vacancy.objects.get(title="Aiuto cuoco stagionale")
        with page_a.expect_navigation():
            page_a.locator("form[action$='/publish/'] button[type=submit]").click()
        expect(page_a.get_by_test_id("vacancy-status")).to_have_text("Published")

        # The public board lists it.
        page_b.goto(board_url)
        expect(page_b.locator("main")).to_contain_text("Aiuto cuoco stagionale")

        # Desk B proposes its candidature from the vacancy's page.
        page_b.goto(live_server.url + vacancy.get_absolute_url())
        with page_b.expect_navigation():
            page_b.get_by_test_id("vacancy-propose").click()
        propose = page_b.get_by_test_id("propose-form")
        propose.locator("#id_candidature").select_option(str(candidature.pk))
        propose.locator("#id_note").fill("Esperienza in cucina, disponibile.")
        with page_b.expect_navigation():
            propose.locator("button[type=submit]").click()
        proposal = Proposal.objects.get(vacancy=vacancy)
        expect(page_b.get_by_test_id("proposal-status")).to_have_text("Proposed")

        # Desk A accepts, records the interview and the hire.
        with translation.override("en"):
            proposal_url = live_server.url + proposal.get_absolute_url()
        page_a.goto(proposal_url)
        expect(page_a.get_by_test_id("proposal-profile")).to_contain_text("FAE-0042")
        for step, label in (
            ("review", "Under review"),
            ("interview", "Interview"),
            ("hired", "Hired"),
        ):
            with page_a.expect_navigation():
                page_a.get_by_test_id(f"step-{step}").click()
            expect(page_a.get_by_test_id("proposal-status")).to_have_text(label)
        expect(page_a.get_by_test_id("positions-left")).to_contain_text("0 of 1")

        # Still on the board until the desk closes it as filled.
        page_b.goto(board_url)
        expect(page_b.locator("main")).to_contain_text("Aiuto cuoco stagionale")
        with page_a.expect_navigation():
            page_a.get_by_test_id("offer-close").locator("button").click()
        expect(page_a.get_by_test_id("vacancy-status")).to_have_text("Closed")

        page_b.goto(board_url)
        expect(page_b.locator("main")).not_to_contain_text("Aiuto cuoco stagionale")
        # Desk B saw every step in its inbox.
        page_b.goto(live_server.url + reverse("sportelli:notifications"))
        expect(page_b.get_by_test_id("notification")).to_have_count(3)
    finally:
        context_a.close()
        context_b.close()
    proposal.refresh_from_db()
    vacancy.refresh_from_db()
    assert proposal.status == ProposalStatus.HIRED
    assert vacancy.close_reason == Vacancy.CloseReason.FILLED
    assert errors == []
