"""The newsletter as deployed: subscribe and confirm from the email, an editor
publishes an issue and sends it from the admin, the RQ worker delivers it, and
the mail client's one-click unsubscribe (RFC 8058) works without a session."""

import re
import uuid
from http import HTTPStatus

import pytest
from playwright.sync_api import expect

from tests.stack import journeys
from tests.stack.conftest import BASE_URL, https_request, unique_email

pytestmark = pytest.mark.stack


def _subscribe(page, stack, *, email: str, name: str) -> None:
    page.goto(f"{BASE_URL}/newsletter/iscrizione/")
    form = page.get_by_test_id("subscribe-form")
    journeys.field(form, "Email").fill(email)
    journeys.field(form, "Nome").fill(name)
    journeys.field(form, "Lingua della newsletter").select_option("it")
    form.locator("label", has_text="Voglio ricevere la newsletter").click()
    with page.expect_navigation():
        form.get_by_role("button", name="Iscriviti").click()
    expect(page.locator("h1")).to_have_text("Controlla la tua casella di posta")

    message = stack.mailbox.wait_for(to=email)
    journeys.assert_site_links(stack, message)
    link = journeys.link_containing(stack, message, "/conferma/")
    assert link.startswith(f"{BASE_URL}/newsletter/iscrizione/conferma/"), link
    page.goto(link)
    with page.expect_navigation():
        page.get_by_role("button", name="Conferma l'iscrizione").click()
    expect(page.get_by_test_id("confirm-done")).to_be_visible()


def _label(text: str) -> re.Pattern:
    """A field's accessible name in Wagtail's admin ("Titolo*" when required)."""
    return re.compile(rf"^{re.escape(text)}\*?$")


def _publish_and_send_issue(browser, *, title: str) -> None:
    """An editor adds an issue under the newsletter archive, publishes it and
    sends it to the subscribers, all in the Wagtail admin."""
    context = browser.new_context(ignore_https_errors=True, locale="it-IT")
    try:
        admin = context.new_page()
        admin.set_default_timeout(20_000)
        journeys.admin_log_in(admin)
        # Find the archive through the admin search, by its demo issue.
        admin.goto(f"{BASE_URL}/admin/pages/search/?q=Lavoro+Informa")
        row = admin.get_by_role("row").filter(has_text="Lavoro Informa n. 1").first
        with admin.expect_navigation():
            row.get_by_role("link", name="Newsletter", exact=True).click()
        with admin.expect_navigation():
            admin.get_by_role("link", name="Aggiungi pagina figlio").first.click()
        admin.get_by_role("textbox", name=_label("Titolo")).fill(title)
        admin.get_by_role("textbox", name=_label("Data del numero")).fill("2026-12-01")
        admin.get_by_role("spinbutton", name=_label("Numero")).fill("99")
        admin.get_by_role("button", name="Altre azioni").click()
        with admin.expect_navigation():
            admin.get_by_role("button", name="Pubblica").click()
        expect(admin.get_by_text(re.compile(r"creata e pubblicata"))).to_be_visible()

        row = admin.get_by_role("row").filter(has_text=title)
        more = re.compile(r"^(Più opzioni|More options) per")
        row.get_by_role("button", name=more).click()
        with admin.expect_navigation():
            row.get_by_role("link", name="Invia agli iscritti").click()
        with admin.expect_navigation():
            admin.get_by_role("button", name="Invia ora").click()
        expect(admin.get_by_text(re.compile("Invio avviato"))).to_be_visible()
    finally:
        context.close()


def _subscriber_status(stack, *, email: str) -> dict:
    code = (
        "import json; from portal.newsletters.models import Subscriber; "
        f"s = Subscriber.objects.get(email={email!r}); "
        "print(json.dumps({'status': s.status, 'events': list("
        "s.consent_events.order_by('pk').values_list('action', 'source'))}))"
    )
    return stack.query(code)


def test_subscribe_confirm_receive_an_issue_and_unsubscribe_in_one_click(
    page, browser, stack
):
    email = unique_email("newsletter")
    _subscribe(page, stack, email=email, name="Lucia Conti")
    assert _subscriber_status(stack, email=email)["status"] == "active"

    title = f"Lavoro Informa – numero di prova {uuid.uuid4().hex[:8]}"
    _publish_and_send_issue(browser, title=title)
    issue = stack.mailbox.wait_for(to=email, subject_contains=title, timeout=60)
    journeys.assert_site_links(stack, issue)
    unsubscribe = issue["List-Unsubscribe"]
    assert issue["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    match = re.fullmatch(r"<(https://[^>]+)>", str(unsubscribe).strip())
    assert match, unsubscribe
    url = match.group(1)
    assert url.startswith(f"{BASE_URL}/newsletter/iscrizione/cancella/"), url

    # What a mail client does: a POST with exactly this body, no cookie, no token.
    status, _headers, body = https_request(
        "POST",
        journeys.path_of(url),
        source_ip="127.0.0.9",
        data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == HTTPStatus.OK, (status, body[:500])
    facts = _subscriber_status(stack, email=email)
    assert facts["status"] == "unsubscribed"
    assert facts["events"][-1][0] == "unsubscribed"
    assert "one-click" in facts["events"][-1][1] or "un clic" in facts["events"][-1][1]
    # The page behind the same link says so.
    page.goto(url)
    expect(page.get_by_test_id("unsubscribed")).to_be_visible()
    assert page.console_errors == []
