"""Moderation as deployed: an operator previews and publishes a reply, another
reports it, the group's moderator is told by email, follows the link to the
review queue and hides the post with a reason, and the author is told why by
an email whose link leads back to the discussion."""

import uuid

import pytest
from playwright.sync_api import expect

from tests.stack import journeys
from tests.stack.conftest import BASE_URL, unique_email

pytestmark = pytest.mark.stack

GROUP = "Operatori dei servizi per l'impiego"  # open (community/demo.py)
THREAD = "Programma GOL: strumenti per la profilazione"
MODERATOR = "giulia.rinaldi@cpi-demo.example"


def _join_and_open_thread(page) -> None:
    page.goto(f"{BASE_URL}/comunita/")
    with page.expect_navigation():
        page.get_by_role("link", name=GROUP).first.click()
    with page.expect_navigation():
        page.get_by_role("button", name="Iscriviti al gruppo").click()
    with page.expect_navigation():
        page.get_by_role("link", name=THREAD).click()


def test_a_reported_post_is_hidden_with_a_reason_and_its_author_told(
    page, browser, stack
):
    author_email = unique_email("autrice")
    journeys.sign_up_verified(page, stack, email=author_email)
    _join_and_open_thread(page)
    text = f"Usiamo anche un modulo cartaceo, da rivedere ({uuid.uuid4().hex[:6]})."
    journeys.field(page, "La tua risposta").fill(text)
    # The preview shows the post as it will be published, without saving it.
    page.get_by_role("button", name="Anteprima", exact=True).click()
    expect(page.get_by_test_id("composer-preview")).to_contain_text(text)
    with page.expect_navigation():
        page.get_by_role("button", name="Pubblica la risposta").click()
    expect(page.get_by_text(text)).to_be_visible()
    thread_url = page.url

    context = browser.new_context(ignore_https_errors=True, locale="it-IT")
    try:
        reporter = context.new_page()
        reporter.set_default_timeout(20_000)
        journeys.sign_up_verified(reporter, stack, email=unique_email("segnala"))
        _join_and_open_thread(reporter)
        post = reporter.locator("article").filter(has_text=text)
        seen = journeys.mail_seen(stack)
        with reporter.expect_navigation():
            post.get_by_role("link", name="Segnala").click()
        reporter.get_by_text("Spam o pubblicità").click()
        with reporter.expect_navigation():
            reporter.get_by_role("button", name="Invia la segnalazione").click()
    finally:
        context.close()

    flag_email = journeys.wait_for_new(
        stack, seen, to=MODERATOR, subject_contains=GROUP, timeout=60
    )
    assert "Spam o pubblicità" in stack.mailbox.body_text(flag_email)
    journeys.assert_site_links(stack, flag_email)
    queue_url = journeys.link_containing(stack, flag_email, "/moderazione/")

    reason = f"Contiene un'offerta commerciale ({uuid.uuid4().hex[:6]})"
    context = browser.new_context(ignore_https_errors=True, locale="it-IT")
    try:
        moderator = context.new_page()
        moderator.set_default_timeout(20_000)
        password = f"Moderatrice-{uuid.uuid4().hex[:10]}"
        journeys.reset_password(
            moderator, stack, email=MODERATOR, new_password=password
        )
        journeys.log_in(moderator, email=MODERATOR, password=password)
        moderator.goto(queue_url)
        flag = moderator.get_by_test_id("flag").filter(has_text=text)
        expect(flag).to_be_visible()
        seen = journeys.mail_seen(stack)
        flag.get_by_label("Motivo (lo legge l'autore)").fill(reason)
        with moderator.expect_navigation():
            flag.get_by_role("button", name="Nascondi il messaggio").click()
        expect(moderator.get_by_test_id("flag").filter(has_text=text)).to_have_count(0)
    finally:
        context.close()

    hidden_email = journeys.wait_for_new(
        stack, seen, to=author_email, subject_contains=THREAD, timeout=60
    )
    body = stack.mailbox.body_text(hidden_email)
    assert reason in body, body
    journeys.assert_site_links(stack, hidden_email)
    link = journeys.link_containing(
        stack, hidden_email, "/comunita/operatori-servizi-impiego/"
    )
    page.goto(link)
    assert (
        page.url.split("#")[0].split("?")[0] == thread_url.split("#")[0].split("?")[0]
    ), (page.url, thread_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(THREAD)
    assert page.console_errors == []
