"""Wagtail's page and snippet forms refused in a real browser: the error summary
of static/js/admin-form-errors.js lists the invalid fields, takes the focus,
puts "Error: " in the title, and its links open the field's tab and focus it."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from community.models import Group
from tests.conftest import build_tree, existing_tree

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SUMMARY = "[data-admin-form-errors]"


@pytest.fixture
def admin_page(page, live_server, make_user):
    """The browser tab, logged in to the admin as a superuser (Italian)."""
    admin = make_user("admin@example.org", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(admin)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


def _error_prefix() -> str:
    with translation.override("it"):
        return translation.gettext("Error: ")


def _save(page) -> None:
    with page.expect_navigation():
        page.locator("form[data-edit-form] footer button[type=submit]").first.click()
    page.wait_for_load_state("load")


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement.id")


def test_a_page_saved_without_title_and_slug(admin_page, live_server):
    page = admin_page
    tree = existing_tree() or build_tree()
    page.goto(f"{live_server.url}/admin/pages/{tree.privacy.pk}/edit/")
    title = page.title()
    page.locator("#id_title").fill("")
    # The slug sits in the "Promote" tab, hidden when the form comes back.
    page.locator("#id_slug").evaluate("input => { input.value = '' }")
    _save(page)

    summary = page.locator(SUMMARY)
    summary.wait_for()
    assert summary.get_attribute("role") == "group"
    assert summary.get_attribute("aria-labelledby")
    page.wait_for_function(
        "document.activeElement.hasAttribute('data-admin-form-errors')"
    )
    assert page.title() == _error_prefix() + title
    links = summary.locator("a")
    assert links.count() == 2
    assert links.nth(0).inner_text().startswith("Titolo: ")
    assert links.nth(0).get_attribute("href") == "#id_title"
    assert links.nth(1).inner_text().startswith("Identificativo: ")
    assert links.nth(1).get_attribute("href") == "#id_slug"

    links.nth(0).click()
    page.wait_for_function("document.activeElement.id === 'id_title'")

    assert not page.locator("#id_slug").is_visible()
    links.nth(1).focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.id === 'id_slug'")
    assert page.locator("#id_slug").is_visible()
    assert page.locator("#tab-label-promuovi").get_attribute("aria-selected") == (
        "true"
    )
    assert page.errors == []


def test_a_block_error_after_publish_in_a_collapsed_panel(admin_page, live_server):
    page = admin_page
    tree = existing_tree() or build_tree()
    privacy = tree.privacy.specific
    # Drafts may leave a block's required field empty, publishing may not.
    privacy.body = [("heading", {"text": "", "level": "h2"})]
    privacy.save_revision()
    page.goto(f"{live_server.url}/admin/pages/{privacy.pk}/edit/")
    page.locator("form[data-edit-form] footer [data-w-dropdown-target=toggle]").click()
    with page.expect_navigation():
        page.locator("button[name=action-publish]").click()
    page.wait_for_load_state("load")

    summary = page.locator(SUMMARY)
    summary.wait_for()
    link = summary.locator("a")
    assert link.count() == 1
    assert link.inner_text().startswith("testo: ")
    target = link.get_attribute("href")[1:]
    # Wagtail's autosave saves the draft after the refused publish and writes
    # the title again; the prefix stays while the errors are shown.
    page.wait_for_timeout(1500)
    assert page.title().startswith(_error_prefix())

    body = page.locator("[data-panel-toggle][aria-controls$='-body-content']")
    body.click()
    assert body.get_attribute("aria-expanded") == "false"
    assert not page.locator(f"#{target}").is_visible()
    link.click()
    page.wait_for_function(f"document.activeElement.id === '{target}'")
    assert body.get_attribute("aria-expanded") == "true"
    assert page.errors == []


def test_a_page_saved_without_errors_is_left_alone(admin_page, live_server):
    page = admin_page
    tree = existing_tree() or build_tree()
    page.goto(f"{live_server.url}/admin/pages/{tree.privacy.pk}/edit/")
    page.locator("#id_title").fill("Privacy e cookie")
    _save(page)

    assert page.locator(".messages li.success").count() == 1
    assert page.locator(SUMMARY).count() == 0
    assert not page.title().startswith(_error_prefix())
    assert _focused_id(page) != "admin-form-errors"
    assert page.errors == []


def test_a_snippet_created_empty(admin_page, live_server):
    page = admin_page
    page.goto(f"{live_server.url}/admin/snippets/community/group/add/")
    _save(page)

    summary = page.locator(SUMMARY)
    summary.wait_for()
    page.wait_for_function(
        "document.activeElement.hasAttribute('data-admin-form-errors')"
    )
    assert page.title().startswith(_error_prefix())
    hrefs = [
        summary.locator("a").nth(i).get_attribute("href")
        for i in range(summary.locator("a").count())
    ]
    assert "#id_name" in hrefs
    summary.locator("a[href='#id_name']").click()
    page.wait_for_function("document.activeElement.id === 'id_name'")
    assert not Group.objects.exists()
    assert page.errors == []
