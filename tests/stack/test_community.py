"""The community as deployed: a new member asks to join a moderated group, its
moderator approves them, they reply in a thread and the thread's author is
notified by an email whose links lead back to the site."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.stack import journeys
from tests.stack.conftest import BASE_URL, unique_email

pytestmark = pytest.mark.stack

GROUP = "Rete degli Osservatori sul mercato del lavoro"  # moderated (community/demo.py)
THREAD = "Indagini sui fabbisogni di competenze: questionari a confronto"
# The group's moderator and the thread's author; the demo gives them no
# password, so they choose one with "Password dimenticata?" as anyone would.
MODERATOR = "marco.esposito@osservatorio-demo.example"


def _open_group(page) -> None:
    page.goto(f"{BASE_URL}/comunita/")
    with page.expect_navigation():
        page.get_by_role("link", name=GROUP).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(GROUP)


def test_join_a_moderated_group_be_approved_and_reply(page, browser, stack):
    email = unique_email("community")
    journeys.sign_up_verified(page, stack, email=email)
    _open_group(page)
    seen = journeys.mail_seen(stack)
    with page.expect_navigation():
        page.get_by_role("button", name="Chiedi di iscriverti").click()
    expect(
        page.get_by_text("La tua richiesta di iscrizione attende un moderatore.")
    ).to_be_visible()

    # The group's moderator is told at once, and the email leads to the request.
    request_email = journeys.wait_for_new(
        stack, seen, to=MODERATOR, subject_contains=GROUP, timeout=60
    )
    # The moderator knows who asks: the address, for someone with no name yet.
    assert f"{email} chiede di aderire" in request_email["Subject"], request_email[
        "Subject"
    ]
    journeys.assert_site_links(stack, request_email)
    members_url = journeys.link_containing(stack, request_email, "/membri/")

    context = browser.new_context(ignore_https_errors=True, locale="it-IT")
    try:
        moderator = context.new_page()
        moderator.set_default_timeout(20_000)
        password = f"Moderatore-{uuid.uuid4().hex[:10]}"
        journeys.reset_password(
            moderator, stack, email=MODERATOR, new_password=password
        )
        journeys.log_in(moderator, email=MODERATOR, password=password)
        # The community's navigation shows the moderator what waits for them.
        moderator.goto(f"{BASE_URL}/comunita/")
        expect(moderator.get_by_test_id("header-review-count")).to_be_visible()
        moderator.goto(members_url)
        row = (
            moderator.get_by_test_id("member-list")
            .get_by_role("row")
            .filter(has_text=email)
        )
        expect(row).to_contain_text("In attesa")
        with moderator.expect_navigation():
            row.get_by_role("button", name="Approva").click()
        row = (
            moderator.get_by_test_id("member-list")
            .get_by_role("row")
            .filter(has_text=email)
        )
        expect(row).not_to_contain_text("In attesa")
    finally:
        context.close()

    _open_group(page)
    with page.expect_navigation():
        page.get_by_role("link", name=THREAD).click()
    text = f"Nel nostro ambito usiamo un questionario breve ({uuid.uuid4().hex[:6]})."
    journeys.field(page, "La tua risposta").fill(text)
    seen = journeys.mail_seen(stack)
    with page.expect_navigation():
        page.get_by_role("button", name="Pubblica la risposta").click()
    assert re.search(r"/comunita/rete-osservatori/\d+/", page.url), page.url
    expect(page.get_by_text(text)).to_be_visible()

    notice = journeys.wait_for_new(
        stack, seen, to=MODERATOR, subject_contains=THREAD, timeout=60
    )
    assert "Nuova risposta" in notice["Subject"]
    assert text in stack.mailbox.body_text(notice)
    links = journeys.assert_site_links(stack, notice)
    assert any("/comunita/" in link for link in links), links
    unsubscribe = str(notice["List-Unsubscribe"]).strip()
    assert unsubscribe.startswith(f"<{BASE_URL}/comunita/"), unsubscribe
    assert page.console_errors == []
