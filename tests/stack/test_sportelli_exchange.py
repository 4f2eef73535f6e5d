"""The job-desk network as deployed: desk A's operator publishes a vacancy on
the site, desk B's operator proposes one of B's candidatures for it, A hears of
it by email and follows the email's link to the proposal, records the interview
and the hire and closes the vacancy as filled; B hears of each step by email.
The public job board, served through nginx and the page cache, shows the
vacancy until it is filled and not after; its page then answers 410."""

import datetime
import json
import uuid

import pytest
from playwright.sync_api import expect

from tests.stack import journeys
from tests.stack.conftest import BASE_URL, https_request, unique_email

pytestmark = pytest.mark.stack

SETUP = """
import json
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import translation
from portal.accounts.models import Membership, User
from sportelli.models import Candidature, DeskRole, SharingConsent, Sportello

desks = list(
    Sportello.objects.filter(status="active", organisation__status="approved")
    .order_by("name")[:2]
)
assert len(desks) == 2, "the demo has fewer than two public desks"
people = {}
for email, sportello in ((%(a)r, desks[0]), (%(b)r, desks[1])):
    user = User.objects.create_user(email=email, password=%(password)r)
    user.first_name = "Operatore"
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    Membership.objects.create(
        organisation=sportello.organisation, user=user, role="operator"
    )
    DeskRole.objects.create(sportello=sportello, user=user, role="operator")
candidature = (
    Candidature.objects.filter(
        sportello=desks[1],
        status="active",
        consents__scope="proposals",
        consents__withdrawn_at__isnull=True,
    )
    .order_by("pk")
    .first()
)
assert candidature is not None, "desk B has no candidature open to proposals"
with translation.override("it"):
    print(json.dumps({
        "create": reverse("sportelli:vacancy_create", args=[desks[0].slug]),
        "board": reverse("sportelli:vacancies"),
        "municipality": desks[0].municipality_id,
        "candidature": candidature.pk,
        "reference": candidature.reference_code,
    }))
"""
VACANCY = """
import json
from django.urls import reverse
from django.utils import translation
from sportelli.models import Vacancy

vacancy = Vacancy.objects.get(title=%(title)r)
with translation.override("it"):
    print(json.dumps({
        "public": vacancy.get_absolute_url(),
        "publish": reverse(
            "sportelli:vacancy_publish", args=[vacancy.sportello.slug, vacancy.pk]
        ),
    }))
"""


def _context_page(browser):
    context = browser.new_context(ignore_https_errors=True, locale="it-IT")
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    return context, tab


def _board_lists(title: str, board: str) -> bool:
    status, _headers, body = https_request("GET", board)
    assert status == 200, status
    return title in body.decode()


def test_publish_propose_hire_close_through_the_stack(stack, browser, page):
    operator_a = unique_email("sportello-a")
    operator_b = unique_email("sportello-b")
    facts = stack.query(
        SETUP % {"a": operator_a, "b": operator_b, "password": journeys.PASSWORD}
    )
    title = f"Aiuto cuoco {uuid.uuid4().hex[:6]}"
    context_b, page_b = _context_page(browser)
    try:
        # Desk A publishes a vacancy through the form.
        journeys.log_in(page, email=operator_a)
        page.goto(BASE_URL + facts["create"])
        form = page.get_by_test_id("vacancy-form")
        form.locator("#id_title").fill(title)
        form.locator("#id_isco_code").select_option("5120")
        form.locator("#id_ateco_code").fill("56.11")
        form.locator("#id_contract_type").select_option("determinato")
        form.locator("#id_working_time").select_option("full")
        form.locator("#id_positions").fill("1")
        form.locator("#id_municipality").select_option(facts["municipality"])
        form.locator("#id_employer_name").fill("Osteria del Castello")
        deadline = datetime.date.today() + datetime.timedelta(days=20)
        form.locator("#id_deadline").fill(deadline.isoformat())
        form.locator("#id_description").fill("Preparazione dei piatti del giorno.")
        form.locator("#id_how_to_apply").fill("Rivolgersi allo sportello.")
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        paths = stack.query(VACANCY % {"title": title})
        with page.expect_navigation():
            page.locator(
                f"form[action='{paths['publish']}'] button[type=submit]"
            ).click()
        vacancy_path = paths["public"]

        # The public board (through nginx and the page cache) lists it.
        assert _board_lists(title, facts["board"])

        # Desk B proposes its candidature from the vacancy's page.
        journeys.log_in(page_b, email=operator_b)
        page_b.goto(BASE_URL + vacancy_path)
        with page_b.expect_navigation():
            page_b.get_by_test_id("vacancy-propose").click()
        propose = page_b.get_by_test_id("propose-form")
        propose.locator("#id_candidature").select_option(str(facts["candidature"]))
        propose.locator("#id_note").fill("Esperienza in cucina, disponibile subito.")
        seen = journeys.mail_seen(stack)
        with page_b.expect_navigation():
            propose.locator("button[type=submit]").click()
        proposal_path = journeys.path_of(page_b.url)

        # Desk A hears of it by email and follows the email's link.
        message = journeys.wait_for_new(stack, seen, to=operator_a)
        text = stack.mailbox.body_text(message)
        journeys.assert_no_empty_placeholders(text)
        assert facts["reference"] in text and title in text, text
        links = journeys.assert_site_links(stack, message)
        assert BASE_URL + proposal_path in links, links
        page.goto(BASE_URL + proposal_path)
        expect(page.get_by_test_id("proposal-profile")).to_contain_text(
            facts["reference"]
        )
        for step in ("review", "interview", "hired"):
            seen = journeys.mail_seen(stack)
            with page.expect_navigation():
                page.get_by_test_id(f"step-{step}").click()
            # Desk B is told of every step, with a link to the same proposal.
            message = journeys.wait_for_new(stack, seen, to=operator_b)
            assert BASE_URL + proposal_path in journeys.assert_site_links(
                stack, message
            )
        status = page.get_by_test_id("proposal-status").inner_text()
        page_b.goto(BASE_URL + proposal_path)
        expect(page_b.get_by_test_id("proposal-status")).to_have_text(status)

        # Still on the board until desk A closes the vacancy as filled.
        assert _board_lists(title, facts["board"])
        with page.expect_navigation():
            page.get_by_test_id("offer-close").locator("button").click()
        assert not _board_lists(title, facts["board"])
        gone, _headers, _body = https_request("GET", vacancy_path)
        assert gone == 410, gone
    finally:
        context_b.close()


API_KEY = """
import json
from portal.accounts.models import User
from sportelli.models import Sportello
from sportelli.services.api_keys import api_key_create

sportello = (
    Sportello.objects.filter(status="active", organisation__status="approved")
    .order_by("name")
    .first()
)
staff = User.objects.get(email=%(admin)r)
new = api_key_create(sportello=sportello, by=staff, name="Stack journey")
print(json.dumps({
    "token": new.token,
    "municipality": sportello.municipality_id,
    "slug": sportello.slug,
}))
"""


# The desk's software calls from its own address; nginx passes it on.
VISITOR = "127.0.0.23"


def test_a_desk_s_software_publishes_through_the_api_behind_nginx(stack):
    facts = stack.query(API_KEY % {"admin": journeys.ADMIN_EMAIL})
    external_id = f"STACK-{uuid.uuid4().hex[:8]}"
    title = f"Magazziniere {external_id}"
    vacancy = {
        "title": title,
        "isco_code": "9333",
        "ateco_code": "52.10",
        "contract_type": "determinato",
        "working_time": "full",
        "municipality": facts["municipality"],
        "deadline": (datetime.date.today() + datetime.timedelta(days=30)).isoformat(),
        "description": "Carico e scarico merci, turni diurni.",
        "how_to_apply": "Curriculum allo sportello.",
        "employer_name": "Logistica del Borgo",
        "status": "published",
    }
    auth = {
        "Authorization": f"Bearer {facts['token']}",
        "Content-Type": "application/json",
        "Accept-Language": "it",
    }
    path = f"/api/sportelli/v1/vacancies/{external_id}"
    status, _headers, body = https_request(
        "PUT", path, data=json.dumps(vacancy), headers=auth, source_ip=VISITOR
    )
    assert status in (200, 201), (status, body)
    # The same call again changes nothing: one vacancy, answered 200.
    status, _headers, body = https_request(
        "PUT", path, data=json.dumps(vacancy), headers=auth, source_ip=VISITOR
    )
    assert status == 200, (status, body)
    assert _board_lists(title, "/sportelli/offerte/")
    # A bad field is refused with a message per field, in Italian.
    status, _headers, body = https_request(
        "PUT",
        path,
        data=json.dumps({**vacancy, "isco_code": "12"}),
        headers=auth,
        source_ip=VISITOR,
    )
    assert status in (400, 422), status
    errors = json.loads(body)["errors"]
    assert "isco_code" in errors, errors
    # No key, no data; the public export needs none and lists the vacancy.
    status, _headers, _body = https_request("GET", "/api/sportelli/v1/vacancies")
    assert status == 401, status
    status, headers, body = https_request(
        "GET", "/api/sportelli/v1/export/vacancies.json"
    )
    assert status == 200 and title in body.decode(), status
    # Every call was audited, with the visitor's address seen through nginx.
    calls = stack.query(
        "import json\n"
        "from sportelli.models import ApiCall\n"
        f"rows = ApiCall.objects.filter(path__endswith={external_id!r})\n"
        "print(json.dumps([[r.status_code, r.client_ip] for r in rows]))"
    )
    assert len(calls) == 3, calls
    assert {ip for _status, ip in calls} == {VISITOR}, calls
