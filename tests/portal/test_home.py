"""The home page: the hero and highlighted items the editors compose, and the
sections that fill themselves (portal/home.py and each app's home.py)."""

import datetime as dt
import re
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from community.models import Group, PublicationStatus, Thread
from kit_downloads.models import KitProductPage, KitReleasePage
from portal import pagecache
from portal.models import SectionPage
from portal.newsletters.models import NewsletterIssuePage
from portal.practices.models import GoodPracticePage
from portal.seminars.models import SeminarPage

from ..community.factories import add_member, bulk_threads, make_group, make_thread
from ..newsletters.factories import make_archive, make_issue
from ..practices import factories as practice_factories
from ..practices.factories import bulk_children
from ..seminars.factories import make_index, make_seminar

pytestmark = pytest.mark.django_db

# Routing (locale, the page; the chain of pages, the restricted paths and the
# language links come from the cache), the home's children, the chosen pages,
# one per self-filling section (5), the menu.
HOME_QUERIES = 8
SECTIONS = ("practices", "seminars", "newsletter", "kit", "discussions")


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _kit_product(home) -> KitProductPage:
    section = _publish(
        home, SectionPage(title="Kit SILLA", slug="kit", show_in_menus=True)
    )
    return _publish(
        section,
        KitProductPage(
            title="Kit SILLA",
            slug="silla",
            description="<p>Il kit.</p>",
            repository_url="https://github.com/esplora-lavoro/kit-silla",
        ),
    )


def _release(product, version, day, **fields) -> KitReleasePage:
    return _publish(
        product,
        KitReleasePage(
            title=f"Kit SILLA {version}",
            slug="v" + version.replace(".", "-"),
            version=version,
            release_date=dt.date(2026, 1, day),
            changelog="<p>Novità.</p>",
            summary=f"Versione {version}",
            **fields,
        ),
    )


def _section_html(html: str, key: str) -> str:
    match = re.search(
        rf'<section[^>]*data-testid="home-{key}".*?</section>', html, re.S
    )
    return match.group(0) if match else ""


def _get(client, url) -> str:
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


@pytest.fixture
def author(make_user):
    return make_user(email="autrice@example.org")


@pytest.fixture
def filled(tree, author):
    """One item in every section, and two highlighted items of two page types."""
    home = tree.home
    practice_index = practice_factories.practice_index(home)
    practice = practice_factories.practice(practice_index, title="Pratica recente")
    seminar_index = make_index(home)
    seminar = make_seminar(seminar_index, title="Seminario prossimo")
    archive = make_archive(home)
    issue = make_issue(archive, title="Lavoro Informa n. 1")
    product = _kit_product(home)
    release = _release(product, "1.0.0", 1)
    group = make_group(name="Servizi per l'impiego")
    add_member(group, author)
    make_thread(group, author, title="Discussione aperta")
    home.highlights = [
        ("item", {"page": practice, "title": "", "text": ""}),
        ("item", {"page": seminar, "title": "Da non perdere", "text": ""}),
    ]
    home.save_revision().publish()
    return {
        "practice_index": practice_index,
        "seminar_index": seminar_index,
        "archive": archive,
        "product": product,
        "group": group,
        "release": release,
        "issue": issue,
    }


def _count(client, url="/") -> int:
    """Queries of a render that builds the home's sections (its cached fragment
    made stale first, as any publish does)."""
    client.get(url)  # warm the process caches (site root paths, settings)
    pagecache.invalidate()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return len(queries)


def test_query_count_is_fixed_with_1_and_20_items_per_section(
    client, tree, filled, author
):
    small = _count(client)
    html = _get(client, "/")
    for key in SECTIONS:
        assert _section_html(html, key), key

    now = timezone.now()
    bulk_children(
        filled["practice_index"],
        [
            GoodPracticePage(
                title=f"Pratica {n}",
                slug=f"pratica-bulk-{n}",
                summary="Sintesi",
                year_start=2020,
                first_published_at=now - dt.timedelta(days=n + 1),
            )
            for n in range(19)
        ],
    )
    bulk_children(
        filled["seminar_index"],
        [
            SeminarPage(
                title=f"Seminario {n}",
                slug=f"seminario-bulk-{n}",
                start=now + dt.timedelta(days=20 + n),
                end=now + dt.timedelta(days=20 + n, hours=2),
                registration_opens=now,
                registration_closes=now + dt.timedelta(days=19),
                capacity=10,
            )
            for n in range(19)
        ],
    )
    bulk_children(
        filled["archive"],
        [
            NewsletterIssuePage(
                title=f"Numero {n}", slug=f"numero-bulk-{n}", date=dt.date(2025, 1, 1)
            )
            for n in range(19)
        ],
    )
    bulk_children(
        filled["product"],
        [
            KitReleasePage(
                title=f"Kit SILLA 0.{n}.0",
                slug=f"v0-{n}-0",
                version=f"0.{n}.0",
                release_date=dt.date(2025, 1, 1),
                changelog="<p>x</p>",
            )
            for n in range(19)
        ],
    )
    bulk_threads(filled["group"], author, 19)
    # Six highlighted items (the most an editor may choose) of four page types.
    home = tree.home
    home.highlights = [
        ("item", {"page": page, "title": "", "text": ""})
        for page in [
            filled["release"],
            filled["issue"],
            filled["product"],
            *GoodPracticePage.objects.all()[:3],
        ]
    ]
    home.save_revision().publish()

    large = _count(client)
    assert small == large == HOME_QUERIES
    assert large <= 15  # the performance budget of the home's uncached render


def test_empty_sections_hide_and_headings_are_in_order(client, tree):
    html = _get(client, "/")
    for key in SECTIONS:
        assert f'data-testid="home-{key}"' not in html
    assert 'data-testid="home-highlights"' not in html
    assert html.count("<h1") == 1
    assert 'data-testid="home-sections"' in html  # the table of contents


def test_headings_one_h1_then_one_h2_per_section(client, filled):
    html = _get(client, "/")
    main = html[html.index('id="main-content"') :]
    assert main.count("<h1") == 1
    headings = re.findall(r"<h([1-6])", main)
    assert headings[0] == "1"
    # Never a jump of more than one level down.
    for previous, current in zip(headings, headings[1:], strict=False):
        assert int(current) <= int(previous) + 1
    for key in SECTIONS:
        assert re.search(rf'<h2 id="home-{key}"', main), key


def test_practices_latest_first_in_the_page_language_never_drafts(client, tree):
    index = practice_factories.practice_index(tree.home)
    old = practice_factories.practice(index, title="Pratica vecchia")
    new = practice_factories.practice(index, title="Pratica nuova")
    GoodPracticePage.objects.filter(pk=old.pk).update(
        first_published_at=timezone.now() - dt.timedelta(days=30)
    )
    practice_factories.practice(index, title="Pratica in bozza", publish=False)
    private = practice_factories.practice(index, title="Pratica riservata")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    index_en = practice_factories.practice_index(tree.home_en)
    practice_factories.practice(index_en, title="English practice")

    section = _section_html(_get(client, "/"), "practices")
    assert section.index(new.title) < section.index(old.title)
    assert "Pratica in bozza" not in section
    assert "Pratica riservata" not in section
    assert "English practice" not in section
    assert f'href="{index.url}"' in section  # links to its index

    section_en = _section_html(_get(client, tree.home_en.url), "practices")
    assert "English practice" in section_en
    assert "Pratica nuova" not in section_en


def test_seminars_upcoming_soonest_first_never_past(client, tree):
    index = make_index(tree.home)
    later = make_seminar(index, slug="dopo", title="Seminario dopo", days=20)
    sooner = make_seminar(index, slug="prima", title="Seminario prima", days=2)
    make_seminar(index, slug="passato", title="Seminario passato", days=-3)

    section = _section_html(_get(client, "/"), "seminars")
    assert section.index(sooner.title) < section.index(later.title)
    assert "Seminario passato" not in section
    assert f'href="{index.url}"' in section
    assert "<time" in section


def test_newsletter_shows_the_last_issue_only(client, tree):
    archive = make_archive(tree.home)
    make_issue(archive, slug="n1", title="Numero uno", date=dt.date(2026, 9, 1))
    make_issue(archive, slug="n2", title="Numero due", date=dt.date(2026, 10, 1))
    make_issue(
        archive, slug="n3", title="Numero bozza", date=dt.date(2026, 11, 1),
        publish=False,
    )  # fmt: skip

    section = _section_html(_get(client, "/"), "newsletter")
    assert "Numero due" in section
    assert "Numero uno" not in section
    assert "Numero bozza" not in section
    assert f'href="{archive.url}"' in section


def test_kit_shows_the_latest_release_public_facts_only(client, tree):
    product = _kit_product(tree.home)
    _release(product, "1.0.0", 1)
    latest = _release(product, "1.1.0", 5, is_security=True)

    section = _section_html(_get(client, "/"), "kit")
    assert "Kit SILLA 1.1.0" in section
    assert "1.0.0" not in section
    assert f'href="{latest.url}"' in section
    assert "/download" not in section  # files stay behind the release page


def test_discussions_public_only_by_last_activity_same_for_everyone(
    client, tree, author, make_user
):
    open_group = make_group(name="Gruppo aperto")
    moderated = make_group(
        name="Gruppo moderato", visibility=Group.Visibility.MODERATED
    )
    private = make_group(name="Gruppo riservato", visibility=Group.Visibility.PRIVATE)
    for group in (open_group, moderated, private):
        add_member(group, author)
    older = make_thread(open_group, author, title="Discussione meno recente")
    newer = make_thread(moderated, author, title="Discussione recente")
    Thread.objects.filter(pk=older.pk).update(
        last_post_at=timezone.now() - dt.timedelta(days=3)
    )
    make_thread(private, author, title="Discussione riservata")
    hidden = make_thread(open_group, author, title="Discussione nascosta")
    Thread.objects.filter(pk=hidden.pk).update(status=PublicationStatus.HIDDEN)
    deleted = make_thread(open_group, author, title="Discussione cancellata")
    Thread.objects.filter(pk=deleted.pk).update(is_deleted=True)

    section = _section_html(_get(client, "/"), "discussions")
    assert section.index(newer.title) < section.index(older.title)
    for title in ("riservata", "nascosta", "cancellata"):
        assert f"Discussione {title}" not in section

    member = make_user(email="socia@example.org")
    add_member(private, member)
    client.force_login(member)
    assert "Discussione riservata" not in _section_html(
        _get(client, "/"), "discussions"
    )

    client.logout()
    section_en = _section_html(_get(client, tree.home_en.url), "discussions")
    # Discussions are written in Italian: marked so on the English home.
    assert f'lang="it">{newer.title}<' in section_en


def test_highlights_in_the_page_language_with_the_editors_words(client, tree):
    index = practice_factories.practice_index(tree.home)
    practice = practice_factories.practice(
        index, title="Pratica scelta", summary="La sintesi della pratica"
    )
    draft = practice_factories.practice(index, title="Pratica ritirata")
    draft.unpublish()
    private = practice_factories.practice(index, title="Pratica riservata")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    home = tree.home
    home.highlights = [
        ("item", {"page": practice, "title": "", "text": ""}),
        ("item", {"page": tree.section, "title": "", "text": "Parole nostre"}),
        ("item", {"page": draft, "title": "", "text": ""}),
        ("item", {"page": private, "title": "", "text": ""}),
    ]
    home.hero_link_page = tree.section
    home.hero_link_text = "Scopri le buone pratiche"
    home.save_revision().publish()

    html = _get(client, "/")
    highlights = _section_html(html, "highlights")
    assert "Pratica scelta" in highlights
    assert "La sintesi della pratica" in highlights
    assert "Parole nostre" in highlights
    assert "Pratica ritirata" not in highlights
    assert "Pratica riservata" not in highlights
    assert 'lang="' not in highlights  # all in the page's language
    assert f'href="{tree.section.url}">Scopri le buone pratiche<' in html

    # The English home keeps the source's choices (as wagtail-localize copies
    # them): a translated page is shown in English, an untranslated one in
    # Italian, marked as such.
    home_en = tree.home_en.specific
    home_en.highlights = [
        ("item", {"page": practice, "title": "", "text": ""}),
        ("item", {"page": tree.section, "title": "", "text": "Our words"}),
    ]
    home_en.hero_link_page = tree.section
    home_en.hero_link_text = "Discover the good practices"
    home_en.save_revision().publish()
    html_en = _get(client, tree.home_en.url)
    highlights_en = _section_html(html_en, "highlights")
    assert f'href="{tree.section_en.url}"' in highlights_en
    assert "Good practices" in highlights_en
    assert "Our words" in highlights_en
    assert re.search(
        r'<h3[^>]*lang="it"[^>]*><a[^>]*hreflang="it"[^>]*>Pratica scelta<',
        highlights_en,
    )
    assert f'href="{tree.section_en.url}">Discover the good practices<' in html_en


def test_hero_image_and_everything_else_stay_within_the_budget(
    client, tree, filled, settings, tmp_path
):
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as PillowImage
    from wagtail.images.models import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = BytesIO()
    PillowImage.new("RGB", (1600, 500), "#06c").save(buffer, "PNG")
    image = Image.objects.create(
        title="Operatori al lavoro", file=ImageFile(buffer, name="hero.png")
    )
    home = tree.home
    home.hero_image = image
    home.hero_link_page = filled["practice_index"]
    home.hero_link_text = "Scopri le buone pratiche"
    home.save_revision().publish()

    assert _count(client) <= 15
    hero = _get(client, "/")
    hero = hero[hero.index('data-testid="home-hero"') :]
    assert re.search(r'<img[^>]*alt=""', hero[: hero.index("</h1>")])


def test_demo_fills_the_hero_and_highlights_in_both_languages(client):
    from django.core.management import call_command
    from wagtail.models import Page

    for page in Page.get_first_root_node().get_children():
        page.delete()
    call_command("load_demo")

    html = _get(client, "/")
    assert ">Scopri le buone pratiche<" in html
    highlights = _section_html(html, "highlights")
    assert '<a href="/kit/silla/">Il kit SILLA per gli Sportelli Lavoro<' in highlights
    for key in ("practices", "newsletter", "kit", "discussions"):
        assert _section_html(html, key), key

    html_en = _get(client, "/en/")
    assert ">Discover the good practices<" in html_en
    assert 'href="/en/good-practices/"' in html_en
    highlights_en = _section_html(html_en, "highlights")
    assert "The SILLA kit for job desks" in highlights_en
    # Translated pages are linked in English.
    assert 'href="/en/good-practices/targeted-placement' in highlights_en


def test_editors_compose_the_home_in_the_admin(client, tree, make_user):
    editor = make_user(email="redazione@example.org", is_staff=True, is_superuser=True)
    client.force_login(editor)
    response = client.get(f"/admin/pages/{tree.home.pk}/edit/")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    for field in ("hero_title", "hero_image", "hero_link_page", "hero_link_text"):
        assert f'name="{field}"' in html, field
    # The StreamField's panel (its blocks are drawn by the admin's script).
    assert '"fieldName": "highlights"' in html


def test_the_sections_are_kept_until_something_changes(client, tree, filled):
    """The body is a cached fragment keyed by the page cache's generation: a
    second render runs none of the sections' queries; a publish shows the new
    practice at once."""
    cold = _count(client)
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert len(queries) < cold
    practice_factories.practice(
        filled["practice_index"], title="Pratica appena pubblicata"
    )
    assert "Pratica appena pubblicata" in _get(client, "/")
