import re

import pytest
from playwright.sync_api import expect

from portal.models import StandardPage
from tests.conftest import build_tree

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLES = ("Sportello lavoro di Roma", "Sportello lavoro di Bari", "Sportelli mobili")


@pytest.fixture
def site(live_server):
    """Pages whose titles start alike; publishing them indexes them once the
    transaction commits (tasks run at once in the test settings)."""
    tree = build_tree()
    for title in TITLES:
        page = StandardPage(title=title, summary="Servizi per l'impiego")
        tree.home.add_child(instance=page)
        page.save_revision().publish()
    return live_server.url


def _watch_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_header_suggestions_with_the_keyboard(page, site):
    errors = _watch_errors(page)
    page.goto(site + "/")
    box = page.get_by_role("combobox", name="Cerca nel portale")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_attribute("aria-autocomplete", "list")

    asked: list[str] = []
    page.on(
        "request",
        lambda r: asked.append(r.url) if "/cerca/suggerimenti/" in r.url else None,
    )

    # One letter asks nothing; then titles with every word, the last as a prefix.
    box.press_sequentially("s")
    page.wait_for_timeout(400)
    expect(box).to_have_attribute("aria-expanded", "false")
    assert asked == []
    box.press_sequentially("portello lav")
    listbox = page.get_by_role("listbox", name="Suggerimenti di ricerca")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(box).to_have_attribute("aria-controls", "header-search-suggestions")
    options = listbox.get_by_role("option")
    expect(options).to_have_count(2)
    expect(page.locator("#header-search-status")).to_have_text(
        "2 suggerimenti disponibili"
    )
    expect(options.first).to_contain_text("Pagina semplice")
    # Keystrokes closer than the debounce make one request, not one each.
    assert 1 <= len(asked) < len("portello lav")
    assert asked[-1].endswith("?q=sportello+lav")

    # Arrows move the active option (wrapping), the focus stays in the box.
    box.press("ArrowDown")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute(
        "aria-activedescendant", "header-search-suggestions-0"
    )
    box.press("ArrowDown")
    box.press("ArrowDown")
    expect(box).to_have_attribute(
        "aria-activedescendant", "header-search-suggestions-0"
    )
    box.press("ArrowUp")
    expect(box).to_have_attribute(
        "aria-activedescendant", "header-search-suggestions-1"
    )
    expect(options.nth(0)).to_have_attribute("aria-selected", "false")
    chosen = options.nth(1).locator("span").inner_text()
    assert page.evaluate("document.activeElement.id") == "header-search"

    # Enter opens the chosen suggestion's page.
    with page.expect_navigation():
        box.press("Enter")
    assert page.locator("h1").inner_text().strip() == chosen
    assert re.fullmatch(re.escape(site) + r"/sportello-lavoro-di-\w+/", page.url)

    # Escape closes the list and keeps the words; Enter then searches them.
    box = page.get_by_role("combobox", name="Cerca nel portale")
    box.fill("")
    box.press_sequentially("sportello")
    expect(listbox).to_be_visible()
    expect(listbox.get_by_role("option")).to_have_count(3)
    expect(page.locator("#header-search-status")).to_have_text(
        "3 suggerimenti disponibili"
    )
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("sportello")
    with page.expect_navigation():
        box.press("Enter")
    assert page.url == site + "/cerca/?q=sportello"
    expect(page.locator("#search-count")).to_have_text("3 risultati")
    for title in TITLES:
        expect(page.get_by_role("link", name=title).first).to_be_visible()

    # No Content-Security-Policy violation, script error or missing file.
    assert errors == []


def test_search_page_box_and_mouse_and_english(page, site):
    errors = _watch_errors(page)
    page.goto(site + "/cerca/")
    box = page.get_by_role("combobox", name="Parole da cercare")
    box.press_sequentially("mobil")
    listbox = page.get_by_role("listbox", name="Suggerimenti di ricerca")
    expect(listbox.get_by_role("option")).to_have_count(1)
    expect(page.locator("#search-q-status")).to_have_text("1 suggerimento disponibile")
    box.press_sequentially("zzz")
    expect(listbox).to_be_hidden()
    expect(page.locator("#search-q-status")).to_have_text("Nessun suggerimento")

    box.fill("")
    box.press_sequentially("mobil")
    with page.expect_navigation():
        listbox.get_by_role("option", name=re.compile("Sportelli mobili")).click()
    assert page.url == site + "/sportelli-mobili/"

    # The English site announces in English (no English pages: no suggestions).
    page.goto(site + "/en/search/")
    page.get_by_role("combobox", name="Words to search for").press_sequentially(
        "sportello"
    )
    expect(page.locator("#search-q-status")).to_have_text("No suggestions")
    assert errors == []
