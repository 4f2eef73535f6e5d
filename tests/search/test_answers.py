"""Reasonable queries get answers: partial matches when all words find nothing,
titles above scattered words, promotions whatever the organic result, dates that
mean something, and "did you mean" with few results. On both backends."""

import html
import re

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from search.models import SearchDocument, SearchPromotion
from tests.seminars.factories import make_index, make_seminar

# ``practices`` is a fixture (the practice pages of test_search).
from .test_search import add_page, practices, results_html  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_backend")]


def titles(response) -> list[str]:
    found = re.findall(
        r'<h3 class="h5 mb-1"><a [^>]*>(.*?)</a>', results_html(response), re.S
    )
    return [html.unescape(strip_tags(title)).strip() for title in found]


def test_no_page_with_every_word_falls_back_to_pages_with_some(client, tree):
    add_page(tree.home, "Politiche attive del lavoro", "Misure per chi cerca lavoro")
    add_page(tree.home, "Tirocini in Puglia", "Tirocini extracurriculari")

    response = client.get("/cerca/", {"q": "politiche attive Sicilia"})

    assert titles(response)[0] == "Politiche attive del lavoro"
    html = response.content.decode()
    assert 'data-testid="search-partial"' in html
    # With every word found, no notice.
    response = client.get("/cerca/", {"q": "politiche attive"})
    assert 'data-testid="search-partial"' not in response.content.decode()


def test_the_page_titled_with_the_query_comes_first(client, tree):
    for number in range(4):
        add_page(
            tree.home,
            f"Notizie dal territorio {number}",
            "Il collocamento delle persone con disabilità e il servizio mirato "
            "alle imprese: collocamento, mirato, collocamento.",
        )
    add_page(tree.home, "Collocamento mirato", "Servizi per le persone con disabilità")

    response = client.get("/cerca/", {"q": "collocamento mirato"})

    assert titles(response)[0] == "Collocamento mirato"


def test_a_promotion_is_shown_even_when_nothing_else_matches(client, tree):
    SearchPromotion.objects.create(query="SILLA download", page=tree.privacy)

    response = client.get("/cerca/", {"q": "SILLA download"})

    html = response.content.decode()
    assert 'id="promoted-heading"' in html
    assert tree.privacy.url in html


def test_seminars_are_dated_by_their_start_and_plain_pages_have_no_date(client, tree):
    seminar = make_seminar(make_index(tree.home), days=40)
    page = add_page(tree.home, "Pagina informativa senza data")

    seminar_doc = SearchDocument.objects.get(key=f"page:{seminar.pk}")
    assert seminar_doc.date == timezone.localdate(seminar.start)
    assert SearchDocument.objects.get(key=f"page:{page.pk}").date is None
    assert SearchDocument.objects.get(key=f"page:{page.pk}").year is None


def test_a_mistyped_word_in_a_longer_query_is_corrected(client, tree):
    add_page(tree.home, "Sportello lavoro di Lecce", "Orari dello sportello")
    add_page(tree.home, "Sportello lavoro di Bari", "Orari dello sportello")

    response = client.get("/cerca/", {"q": "sportelo lavoro"})

    assert sorted(titles(response)) == [
        "Sportello lavoro di Bari",
        "Sportello lavoro di Lecce",
    ]
    # SQLite and Elasticsearch find nothing for "sportelo" and say what they
    # searched instead; PostgreSQL's own stemming already matches "sportello".
    html = response.content.decode()
    assert 'data-testid="search-corrected"' in html or 'id="search-count">2' in html


def test_italian_and_english_word_forms_find_each_other(client, tree):
    add_page(
        tree.home, "Servizi per l'inclusione", "Percorsi per persone con disabilità"
    )
    add_page(
        tree.home_en, "Inclusion services", "Pathways for people with disabilities"
    )
    add_page(tree.home_en, "Active labour policies", "What the regions fund")

    assert "Servizi per l'inclusione" in titles(
        client.get("/cerca/", {"q": "disabili"})
    )
    english = client.get("/en/search/", {"q": "disability"})
    assert "Inclusion services" in titles(english)
    assert "Active labour policies" in titles(
        client.get("/en/search/", {"q": "policy"})
    )
    # Elided articles and prepositions are not words to look for.
    assert "Servizi per l'inclusione" in titles(
        client.get("/cerca/", {"q": "dell'inclusione"})
    )


def test_a_narrowed_facet_keeps_its_other_values_with_their_counts(
    client,
    practices,  # noqa: F811
):
    response = client.get("/cerca/", {"q": "giovani", "region": "12"})

    html = response.content.decode()
    assert "Tirocini per" not in results_html(response)
    # Puglia (16) is still on offer, with the one result choosing it would give.
    puglia = re.search(
        r'name="region" value="16"[^>]*>\s*<label[^>]*>([^<]*)<span', html
    )
    assert puglia, "the other region is still offered"
    assert "Puglia" in puglia.group(1)
    assert re.search(r'value="12"[^>]*checked', html)


def test_structural_pages_are_found_but_not_offered_as_a_type(client, tree):
    add_page(tree.home, "Orientamento al lavoro", "Servizi di orientamento")
    html = client.get("/cerca/", {"q": "esplora lavoro"}).content.decode()

    assert 'value="portal.homepage"' not in html
    assert 'value="portal.sectionpage"' not in html
    narrowed = client.get("/cerca/", {"q": "lavoro", "kind": "portal.sectionpage"})
    assert "Some filters were not recognised" in narrowed.content.decode() or (
        "Alcuni filtri non sono stati riconosciuti" in narrowed.content.decode()
    )


def test_a_mistyped_query_that_finds_nothing_shows_the_corrected_results(client, tree):
    add_page(tree.home, "Osservatorio sul mercato del lavoro di Lecce", "Rapporti")

    response = client.get("/cerca/", {"q": "osservatroio"})

    assert titles(response) == ["Osservatorio sul mercato del lavoro di Lecce"]
    assert 'data-testid="search-corrected"' in response.content.decode()


def test_an_observatory_is_found_by_its_region_name(client, tree):
    from portal.observatories.models import ObservatoryIndexPage, ObservatoryPage
    from portal.taxonomy.models import Territory

    index = ObservatoryIndexPage(title="Osservatori", slug="rete-osservatori")
    tree.home.add_child(instance=index)
    index.save_revision().publish()
    palermo = Territory.objects.filter(kind="province", name__icontains="Palermo")
    page = ObservatoryPage(
        title="Osservatorio di Palermo", slug="oss-pa", province=palermo.get()
    )
    index.add_child(instance=page)
    page.save_revision().publish()

    assert "Osservatorio di Palermo" in titles(
        client.get("/cerca/", {"q": "osservatorio Sicilia"})
    )
