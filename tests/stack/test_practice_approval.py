"""A good practice as deployed: an operator proposes it on the site, an editor of
the "Revisione" group approves it in the admin with one click on "Approva e
pubblica", it is live, and the operator receives exactly one email saying so,
with links to the public site."""

import time
import uuid

import pytest
from playwright.sync_api import expect

from tests.stack import journeys
from tests.stack.conftest import BASE_URL, https_request, unique_email

pytestmark = pytest.mark.stack

EDITOR_SETUP = """
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from portal.accounts.models import User

user = User.objects.create_user(email={email!r}, password={password!r})
user.first_name = "Rita"
user.save()
user.groups.add(Group.objects.get(name="Revisione"))
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
"""
PAGE_LOOKUP = """
from portal.practices.models import GoodPracticePage

page = GoodPracticePage.objects.get(title={title!r})
print("PAGE", page.pk, page.live, page.url_path)
"""


def _propose(page, *, title: str) -> None:
    page.goto(f"{BASE_URL}/buone-pratiche/proponi/")
    form = page.locator("main form").filter(has=page.locator("[name=title]"))
    form.locator("[name=title]").fill(title)
    form.locator("[name=summary]").fill("Uno sportello nei quartieri periferici.")
    territory = form.locator("select[name=territories] option").first
    form.locator("select[name=territories]").select_option(
        territory.get_attribute("value")
    )
    form.locator("[name=year_start]").fill("2022")
    form.locator("select[name=status]").select_option("ongoing")
    form.locator("[name=description]").fill(
        "Operatori del centro per l'impiego ricevono nei quartieri.\n\n"
        "Due pomeriggi a settimana."
    )
    form.locator("select[name=evidence_level]").select_option("described")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "/proponi/" not in page.url or page.locator(".is-invalid").count() == 0


def _page_state(stack, title: str) -> tuple[int, bool, str]:
    output = stack.manage("shell", "-c", PAGE_LOOKUP.format(title=title))
    line = next(line for line in output.splitlines() if line.startswith("PAGE "))
    _marker, pk, live, url_path = line.split()
    return int(pk), live == "True", url_path


def test_propose_approve_in_the_admin_and_the_proposer_is_told_once(
    page, browser, stack
):
    operator = unique_email("proposta")
    title = f"Sportello di quartiere {uuid.uuid4().hex[:8]}"
    journeys.sign_up_verified(page, stack, email=operator)
    _propose(page, title=title)
    pk, live, _url_path = _page_state(stack, title)
    assert not live

    editor = unique_email("revisione")
    password = f"Revisione-{uuid.uuid4().hex[:10]}"
    stack.manage("shell", "-c", EDITOR_SETUP.format(email=editor, password=password))
    context = browser.new_context(ignore_https_errors=True, locale="it-IT")
    try:
        admin = context.new_page()
        admin.set_default_timeout(20_000)
        failures = []
        admin.on(
            "response",
            lambda response: (
                failures.append((response.status, response.url))
                if response.status >= 500
                else None
            ),
        )
        journeys.admin_log_in(admin, email=editor, password=password)
        admin.goto(f"{BASE_URL}/admin/pages/{pk}/edit/")
        approve = admin.get_by_role("button", name="Approva e pubblica")
        if not approve.is_visible():
            admin.locator("footer [data-w-dropdown-target='toggle']").first.click()
        with admin.expect_navigation():
            approve.click()
        expect(admin.locator(".messages")).to_contain_text(title)
        assert failures == []
    finally:
        context.close()

    _pk, live, url_path = _page_state(stack, title)
    assert live
    message = stack.mailbox.wait_for(
        to=operator, subject_contains="pubblicata", timeout=60
    )
    links = journeys.assert_site_links(stack, message)
    public = [link for link in links if "/buone-pratiche/" in link]
    assert public, links
    status, _headers, body = https_request("GET", journeys.path_of(public[0]))
    assert status == 200
    assert title in body.decode()

    # Exactly one: nothing else about this practice reaches the operator.
    time.sleep(3)
    published = [
        other
        for other in stack.mailbox.messages()
        if operator in stack.mailbox.recipients(other)
        and "pubblicata" in str(other.get("Subject", ""))
    ]
    assert len(published) == 1, [str(m.get("Subject")) for m in published]
