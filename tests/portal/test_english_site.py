"""The English site after ``load_demo``: translated sections and pages, terms in
English, a language switch that says where it leads, sitemap alternates,
robots.txt, OpenGraph, and no Italian interface text on English pages."""

import re
from collections import deque
from http import HTTPStatus
from io import StringIO
from pathlib import Path

import polib
import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Page

from portal.services import site_url

BASE_DIR = Path(settings.BASE_DIR)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def _italian_home():
    from portal.models import HomePage

    return HomePage.objects.get(locale__language_code="it")


def _english(page):
    return page.get_translations().filter(locale__language_code="en").first()


def _source_strings(page) -> list[str]:
    from wagtail_localize.models import StringSegment, TranslationSource

    source, _created = TranslationSource.get_or_create_from_instance(page)
    segments = StringSegment.objects.filter(source=source).select_related("string")
    return [segment.string.data for segment in segments]


def test_every_section_index_has_an_english_page_with_content(client):
    sections = _italian_home().get_children().live().filter(show_in_menus=True)
    assert sections.count() >= 8
    for section in sections:
        english = _english(section)
        assert english is not None and english.live, section.title
        response = client.get(english.url)
        assert response.status_code == HTTPStatus.OK, english.url
        html = response.content.decode()
        assert '<html lang="en"' in html
        italian_children = section.get_children().live().count()
        if italian_children:
            # The English index lists English pages under it, not "none".
            children = english.get_children().live()
            assert children.exists(), english.url
            assert any(child.url in html for child in children), english.url


@pytest.mark.parametrize(
    ("label", "at_least"),
    [
        ("practices.GoodPracticePage", 2),
        ("projects.ProjectPage", 2),
        ("observatories.ObservatoryPage", 2),
        ("observatories.PublicationPage", 2),
        ("seminars.SeminarPage", 2),
        ("kit_downloads.KitReleasePage", 2),
        ("kit_downloads.KitProductPage", 1),
        ("newsletters.NewsletterIssuePage", 2),
        ("monitoring.ObjectivePage", 1),
    ],
)
def test_content_types_have_english_pages_with_english_text(client, label, at_least):
    from django.apps import apps

    model = apps.get_model(label)
    english = model.objects.live().filter(locale__language_code="en")
    assert english.count() >= at_least
    for page in english[:2]:
        italian = page.get_translation(_italian_home().locale)
        assert page.title != italian.title or page.title.isupper(), page.title
        assert client.get(page.url).status_code == HTTPStatus.OK


def test_load_demo_again_adds_no_translation():
    before = Page.objects.filter(locale__language_code="en").count()
    call_command("load_demo", stdout=StringIO())
    assert Page.objects.filter(locale__language_code="en").count() == before


def test_switch_leads_to_the_nearest_translated_ancestor_and_says_so(client):
    from portal.practices.models import GoodPracticePage

    practice = GoodPracticePage.objects.get(slug="transizione-pena-lavoro")
    assert _english(practice) is None
    section_en = _english(practice.get_parent())
    html = client.get(practice.url).content.decode()
    switch = BeautifulSoup(html, "html.parser").select_one(
        "[data-testid=language-switcher] a[hreflang=en]"
    )
    assert switch["href"] == section_en.url
    assert f"English version not available: {section_en.title}" in switch.get_text()
    # No hreflang alternate for a version that does not exist.
    assert 'rel="alternate" hreflang="en"' not in html


def test_switch_of_a_translated_page_leads_to_its_translation(client):
    from portal.practices.models import GoodPracticePage

    practice = GoodPracticePage.objects.get(slug="collocamento-mirato-icf")
    english = _english(practice)
    html = client.get(practice.url).content.decode()
    switch = BeautifulSoup(html, "html.parser").select_one(
        "[data-testid=language-switcher] a[hreflang=en]"
    )
    assert switch["href"] == english.url
    assert "not available" not in switch.get_text()


def test_language_links_is_one_query_then_cached():
    from portal.practices.models import GoodPracticePage

    practice = GoodPracticePage.objects.get(slug="transizione-pena-lavoro")
    request = RequestFactory().get(practice.url)
    template = Template(
        "{% load portal_tags %}{% language_links page as links %}"
        "{% for l in links %}{{ l.url }} {{ l.name }};{% endfor %}"
    )
    from portal.navigation import navigation_invalidate

    with translation.override("it"):
        template.render(Context({"page": practice, "request": request}))
        navigation_invalidate()  # site and root paths stay cached, not this
        with CaptureQueriesContext(connection) as queries:
            first = template.render(Context({"page": practice, "request": request}))
        page_queries = [q for q in queries if "wagtailcore_page" in q["sql"]]
        assert len(page_queries) == 1
        with CaptureQueriesContext(connection) as queries:
            again = template.render(Context({"page": practice, "request": request}))
        assert len(queries) == 0
    assert first == again
    assert "English version not available" in again
    # Publishing a translation is seen at once: the tree's version moved on.
    from portal.demo.english import translate_once

    english = translate_once(practice, {s: s for s in _source_strings(practice)})
    with translation.override("it"):
        after = template.render(Context({"page": practice, "request": request}))
    assert english.url in after
    assert "English version not available" not in after


def test_terms_are_in_english_on_english_pages(client):
    from portal.practices.models import GoodPracticePage

    practice = GoodPracticePage.objects.get(slug="collocamento-mirato-icf")
    italian_topics = [t.name for t in practice.topics.all()]
    assert "Collocamento mirato" in italian_topics
    english = _english(practice)
    html = client.get(english.url).content.decode()
    assert "Targeted placement" in html
    assert "Collocamento mirato" not in html
    # The English list's filters name the terms in English too.
    index_html = client.get(english.get_parent().url).content.decode()
    assert "Targeted placement" in index_html
    assert "Collocamento mirato" not in index_html
    # And the Italian pages keep the Italian names.
    assert "Collocamento mirato" in client.get(practice.url).content.decode()


def test_terms_are_translated_through_wagtail_localize():
    from wagtail_localize.models import Translation

    from portal.taxonomy.models import Topic

    english = Topic.objects.get(slug="collocamento-mirato", locale__language_code="en")
    assert english.name == "Targeted placement"
    assert Translation.objects.filter(
        source__object_id=english.translation_key, target_locale=english.locale
    ).exists()


def test_sitemap_has_both_languages_with_alternates(client):
    from portal.practices.models import GoodPracticePage

    practice = GoodPracticePage.objects.get(slug="collocamento-mirato-icf")
    english = _english(practice)
    xml = client.get("/sitemap.xml").content.decode()
    italian_url = practice.get_full_url()
    english_url = english.get_full_url()
    assert f"<loc>{english_url}</loc>" in xml
    assert f"<loc>{italian_url}</loc>" in xml
    entry = re.search(rf"<url><loc>{re.escape(english_url)}</loc>.*?</url>", xml)
    assert entry
    assert f'hreflang="it" href="{italian_url}"' in entry.group(0)
    assert f'hreflang="en" href="{english_url}"' in entry.group(0)
    assert 'xmlns:xhtml="http://www.w3.org/1999/xhtml"' in xml


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /en/account/" in lines
    assert any(line.startswith("Disallow: /account") for line in lines)
    assert f"Sitemap: {site_url()}/sitemap.xml" in lines


def test_opengraph_tags(client):
    english = _english(_italian_home().get_children().get(slug="progetti"))
    html = client.get(english.url).content.decode()
    soup = BeautifulSoup(html, "html.parser")

    def og(name):
        tags = soup.find_all("meta", property=name)
        return [tag["content"] for tag in tags]

    assert og("og:title") == [english.title]
    assert og("og:url") == [site_url() + english.url]
    assert og("og:locale") == ["en_GB"]
    assert og("og:locale:alternate") == ["it_IT"]
    assert og("og:site_name") == ["Esplora Lavoro"]
    assert og("og:type") == ["article"]
    assert og("og:description") == [english.specific.summary]


def test_english_404_links_to_the_english_home(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    home_links = [a["href"] for a in soup.select("main a") if "home" in a.get_text()]
    assert home_links == ["/en/"]


def test_english_newsletter_links_the_english_version_of_pulled_pages(client):
    from portal.newsletters.models import NewsletterIssuePage
    from portal.newsletters.rendering import render_issue

    checked = 0
    for issue in NewsletterIssuePage.objects.live().filter(locale__language_code="en"):
        pulled = [
            block.value["page"]
            for block in issue.body
            if block.block_type not in ("heading", "paragraph")
        ]
        html = client.get(issue.url).content.decode()
        email = render_issue(issue, personal=None).html
        for page in pulled:
            english = _english(page)
            if english is None:
                continue
            checked += 1
            assert f'href="{english.url}"' in html
            assert english.get_url() in email
            assert f'href="{page.url}"' not in html
    assert checked >= 2, "the demo issues pull translated pages"


# --- The crawl: no Italian interface text on English pages -------------------

CRAWL_LIMIT = 150
# Proper names the English interface itself uses untranslated ("The Sportelli
# Lavoro opened by municipalities..."): the network's name, not Italian text.
PROPER_NAMES = {"Sportelli Lavoro", "Sportello Lavoro"}
SKIP_IT = re.compile(
    r"^/(account/|kit/scarica|static/|media/|.*\.(csv|json|xml|zip|pdf)$)"
)
SKIP = re.compile(r"^/en/(account/|kit/download|.*\.(csv|json|xml|zip|pdf)$)")


def _italian_interface_strings() -> list[str]:
    """Italian translations of the interface strings that templates use: longer
    than 12 characters, different from their English source, no placeholders."""
    sources = "\n".join(
        path.read_text(encoding="utf-8")
        for root in [BASE_DIR / "templates", *BASE_DIR.glob("*/templates")]
        for path in root.rglob("*.html")
    )
    found = []
    for entry in polib.pofile(str(BASE_DIR / "locale/it/LC_MESSAGES/django.po")):
        text = entry.msgstr
        if entry.obsolete or "fuzzy" in entry.flags or not text:
            continue
        if len(text) <= 12 or text == entry.msgid or "%" in text or "{" in text:
            continue
        if entry.msgid in sources and text not in PROPER_NAMES:
            found.append(text)
    return found


def _interface_text(html: str) -> str:
    """The page's text without content marked as Italian (``lang="it"``), the
    language switch's own names, scripts and styles."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.select('[lang="it"], script, style, template'):
        element.decompose()
    parts = [soup.get_text(" ")]
    for attribute in ("title", "aria-label", "alt", "placeholder"):
        parts += [tag[attribute] for tag in soup.find_all(attrs={attribute: True})]
    return " ".join(" ".join(parts).split())


def test_crawl_english_site_shows_no_italian_interface_text(client):
    italian = _italian_interface_strings()
    assert len(italian) > 50  # the check has something to check
    queue = deque(["/en/"])
    seen = {"/en/"}
    visited = 0
    problems = {}
    while queue and visited < CRAWL_LIMIT:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != HTTPStatus.OK or "html" not in response.get(
            "Content-Type", ""
        ):
            continue
        visited += 1
        html = response.content.decode()
        text = _interface_text(html)
        leaks = [phrase for phrase in italian if phrase in text]
        if leaks:
            problems[path] = leaks[:5]
        for href in re.findall(r'href="(/en/[^"#?]*)', html):
            if href not in seen and not SKIP.match(href):
                seen.add(href)
                queue.append(href)
    assert visited >= 40
    assert not problems, "\n".join(
        f"{path}: {leaks}" for path, leaks in problems.items()
    )


def test_a_new_term_offers_the_translate_action_and_keeps_its_slug(client):
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from wagtail.models import Locale

    from portal.taxonomy.models import Topic
    from portal.taxonomy.services import term_translate

    topic = Topic.objects.create(
        name="Apprendistato",
        slug="apprendistato",
        locale=Locale.objects.get(language_code="it"),
    )
    admin = get_user_model().objects.filter(is_superuser=True).first()
    client.force_login(admin)
    listing = client.get(reverse("wagtailsnippets_taxonomy_topic:list"))
    submit = reverse(
        "wagtail_localize:submit_snippet_translation",
        args=["taxonomy", "topic", topic.pk],
    )
    assert submit in listing.content.decode()
    english = term_translate(term=topic, language_code="en", name="Apprenticeship")
    assert (english.name, english.slug) == ("Apprenticeship", "apprendistato")


def test_term_names_per_language_come_from_one_cached_query():
    from portal.taxonomy.models import Topic
    from portal.taxonomy.selectors import term_map

    italian = Topic.objects.get(slug="collocamento-mirato", locale__language_code="it")
    with CaptureQueriesContext(connection) as queries:
        with translation.override("en"):
            english_names = term_map(Topic)
        with translation.override("it"):
            italian_names = term_map(Topic)
    assert len(queries) == 1
    assert english_names[italian.pk] == ("collocamento-mirato", "Targeted placement")
    assert italian_names[italian.pk] == ("collocamento-mirato", "Collocamento mirato")


def _english_interface_strings() -> list[str]:
    """English source strings that templates use and Italian translates
    differently: longer than 12 characters, no placeholders."""
    sources = "\n".join(
        path.read_text(encoding="utf-8")
        for root in [BASE_DIR / "templates", *BASE_DIR.glob("*/templates")]
        for path in root.rglob("*.html")
    )
    found = []
    for entry in polib.pofile(str(BASE_DIR / "locale/it/LC_MESSAGES/django.po")):
        if entry.obsolete or "fuzzy" in entry.flags or not entry.msgstr:
            continue
        text = entry.msgid
        if len(text) <= 12 or text == entry.msgstr or "%" in text or "{" in text:
            continue
        if text in sources:
            found.append(text)
    return found


def _text_outside(html: str, language: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.select(f'[lang="{language}"], script, style, template'):
        element.decompose()
    return " ".join(soup.get_text(" ").split())


def test_crawl_italian_site_shows_no_english_interface_text(client):
    english = _english_interface_strings()
    assert len(english) > 50
    queue = deque(["/"])
    seen = {"/"}
    visited = 0
    problems = {}
    while queue and visited < CRAWL_LIMIT:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != HTTPStatus.OK or "html" not in response.get(
            "Content-Type", ""
        ):
            continue
        visited += 1
        html = response.content.decode()
        text = _text_outside(html, "en")
        leaks = [phrase for phrase in english if phrase in text]
        if leaks:
            problems[path] = leaks[:5]
        for href in re.findall(r'href="(/(?!en/|admin/|documents/)[^"#?]*)', html):
            if href not in seen and not SKIP_IT.match(href):
                seen.add(href)
                queue.append(href)
    assert visited >= 40
    assert not problems, "\n".join(f"{p}: {leaks}" for p, leaks in problems.items())
