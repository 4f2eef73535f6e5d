"""Load the portal's Italian demo content (idempotent: run it as often as you like).

The portal's own pages are made here; each app with demo content of its own has a
``demo.py`` with ``load(*, home, stdout)``, listed in APP_DEMOS and run after them.
"""

import os
from importlib import import_module

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.html import escape
from wagtail.models import Locale, Page, Site

from portal.accounts import services as account_services
from portal.demo import content
from portal.models import HomePage, PortalSettings, SectionPage, StandardPage
from portal.services import page_translate, site_sync

ADMIN_EMAIL = "admin@esploralavoro.example"
# Sections whose index is a page type of its own (with an ``intro`` field); the
# others are SectionPages.
SECTION_MODELS = {
    "buone-pratiche": "practices.PracticeIndexPage",
    "osservatori": "observatories.ObservatoryIndexPage",
    "seminari": "seminars.SeminarIndexPage",
    "newsletter": "newsletters.NewsletterIndexPage",
}


def _section_model(slug: str):
    label = SECTION_MODELS.get(slug)
    if label is None:
        return SectionPage
    try:
        return apps.get_model(label)
    except LookupError:
        return SectionPage


APP_DEMOS = [
    "portal.demo.legal",
    "portal.taxonomy.demo",
    "portal.practices.demo",
    "portal.projects.demo",
    "portal.observatories.demo",
    "portal.monitoring.demo",
    "portal.seminars.demo",
    "portal.newsletters.demo",
    "community.demo",
    "kit_downloads.demo",
    "sportelli.demo",
    # Last: the home's highlighted items point at the pages made above.
    "portal.demo.home",
]


def _paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{escape(text)}</p>" for text in texts)


def _body(texts: list[str]) -> list[tuple[str, str]]:
    return [("paragraph", f"<p>{escape(text)}</p>") for text in texts]


class Command(BaseCommand):
    help = "Create the demo pages, translations, organisations and admin account."

    def handle(self, *args, **options):
        with transaction.atomic():
            italian, _ = Locale.objects.get_or_create(language_code="it")
            Locale.objects.get_or_create(language_code="en")
            home = self._home(italian)
            sections = [self._section(home, *spec[:4]) for spec in content.SECTIONS]
            standard = [
                self._standard(home, *spec[:4]) for spec in content.STANDARD_PAGES
            ]
            self._settings(home, standard)
            self._translate(home, sections, standard)
            admin_password = self._admin()
        for module_name in APP_DEMOS:
            try:
                module = import_module(module_name)
            except ModuleNotFoundError as error:
                if error.name != module_name:
                    raise
                continue
            module.load(home=home, stdout=self.stdout)
        # Searchable at once, without waiting for the task worker.
        from search.services import index_rebuild

        index_rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: {Page.objects.filter(depth__gt=1).count()} pages."
            )
        )
        self.stdout.write(f"Admin login (at /admin/): {ADMIN_EMAIL} / {admin_password}")

    def _home(self, italian: Locale) -> HomePage:
        home = HomePage.objects.filter(locale=italian).first()
        fields = content.HOME
        if home is None:
            root = Page.get_first_root_node()
            # Wagtail's installation leaves a placeholder "Welcome" page: replace it.
            for page in root.get_children().filter(locale=italian):
                if type(page.specific) is Page:
                    page.delete()
            home = HomePage(
                title=fields["title"][0],
                hero_title=fields["hero_title"][0],
                summary=fields["summary"][0],
                intro=_paragraphs(fields["intro"][0]),
                slug="home",
                locale=italian,
            )
            root.add_child(instance=home)
            home.save_revision().publish()
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"site_name": "Esplora Lavoro", "root_page": home},
        )
        # The Site's address is PORTAL_BASE_URL's, never a demo value.
        site_sync()
        return home

    def _child(self, parent: Page, model, slug: str, **fields) -> Page:
        existing = parent.get_children().filter(slug=slug).first()
        if existing is not None:
            return existing.specific
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page

    def _section(self, home, slug, title, summary, intro) -> SectionPage:
        return self._child(
            home,
            _section_model(slug),
            slug,
            title=title,
            summary=summary,
            intro=_paragraphs([intro]),
            show_in_menus=True,
        )

    def _standard(self, home, slug, title, summary, paragraphs) -> StandardPage:
        return self._child(
            home,
            StandardPage,
            slug,
            title=title,
            summary=summary,
            body=_body(paragraphs),
        )

    def _settings(self, home, standard) -> None:
        site = Site.objects.get(root_page=home)
        portal_settings = PortalSettings.for_site(site)
        # The accessibility statement is set by portal.demo.legal.
        portal_settings.privacy_page = standard[0]
        portal_settings.save()

    def _translate(self, home, sections, standard) -> None:
        """English versions through wagtail-localize, made once."""
        if home.get_translations().filter(locale__language_code="en").exists():
            return
        strings = {}
        for italian_value, english_value in content.HOME.values():
            if isinstance(italian_value, list):
                strings.update(zip(italian_value, english_value, strict=True))
            else:
                strings[italian_value] = english_value
        page_translate(page=home, language_code="en", strings=strings)
        for page, spec in zip(sections, content.SECTIONS, strict=True):
            slug, title, summary, intro, en_title, en_summary, en_intro = spec
            page_translate(
                page=page,
                language_code="en",
                strings={title: en_title, summary: en_summary, intro: en_intro},
            )
        for page, spec in zip(standard, content.STANDARD_PAGES, strict=True):
            slug, title, summary, paragraphs, en_title, en_summary, en_paragraphs = spec
            strings = {title: en_title, summary: en_summary}
            strings.update(zip(paragraphs, en_paragraphs, strict=True))
            page_translate(page=page, language_code="en", strings=strings)

    def _admin(self) -> str:
        password = os.environ.get("DEMO_ADMIN_PASSWORD", "esplora-demo-2026")
        User = get_user_model()
        admin = User.objects.filter(email=ADMIN_EMAIL).first()
        if admin is None:
            admin = User.objects.create_superuser(
                email=ADMIN_EMAIL,
                password=password,
                first_name="Redazione",
                last_name="Esplora Lavoro",
            )
        EmailAddress.objects.update_or_create(
            user=admin, email=ADMIN_EMAIL, defaults={"verified": True, "primary": True}
        )
        for spec in content.ORGANISATIONS:
            organisation, _ = account_services.organisation_get_or_create(**spec)
            if organisation.name == "FormezPA":
                account_services.membership_set(
                    organisation=organisation, user=admin, role="referente"
                )
        return password
