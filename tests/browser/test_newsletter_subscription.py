"""A visitor subscribes from the archive page, confirms from the email, then
unsubscribes and subscribes again, in a real browser."""

import re

import pytest
from django.core import mail

from portal.newsletters.models import Subscriber
from tests.conftest import build_tree
from tests.newsletters.factories import make_archive

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def archive_url(live_server):
    tree = build_tree()
    archive = make_archive(tree.home)
    return live_server.url + archive.url, live_server.url


def _follow(page, locator):
    with page.expect_navigation():
        locator.click()


def test_subscribe_confirm_unsubscribe_and_back(page, archive_url):
    url, site = archive_url
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url)
    form = page.locator("[data-testid=subscribe-form]")
    form.get_by_label("Email").fill("anna.rossi@example.org")
    form.get_by_label("Nome").fill("Anna Rossi")
    form.get_by_label("Lingua della newsletter").select_option("it")
    # Submitting without consent keeps the visitor on the form with a message.
    _follow(page, form.get_by_role("button", name="Iscriviti"))
    assert "Spunta la casella per iscriverti" in page.content()
    assert page.get_by_label("Email").input_value() == "anna.rossi@example.org"
    consent = page.get_by_label(re.compile("Voglio ricevere la newsletter"))
    consent.focus()
    page.keyboard.press("Space")  # reachable and operable by keyboard
    _follow(page, page.get_by_role("button", name="Iscriviti"))
    assert (
        page.locator("h1").inner_text().strip() == "Controlla la tua casella di posta"
    )

    (message,) = mail.outbox
    link = re.search(r"https?://[^/\s]+(/\S+/conferma/\S+/)", message.body).group(1)
    page.goto(site + link)
    _follow(page, page.get_by_role("button", name="Conferma l'iscrizione"))
    assert page.locator("[data-testid=confirm-done]").is_visible()
    subscriber = Subscriber.objects.get(email="anna.rossi@example.org")
    assert subscriber.status == Subscriber.Status.ACTIVE

    page.goto(f"{site}/newsletter/iscrizione/cancella/{subscriber.key}/")
    _follow(page, page.get_by_role("button", name="Cancella l’iscrizione"))
    assert page.locator("[data-testid=unsubscribed]").is_visible()
    _follow(page, page.get_by_role("button", name="Iscriviti di nuovo"))
    assert page.locator("[data-testid=resubscribed]").is_visible()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE
    # The one 400 is the form sent without consent; nothing else failed.
    assert [e for e in errors if "status of 400" not in e] == []
