import re
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "lang", "title"),
    [("/", "it", "Esplora Lavoro"), ("/en/", "en", "Esplora Lavoro")],
)
def test_home_page_in_each_language(client, tree, url, lang, title):
    response = client.get(url)

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert '<link rel="alternate" hreflang="it" href="http://localhost/">' in html
    assert '<link rel="alternate" hreflang="en" href="http://localhost/en/">' in html
    assert title in html


def test_home_lists_sections_and_menu_in_the_right_language(client, tree):
    italian = client.get("/").content.decode()
    english = client.get("/en/").content.decode()

    assert 'href="/buone-pratiche/"' in italian
    assert 'href="/en/good-practices/"' in english
    assert "Buone pratiche" not in english


def test_language_switcher_keeps_the_translated_page(client, tree):
    html = client.get("/buone-pratiche/").content.decode()

    assert re.search(r'<a [^>]*href="/en/good-practices/"[^>]*hreflang="en"', html)


def test_language_switcher_falls_back_to_home_without_translation(client, tree):
    html = client.get("/progetti/").content.decode()

    assert re.search(r'<a [^>]*href="/en/"[^>]*hreflang="en"', html)
    # No hreflang alternate for a translation that does not exist.
    assert 'hreflang="en" href="http://localhost/en/"' not in html


def test_breadcrumbs_and_footer_links(client, tree):
    html = client.get("/buone-pratiche/").content.decode()

    assert 'aria-label="Percorso di navigazione"' in html or "breadcrumb" in html
    assert 'href="/accessibilita/"' in html
    assert 'href="/privacy/"' in html


def test_base_template_accessibility_landmarks(client, tree):
    html = client.get("/").content.decode()

    assert 'href="#main-content"' in html
    assert '<main id="main-content"' in html
    assert 'for="header-search"' in html
    assert html.count("<h1") == 1


def test_unknown_page_is_a_404_in_the_portal_look(client, tree):
    response = client.get("/non-esiste/")

    assert response.status_code == HTTPStatus.NOT_FOUND
    html = response.content.decode()
    assert "Pagina non trovata" in html
    assert 'id="main-content"' in html


def test_server_error_page_needs_no_database(rf, django_assert_num_queries):
    from portal.views import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert "Esplora Lavoro" in response.content.decode()


def test_security_headers_on_public_pages(client, tree):
    response = client.get("/")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("url", ["/", "/buone-pratiche/", "/privacy/"])
def test_pages_render_within_the_query_budget(client, tree, url):
    client.get(url)  # fill the navigation cache

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.status_code == HTTPStatus.OK
    assert len(queries) <= 15


def test_menu_costs_no_query_per_item(client, tree):
    from portal.models import SectionPage

    client.get("/")
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for index in range(10):
        page = SectionPage(title=f"Sezione {index}", slug=f"sezione-{index}")
        page.show_in_menus = True
        tree.home.add_child(instance=page)
        page.save_revision().publish()
    client.get("/")
    with CaptureQueriesContext(connection) as many:
        html = client.get("/").content.decode()

    assert "Sezione 9" in html
    # The home page lists its sections (one query whatever their number); the menu
    # itself comes from the cache.
    assert len(many) == len(few)


def test_menu_follows_publish_and_unpublish(client, tree):
    assert "Buone pratiche" in client.get("/").content.decode()

    tree.section.unpublish()

    assert 'href="/buone-pratiche/"' not in client.get("/").content.decode()
