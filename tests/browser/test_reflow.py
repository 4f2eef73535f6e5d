"""No page scrolls sideways on a phone (390 px) or at 200 % zoom, and list
pages show their results before their filters on small screens.

200 % zoom is emulated as Chromium renders it: a 1280 px wide window zoomed to
200 % lays pages out in 640 CSS px at a device scale factor of 2, so the
viewport is 640 x 400 CSS px with device_scale_factor=2 (WCAG 1.4.10 reflow).
"""

import pytest

from tests.browser.public_pages import load_demo, log_in, open_page, public_pages

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VIEWPORTS = {
    "390 px": {"viewport": {"width": 390, "height": 844}},
    "200 % zoom": {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2},
}
# Page name -> selector of the first result, for the pages with filters.
FILTERED_LISTS = {
    "practice list": "[data-testid=practice-count]",
    "seminar list": "[data-testid=upcoming]",
    "search results": "#search-count",
    "vacancies": "[data-testid=results-count]",
}
SCROLL = "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"


def _filters_fold(tab, page, results: str) -> list[str]:
    """On a small screen the filters are folded under their summary, after
    which come the results; the summary opens them from the keyboard."""
    problems = []
    panel = tab.locator("details[data-filters-panel]")
    if panel.count() != 1:
        return [f"{page.name}: no folding filter panel"]
    if panel.get_attribute("open") is not None:
        problems.append(f"{page.name}: the filters are open on a small screen")
    if tab.locator(results).bounding_box()["y"] > 844:
        problems.append(f"{page.name}: the results start below the first screen")
    panel.locator("summary").focus()
    tab.keyboard.press("Enter")
    if not panel.locator("form button[type=submit]").is_visible():
        problems.append(f"{page.name}: Enter on the summary does not open the filters")
    return problems


def test_no_sideways_scroll_on_small_screens(browser, live_server):
    load_demo()
    overflowing, problems, checked = {}, [], 0
    for language in ("it", "en"):
        pages = public_pages(language)
        for viewport, options in VIEWPORTS.items():
            anonymous = browser.new_context(locale="it-IT", **options)
            member = browser.new_context(locale="it-IT", **options)
            tabs = {False: anonymous.new_page(), True: member.new_page()}
            log_in(tabs[True], live_server.url)
            try:
                for page in pages:
                    tab = tabs[page.logged_in]
                    open_page(tab, live_server.url, page)
                    scroll_width, client_width = tab.evaluate(SCROLL)
                    if scroll_width > client_width:
                        overflowing[(language, viewport, page.name)] = (
                            f"[{language}, {viewport}] {page.name} {tab.url}: "
                            f"{scroll_width} px wide in {client_width} px"
                        )
                    if viewport == "390 px" and page.name in FILTERED_LISTS:
                        problems += _filters_fold(tab, page, FILTERED_LISTS[page.name])
                    checked += 1
            finally:
                anonymous.close()
                member.close()
    print(f"checked {checked} pages")
    problems = [*overflowing.values(), *problems]
    assert not problems, "\n" + "\n".join(problems)
