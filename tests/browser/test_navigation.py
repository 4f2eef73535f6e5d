import pytest

from tests.conftest import PASSWORD, build_tree

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def site(live_server, make_user):
    build_tree()
    make_user(email="operatrice@example.org", first_name="Anna")
    return live_server.url


def _follow(page, locator):
    with page.expect_navigation():
        locator.click()


def test_home_switch_language_navigate_and_log_in(page, site):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(site + "/")
    assert page.locator("html").get_attribute("lang") == "it"
    assert page.locator("h1").inner_text().strip() == "Esplora Lavoro"

    # The skip link is the first thing the keyboard reaches.
    page.keyboard.press("Tab")
    assert (
        page.evaluate("document.activeElement.getAttribute('href')") == "#main-content"
    )

    # Follow the main navigation.
    menu = page.locator("[data-testid=main-menu]")
    _follow(page, menu.get_by_role("link", name="Buone pratiche"))
    assert page.url == site + "/buone-pratiche/"
    assert page.locator("h1").inner_text().strip() == "Buone pratiche"
    assert menu.locator("a[aria-current=page]").inner_text().strip() == "Buone pratiche"

    # Switch language: the English version of the same page.
    _follow(page, page.locator("[data-testid=language-switcher] a[hreflang=en]"))
    assert page.url == site + "/en/good-practices/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().strip() == "Good practices"

    # Back to Italian, and log in.
    _follow(page, page.locator("[data-testid=language-switcher] a[hreflang=it]"))
    assert page.url == site + "/buone-pratiche/"
    _follow(page, page.get_by_role("link", name="Accedi"))
    page.get_by_label("Email").fill("operatrice@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    _follow(page, page.get_by_role("button", name="Accedi"))
    assert page.url == site + "/account/profilo/"
    assert page.locator("[data-testid=account-email]").inner_text() == (
        "operatrice@example.org"
    )
    # No Content-Security-Policy violation or missing file along the way.
    assert errors == []
