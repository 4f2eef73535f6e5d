"""The main menu on a 390 px phone, driven by the keyboard (static/js/navbar.js)."""

import pytest

from tests.conftest import build_tree

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TOGGLER = "[data-bs-toggle=navbarcollapsible]"
ACTIVE_TESTID = (
    "document.activeElement.closest('#main-menu') ? 'menu' : "
    "document.activeElement.matches('[data-bs-toggle=navbarcollapsible]') ? "
    "'toggler' : document.activeElement.tagName"
)


@pytest.fixture
def site(live_server):
    build_tree()
    return live_server.url


def _tab_to_toggler(page):
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate(ACTIVE_TESTID) == "toggler":
            return
    raise AssertionError("the menu toggler is not reachable with Tab")


def test_mobile_menu_with_the_keyboard(page, site):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site + "/")
    # The page loads the small script, not Bootstrap Italia's bundle.
    assert any(url.endswith("/js/navbar.js") for url in requests)
    assert not any("bootstrap-italia.bundle" in url for url in requests)

    toggler = page.locator(TOGGLER)
    menu = page.locator("#main-menu")
    links = page.locator("[data-testid=main-menu] a")
    assert toggler.is_visible()
    assert toggler.get_attribute("aria-expanded") == "false"
    assert not links.first.is_visible()

    # Open with Enter: expanded, a modal dialog, focus on the close button.
    _tab_to_toggler(page)
    page.keyboard.press("Enter")
    assert toggler.get_attribute("aria-expanded") == "true"
    assert menu.get_attribute("role") == "dialog"
    assert menu.get_attribute("aria-modal") == "true"
    assert menu.get_attribute("aria-label")
    # (Functions, not expressions: the CSP forbids the eval Playwright would use.)
    page.wait_for_function(
        "() => document.querySelector('#main-menu .menu-wrapper')"
        ".getBoundingClientRect().left >= 0"
    )
    assert links.first.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('close-menu')")
    # The rest of the page is out of reach while the menu is open.
    assert page.evaluate("document.querySelector('main').inert") is True

    # Tab walks the menu and wraps around inside it, both ways.
    count = links.count() + 1  # the close button and each link
    for _ in range(count * 2 + 1):
        page.keyboard.press("Tab")
        assert page.evaluate(ACTIVE_TESTID) == "menu"
    for _ in range(count + 1):
        page.keyboard.press("Shift+Tab")
        assert page.evaluate(ACTIVE_TESTID) == "menu"

    # Escape closes it and gives focus back to the toggler.
    page.keyboard.press("Escape")
    assert toggler.get_attribute("aria-expanded") == "false"
    assert page.evaluate(ACTIVE_TESTID) == "toggler"
    assert menu.get_attribute("role") is None
    assert page.evaluate("document.querySelector('main').inert") is False
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('#main-menu')).display "
        "=== 'none'"
    )

    # Space opens it again; the close button closes it.
    page.keyboard.press(" ")
    assert toggler.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Enter")  # focus is on the close button
    assert toggler.get_attribute("aria-expanded") == "false"
    assert page.evaluate(ACTIVE_TESTID) == "toggler"

    # A click on the backdrop beside the menu closes it.
    toggler.click()
    assert toggler.get_attribute("aria-expanded") == "true"
    page.wait_for_timeout(400)  # the backdrop fades in
    page.mouse.click(385, 600)
    assert toggler.get_attribute("aria-expanded") == "false"

    # Following a link from the open menu navigates.
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == site + "/buone-pratiche/"
    assert errors == []


def test_wide_screen_shows_the_menu_inline(page, site):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site + "/")
    assert not page.locator(TOGGLER).is_visible()
    assert page.locator("[data-testid=main-menu] a").first.is_visible()
    assert page.locator("#main-menu").get_attribute("role") is None
