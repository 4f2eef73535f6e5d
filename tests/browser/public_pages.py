"""Every public page type of the demo, in Italian and English, for the
accessibility (axe-core) and reflow browser tests.

The demo is loaded once per test (``load_demo``): the browser tests run against
pytest-django's live_server, whose database is flushed after each test, so each
module visits all its pages from one test.
"""

from dataclasses import dataclass
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page

from tests.conftest import PASSWORD

USER_EMAIL = "visitatrice@example.org"


@dataclass(frozen=True)
class PublicPage:
    name: str
    path: str
    # Logged in as a user without an administration (kit access denied, kit
    # registration form).
    logged_in: bool = False
    # Submit the page's main form empty first (a form with its errors).
    submit: str = ""
    # Follow the first checkbox of this filter (a list with a facet applied).
    facet: str = ""
    status: int = 200


def load_demo() -> None:
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Locale

    # After a transactional test has flushed the database (the whole suite runs
    # before this module), cached content-type ids are stale and the migrated
    # root page and locales may be gone: as tests.conftest.build_tree does.
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models())
    italian, _ = Locale.objects.get_or_create(language_code="it")
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=italian))
    for page in root.get_children():
        page.delete()
    # The ISTAT territories come from a data migration that a flush removed.
    from portal.taxonomy.models import Territory
    from portal.taxonomy.services import territories_load

    if not Territory.objects.exists():
        territories_load()
    call_command("load_demo", stdout=StringIO())
    _user()


def _user():
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        email=USER_EMAIL, password=PASSWORD, first_name="Eva"
    )
    EmailAddress.objects.create(
        user=user, email=USER_EMAIL, verified=True, primary=True
    )
    return user


def _first(model_label: str, language: str) -> Page | None:
    from django.apps import apps

    model = apps.get_model(model_label)
    return (
        model.objects.live()
        .public()
        .filter(locale__language_code=language)
        .order_by("path")
        .first()
    )


PAGE_MODELS = [
    ("home", "portal.HomePage"),
    ("practice list", "practices.PracticeIndexPage"),
    ("practice detail", "practices.GoodPracticePage"),
    ("programme", "projects.ProgrammePage"),
    ("project", "projects.ProjectPage"),
    ("observatory index", "observatories.ObservatoryIndexPage"),
    ("observatory", "observatories.ObservatoryPage"),
    ("publication", "observatories.PublicationPage"),
    ("monitoring objective", "monitoring.ObjectivePage"),
    ("monitoring report", "monitoring.ProgrammeReportPage"),
    ("seminar list", "seminars.SeminarIndexPage"),
    ("seminar detail", "seminars.SeminarPage"),
    ("newsletter archive", "newsletters.NewsletterIndexPage"),
    ("newsletter issue", "newsletters.NewsletterIssuePage"),
    ("kit product", "kit_downloads.KitProductPage"),
    ("kit release", "kit_downloads.KitReleasePage"),
    ("standard page", "portal.StandardPage"),
    ("accessibility statement", "legal.AccessibilityStatementPage"),
    ("contacts", "legal.ContactPage"),
    ("legal notes", "legal.LegalNotesPage"),
]


def public_pages(language: str) -> list[PublicPage]:
    """The page types to visit in ``language`` ("it" or "en"); a page type the
    demo has not translated is visited in Italian only."""
    from community.models import Group, Thread
    from kit_downloads.models import ReleaseFile
    from portal.models import HomePage, SectionPage
    from sportelli.models import Sportello, Vacancy

    pages: list[PublicPage] = []
    for name, label in PAGE_MODELS:
        page = _first(label, language)
        if page is not None:
            pages.append(PublicPage(name, page.url))
    practices = _first("practices.PracticeIndexPage", language)
    if practices is not None:
        pages.append(PublicPage("practice list, facet", practices.url, facet="topic"))
    seminars = _first("seminars.SeminarIndexPage", language)
    if seminars is not None:
        pages.append(
            PublicPage(
                "seminar month",
                seminars.url + seminars.reverse_subpage("month_route", args=(2026, 1)),
            )
        )
    home = HomePage.objects.get(locale__language_code=language)
    for section in SectionPage.objects.child_of(home).live().public():
        pages.append(PublicPage(f"section {section.slug}", section.url))

    group = Group.objects.filter(visibility="open").order_by("pk").first()
    thread = Thread.objects.filter(group=group).order_by("pk").first()
    desk = Sportello.objects.order_by("pk").first()
    vacancy = Vacancy.objects.order_by("pk").first()
    file = ReleaseFile.objects.order_by("pk").first()
    with translation.override(language):
        pages += [
            PublicPage("search results", reverse("search:search") + "?q=lavoro"),
            PublicPage("search no results", reverse("search:search") + "?q=zqxwv"),
            PublicPage("community groups", reverse("community:group_list")),
            PublicPage("community group", group.get_absolute_url()),
            PublicPage(
                "community thread",
                reverse("community:thread_detail", args=[group.slug, thread.pk]),
            ),
            PublicPage("site map", reverse("sitemap")),
            PublicPage("not found", reverse("sitemap") + "nessuna-pagina/", status=404),
            PublicPage("login", reverse("account_login")),
            PublicPage("login with errors", reverse("account_login"), submit="form"),
            PublicPage("signup", reverse("account_signup")),
            PublicPage("newsletter subscription", reverse("newsletters:subscribe")),
            PublicPage("job desks", reverse("sportelli:directory")),
            PublicPage("job desk", desk.get_absolute_url()),
            PublicPage("vacancies", reverse("sportelli:vacancies")),
            PublicPage("vacancy", vacancy.get_absolute_url()),
            PublicPage("network dashboard", reverse("sportelli:dashboard")),
            PublicPage(
                "kit access denied",
                reverse("kit_downloads:file", args=[file.pk, file.filename]),
                logged_in=True,
                status=403,
            ),
            PublicPage(
                "kit registration with errors",
                reverse("kit_downloads:register"),
                logged_in=True,
                submit="main form",
            ),
        ]
    return pages


def log_in(tab, base_url: str) -> None:
    tab.goto(base_url + reverse("account_login"))
    tab.locator("input[name=login]").fill(USER_EMAIL)
    tab.locator("input[name=password]").fill(PASSWORD)
    with tab.expect_navigation():
        tab.locator("main form button[type=submit]").first.click()


def open_page(tab, base_url: str, page: PublicPage) -> None:
    """Go to ``page`` in ``tab`` and bring it to the state to check."""
    response = tab.goto(base_url + page.path)
    assert response is not None and response.status == page.status, (
        f"{page.name} {page.path}: HTTP {response and response.status}"
    )
    if page.facet:
        value = tab.locator(f"input[name={page.facet}]").first.get_attribute("value")
        separator = "&" if "?" in page.path else "?"
        tab.goto(f"{base_url}{page.path}{separator}{page.facet}={value}")
        assert tab.locator(f"input[name={page.facet}]:checked").count() == 1
    if page.submit:
        form = tab.locator("main form[method=post]").last
        form.evaluate("f => f.setAttribute('novalidate', '')")
        with tab.expect_navigation():
            form.locator("button[type=submit], input[type=submit]").last.click()
        assert tab.locator("[aria-invalid=true]").count() > 0, (
            f"{page.name}: no field in error after an empty submit"
        )
