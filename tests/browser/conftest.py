import os
import shutil

import pytest

from tests.chromium import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="session")
def browser():
    """A real headless chromium, driven by Playwright.

    Required in CI; elsewhere the browser tests skip, saying why, when Debian's
    chromium is not installed (`apt-get install -y chromium`).
    """
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        if os.environ.get("CI"):
            pytest.fail(f"chromium is required in CI but {CHROMIUM} does not exist")
        pytest.skip(
            f"chromium not installed at {CHROMIUM}: apt-get install -y chromium"
        )
    # Playwright's sync API runs an event loop in this thread; the Django ORM calls
    # made by the test itself are still synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
        )
        yield instance
        instance.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="it-IT")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()
