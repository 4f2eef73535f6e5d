"""The error summary in a real browser: a form sent empty puts the focus on the
summary, and its links move to their fields (the rest of the summary's rules are
in tests/portal/test_form_error_summary.py)."""

import pytest
from django.urls import reverse
from django.utils import translation

from portal.accounts.models import Organisation


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_kit_registration_sent_empty_focuses_the_summary(
    live_server,
    page,  # noqa: F811
    make_user,
    settings,
):
    from django.test import Client

    from tests.conftest import build_tree, existing_tree

    existing_tree() or build_tree()
    client = Client()
    client.force_login(make_user(email="anna@comune.bari.it"))
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    with translation.override("en"):
        url = live_server.url + reverse("kit_downloads:register")
    page.goto(url)
    assert page.evaluate("document.activeElement === document.body")
    with page.expect_navigation():
        page.get_by_role("button", name="Register").click()

    summary = page.locator("[data-form-errors-summary]")
    assert summary.count() == 1
    assert page.evaluate(
        "document.activeElement.hasAttribute('data-form-errors-summary')"
    )
    assert page.title().startswith("Error: Register your administration")
    heading = summary.locator("h2").inner_text()
    links = summary.locator("a").count()
    assert links >= 5
    assert heading == f"There are {links} problems"
    # Each link takes the keyboard to its field.
    first = summary.locator("a").first
    target = first.get_attribute("href")[1:]
    first.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == target
    assert errors == []
    assert not Organisation.objects.exists()
