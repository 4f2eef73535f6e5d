"""Titles and trails that tell pages apart: no two pages share a <title>, no
"Kit SILLA / Kit SILLA" breadcrumb, the discussions' trail starts at the home
page, and the footer's site map is a page for people (sitemap.xml stays for
search engines)."""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import translation

from tests.community.factories import add_member, make_group, make_thread
from tests.kit_downloads.conftest import kit, owner, private_root  # noqa: F401

pytestmark = pytest.mark.django_db


def _title(body: str) -> str:
    return re.search(r"<title>(.*?)</title>", body, re.S).group(1).strip()


def _crumbs(body: str) -> list[str]:
    """The breadcrumb's items, as text, the current one last."""
    trail = re.search(
        r'<nav class="breadcrumb-container"[^>]*>(.*?)</nav>', body, re.S
    ).group(1)
    items = re.findall(r'<li class="breadcrumb-item[^"]*"[^>]*>(.*?)</li>', trail, re.S)
    return [re.sub(r"<[^>]+>", "", item).replace("/", "").strip() for item in items]


# Kit pages ------------------------------------------------------------------------


def test_section_and_product_of_the_same_name_have_different_titles(
    client,
    kit,  # noqa: F811
):
    section = _title(client.get(kit.section.url).content.decode())
    product = _title(client.get(kit.product.url).content.decode())
    assert section == "Kit SILLA | Esplora Lavoro"
    assert product.startswith("Kit SILLA – ")
    assert product != section


def test_no_kit_silla_kit_silla_breadcrumb(client, kit):  # noqa: F811
    product = _crumbs(client.get(kit.product.url).content.decode())
    assert product == ["Esplora Lavoro", "Kit SILLA"]
    release = _crumbs(client.get(kit.final.url).content.decode())
    assert release == ["Esplora Lavoro", "Kit SILLA", "Kit SILLA 1.10.0"]
    # The product's crumb is the product, not the section of the same name.
    body = client.get(kit.final.url).content.decode()
    assert f'<a href="{kit.product.url}">Kit SILLA</a>' in body
    assert f'<a href="{kit.section.url}">Kit SILLA</a>' not in body


def test_every_kit_page_has_its_own_title(client, kit):  # noqa: F811
    pages = [kit.section, kit.product, kit.old, kit.final, kit.beta]
    titles = [_title(client.get(page.url).content.decode()) for page in pages]
    assert len(set(titles)) == len(titles), titles


def test_title_and_breadcrumbs_share_one_query(
    client,
    kit,  # noqa: F811
    django_assert_max_num_queries,
):
    """The ancestors come with the route (portal.routing reads the chain of
    pages by url_path) and are not read again for the title or the trail."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(kit.final.url)  # warm caches (site, navigation)
    with CaptureQueriesContext(connection) as queries:
        client.get(kit.final.url)
    ancestors = [
        query
        for query in queries.captured_queries
        # Wagtail reads ancestors by their paths.
        if '"wagtailcore_page"."path" IN (' in query["sql"]
        and '"depth" >= 2' in query["sql"]
    ]
    assert ancestors == [], [query["sql"][-300:] for query in ancestors]
    chains = [q for q in queries.captured_queries if '"url_path" IN (' in q["sql"]]
    assert len(chains) == 1


# Community trail --------------------------------------------------------------------


def test_thread_breadcrumb_starts_at_home_and_ends_on_the_thread(
    client, tree, make_user, settings, tmp_path
):
    settings.COMMUNITY_ATTACHMENT_ROOT = tmp_path / "private"
    author = make_user()
    group = make_group(name="Collocamento mirato")
    add_member(group, author)
    thread = make_thread(group, author, title="Tirocini")
    client.force_login(author)
    body = client.get(f"/en/community/{group.slug}/{thread.pk}/").content.decode()
    assert _crumbs(body) == ["Home", "Community", "Collocamento mirato", "Tirocini"]
    assert re.search(r'<a href="/en/"[^>]*>Home</a>', body)
    current = re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]*)</a>', body)
    assert current == ["Tirocini"]


def test_group_breadcrumb_marks_the_group_as_current(
    client, tree, make_user, settings, tmp_path
):
    settings.COMMUNITY_ATTACHMENT_ROOT = tmp_path / "private"
    author = make_user()
    group = make_group(name="Collocamento mirato")
    add_member(group, author)
    client.force_login(author)
    body = client.get(f"/en/community/{group.slug}/").content.decode()
    assert _crumbs(body) == ["Home", "Community", "Collocamento mirato"]
    current = re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]*)</a>', body)
    assert current == ["Collocamento mirato"]


# Site map -------------------------------------------------------------------------


def test_footer_links_the_html_site_map(client, tree):
    body = client.get("/").content.decode()
    footer = re.search(r'data-testid="footer-links">(.*?)</ul>', body, re.S).group(1)
    with translation.override("it"):
        url = reverse("sitemap")
    assert f'href="{url}"' in footer
    assert "sitemap.xml" not in footer


def test_html_site_map_lists_sections_and_services(client, tree):
    with translation.override("it"):
        url = reverse("sitemap")
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    sections = re.search(
        r'data-testid="site-map-sections">(.*?)</ul>\s*(?:<h2|</div>)', body, re.S
    ).group(1)
    for page in (tree.section, tree.untranslated, tree.accessibility):
        assert f'<a href="{page.url}">{page.title}</a>' in sections
    services = re.search(r'data-testid="site-map-services">(.*?)</ul>', body, re.S)
    assert '<a href="/comunita/">' in services.group(1) or "Comunit" in body
    assert 'href="/sitemap.xml"' in body
    assert _title(body).startswith("Mappa del sito") or _title(body).startswith(
        "Site map"
    )


def test_english_site_map_lists_the_english_tree(client, tree):
    with translation.override("en"):
        url = reverse("sitemap")
    assert url.startswith("/en/")
    body = client.get(url).content.decode()
    assert f'<a href="{tree.section_en.url}">Good practices</a>' in body
    assert f'href="{tree.section.url}"' not in body
    assert '<a href="/en/community/">Community</a>' in body


def test_site_map_lists_sub_sections_not_every_item(client, kit):  # noqa: F811
    with translation.override("it"):
        url = reverse("sitemap")
    body = client.get(url).content.decode()
    # The kit section, its product (it has releases below it), not each release.
    assert f'<a href="{kit.section.url}">Kit SILLA</a>' in body
    assert f'<a href="{kit.product.url}">Kit SILLA</a>' in body
    assert kit.final.url not in body


def test_site_map_query_count_does_not_grow_with_the_tree(
    client, tree, django_assert_max_num_queries
):
    from portal.models import StandardPage

    with translation.override("it"):
        url = reverse("sitemap")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for number in range(15):
        page = StandardPage(title=f"Pagina {number}", slug=f"pagina-{number}")
        tree.section.add_child(instance=page)
        page.save_revision().publish()
    client.get(url)  # the publishes made the navigation stale: build it again
    with CaptureQueriesContext(connection) as large:
        body = client.get(url).content.decode()
    assert "Pagina 14" in body
    assert len(large.captured_queries) == len(small.captured_queries)


def test_sitemap_xml_stays_for_robots(client, tree):
    response = client.get("/sitemap.xml")
    assert response.status_code == HTTPStatus.OK
    assert b"<urlset" in response.content
    assert reverse("sitemap_xml") == "/sitemap.xml"
