from dataclasses import dataclass

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache, caches
from wagtail.models import Locale, Page, Site

from portal.models import HomePage, PortalSettings, SectionPage, StandardPage
from portal.services import page_translate

PASSWORD = "a-long-test-password-42"


@pytest.fixture
def commit_hooks(monkeypatch):
    """Run ``transaction.on_commit`` callbacks when production would.

    A test runs inside a transaction that is rolled back, so Django never runs
    commit callbacks (queued emails, tasks). With this fixture the test's own
    transaction is ignored: a callback runs at once outside any atomic block of
    the code under test, or when the outermost such block exits without an
    error; a block that rolls back drops its callbacks, as Django does.
    """
    from django.db import transaction
    from django.db.backends.base.base import BaseDatabaseWrapper

    def only_test_blocks(connection) -> bool:
        return all(block._from_testcase for block in connection.atomic_blocks)

    original_on_commit = BaseDatabaseWrapper.on_commit
    original_exit = transaction.Atomic.__exit__

    def on_commit(self, func, robust=False):
        if self.in_atomic_block and only_test_blocks(self):
            func()
        else:
            original_on_commit(self, func, robust)

    def exit_(self, exc_type, exc_value, traceback):
        result = original_exit(self, exc_type, exc_value, traceback)
        connection = transaction.get_connection(self.using)
        if (
            not self._from_testcase
            and connection.in_atomic_block
            and only_test_blocks(connection)
        ):
            pending, connection.run_on_commit = connection.run_on_commit, []
            for _, func, _ in pending:
                func()
        return result

    monkeypatch.setattr(BaseDatabaseWrapper, "on_commit", on_commit)
    monkeypatch.setattr(transaction.Atomic, "__exit__", exit_)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    caches["pages"].clear()
    yield
    cache.clear()
    caches["pages"].clear()


@dataclass
class Tree:
    home: HomePage
    home_en: Page
    section: SectionPage
    section_en: Page
    untranslated: SectionPage
    accessibility: StandardPage
    privacy: StandardPage


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def build_tree() -> Tree:
    """A small Italian page tree with English translations of some pages."""
    from django.contrib.contenttypes.models import ContentType

    # After a transactional test has flushed the database, cached content-type
    # ids may be stale.
    ContentType.objects.clear_cache()
    # Fill the cache again now: a later serialized rollback builds Wagtail objects
    # whose __init__ looks up content types, and a miss there would insert a row
    # that clashes with the restored one.
    from django.apps import apps

    ContentType.objects.get_for_models(*apps.get_models())
    italian, _ = Locale.objects.get_or_create(language_code="it")
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    if root is None:
        # A transactional test before this one flushed the migrated root page.
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=italian))
    for page in root.get_children():
        page.delete()
    home = _publish(
        root,
        HomePage(
            title="Esplora Lavoro", slug="home", locale=italian, summary="Portale"
        ),
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home},
    )
    section = _publish(
        home,
        SectionPage(
            title="Buone pratiche",
            slug="buone-pratiche",
            summary="Esperienze dei servizi per l'impiego",
            show_in_menus=True,
        ),
    )
    untranslated = _publish(
        home, SectionPage(title="Progetti", slug="progetti", show_in_menus=True)
    )
    accessibility = _publish(
        home,
        StandardPage(title="Dichiarazione di accessibilità", slug="accessibilita"),
    )
    privacy = _publish(home, StandardPage(title="Privacy", slug="privacy"))
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    settings.accessibility_page = accessibility
    settings.privacy_page = privacy
    settings.save()
    home_en = page_translate(
        page=home,
        language_code="en",
        strings={"Esplora Lavoro": "Esplora Lavoro", "Portale": "Portal"},
    )
    section_en = page_translate(
        page=section,
        language_code="en",
        strings={
            "Buone pratiche": "Good practices",
            "Esperienze dei servizi per l'impiego": "Employment-service experiences",
        },
    )
    return Tree(
        home=home,
        home_en=home_en,
        section=section,
        section_en=section_en,
        untranslated=untranslated,
        accessibility=accessibility,
        privacy=privacy,
    )


def existing_tree() -> Tree | None:
    """The tree that ``build_tree`` made, if it is still whole in the database."""
    home = HomePage.objects.filter(slug="home", locale__language_code="it").first()
    if home is None or not Site.objects.filter(root_page=home).exists():
        return None
    children = {page.slug: page.specific for page in home.get_children()}
    home_en = home.get_translations().filter(locale__language_code="en").first()
    section = children.get("buone-pratiche")
    section_en = (
        section.get_translations().filter(locale__language_code="en").first()
        if section
        else None
    )
    pages = [children.get(slug) for slug in ("progetti", "accessibilita", "privacy")]
    if None in (home_en, section, section_en, *pages) or len(children) != 4:
        return None
    return Tree(
        home=home,
        home_en=home_en,
        section=section,
        section_en=section_en.specific,
        untranslated=pages[0],
        accessibility=pages[1],
        privacy=pages[2],
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Build the shared page tree once for the session: every test runs in a
    transaction that is rolled back, so each starts from this tree."""
    from django.db import connection

    with django_db_blocker.unblock():
        build_tree()
        # Transactional tests with serialized_rollback put back what was
        # serialized when the database was created; make that include the tree,
        # so the rows they restore match the ones already there.
        if hasattr(connection, "_test_serialized_contents"):
            connection._test_serialized_contents = (
                connection.creation.serialize_db_to_string()
            )


@pytest.fixture
def tree(db) -> Tree:
    # A transactional test before this one flushes the database: build again.
    return existing_tree() or build_tree()


@pytest.fixture
def make_user(db):
    from django.contrib.auth import get_user_model

    def make(email="operatrice@example.org", verified=True, **fields):
        user = get_user_model().objects.create_user(
            email=email, password=PASSWORD, **fields
        )
        EmailAddress.objects.create(
            user=user, email=email, verified=verified, primary=True
        )
        return user

    return make


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the PostgreSQL concurrency tests last.

    They need real transactions, and the flush that ends a transactional test
    empties the migrated data (root page, locales, territories) that later tests
    rely on; at the end of the session they harm nobody.
    """
    last = [item for item in items if item.get_closest_marker("concurrency")]
    if last:
        items[:] = [item for item in items if item not in last] + last
