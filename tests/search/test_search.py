from datetime import timedelta
from http import HTTPStatus

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from portal.models import StandardPage

from .factories import (
    TargetGroup,
    Topic,
    make_practice,
    make_province,
    make_region,
    make_term,
    practice_index,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_backend")]


def results_html(response) -> str:
    """Only the results list (the header and footer also link to pages)."""
    html = response.content.decode()
    start = html.find('id="search-count"')
    end = html.find("</main>", start)
    return html[start:end] if start != -1 else ""


def add_page(parent, title, body_text="", **fields):
    page = StandardPage(title=title, summary=body_text, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def practices(tree):
    locale = tree.home.locale
    lazio = make_region("Lazio", "12")
    puglia = make_region("Puglia", "16")
    roma = make_province("Roma", "058", lazio)
    bari = make_province("Bari", "072", puglia)
    orientamento = make_term(Topic, "Orientamento", locale)
    tirocini = make_term(Topic, "Tirocini", locale)
    giovani = make_term(TargetGroup, "Giovani NEET", locale)
    index = practice_index(tree.home)
    first = make_practice(
        index,
        "Sportello orientamento giovani",
        year=2023,
        topics=[orientamento],
        targets=[giovani],
        territories=[roma],
    )
    second = make_practice(
        index,
        "Tirocini per giovani in Puglia",
        year=2024,
        topics=[tirocini],
        targets=[giovani],
        territories=[bari],
    )
    return {
        "first": first,
        "second": second,
        "orientamento": orientamento,
        "tirocini": tirocini,
        "giovani": giovani,
    }


def test_accents_and_plurals_are_folded(client, tree):
    add_page(tree.home, "Attività degli Osservatori", "Rapporto annuale")

    for words in ("attivita", "ATTIVITÀ", "osservatorio", "osservatori"):
        html = results_html(client.get("/cerca/", {"q": words}))
        assert "degli <mark>Osservatori</mark>" in html or "Attivit" in html, words


def test_english_site_searches_english_content_only(client, tree):
    html = results_html(client.get("/en/search/", {"q": "practices"}))

    assert 'href="/en/good-practices/"' in html
    assert 'href="/buone-pratiche/"' not in html


def test_matching_words_are_marked_after_escaping(client, tree):
    add_page(tree.home, "Guida <script>alert(1)</script> ai servizi")

    html = results_html(client.get("/cerca/", {"q": "guida servizi"}))

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>Guida</mark>" in html and "<mark>servizi</mark>" in html


def test_expired_and_restricted_pages_are_not_found(client, tree, monkeypatch):
    expires = timezone.now() + timedelta(days=1)
    add_page(tree.home, "Bando in scadenza", expire_at=expires)
    assert "Bando" in results_html(client.get("/cerca/", {"q": "bando"}))
    # The day after, before the scheduled unpublish has even run:
    later = expires + timedelta(minutes=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    restricted = add_page(tree.home, "Bando riservato")
    PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.LOGIN
    )

    assert "Bando" not in results_html(client.get("/cerca/", {"q": "bando"}))


def test_facets_have_counts_and_combine(client, practices):
    html = client.get("/cerca/", {"q": "giovani"}).content.decode()
    topic = practices["orientamento"].pk
    assert "<legend" in html and "Orientamento" in html and "Lazio" in html

    filtered = client.get(
        "/cerca/", {"q": "giovani", "topic": str(topic), "region": "12"}
    )
    assert 'href="/elenco-pratiche/pratica-' in results_html(filtered)
    assert "Sportello" in results_html(filtered)
    assert "Tirocini per" not in results_html(filtered)

    nothing = client.get(
        "/cerca/", {"q": "giovani", "topic": str(topic), "region": "16"}
    )
    assert "Sportello" not in results_html(nothing)


def test_year_and_type_facets(client, practices):
    html = results_html(
        client.get(
            "/cerca/",
            {"q": "giovani", "year": "2024", "kind": "practices.goodpracticepage"},
        )
    )

    assert "Tirocini per" in html
    assert "Sportello" not in html


@pytest.mark.parametrize(
    "params",
    [
        {"topic": "not-a-number"},
        {"region": "99"},
        {"kind": "auth.user"},
        {"year": "12345678901234567890"},
        {"sort": "'; drop table"},
    ],
)
def test_unknown_facet_values_are_ignored_with_a_message(client, practices, params):
    response = client.get("/en/search/", {"q": "giovani", **params})

    assert response.status_code == HTTPStatus.OK
    if "sort" not in params:
        assert "Some filters were not recognised" in response.content.decode()


def test_sort_by_date_puts_the_newest_first(client, practices):
    html = results_html(client.get("/cerca/", {"q": "giovani", "sort": "date"}))

    assert html.index("Tirocini per") < html.index("Sportello")


def test_pagination_keeps_facets_and_clamps(client, tree, settings):
    settings.SEARCH_PAGE_SIZE = 2
    for number in range(5):
        add_page(tree.home, f"Report mensile {number}")

    last = client.get(
        "/cerca/", {"q": "report", "kind": "portal.standardpage", "page": "99"}
    )
    html = results_html(last)

    assert last.status_code == HTTPStatus.OK
    assert html.count('class="mb-4 search-result"') == 1  # 5 results, 2 a page
    assert 'class="alert alert-info"' in last.content.decode()  # no page 99
    assert "q=report&amp;kind=portal.standardpage&amp;page=2" in html


def test_long_queries_are_cut_with_a_message(client, tree):
    response = client.get("/en/search/", {"q": "pratiche " * 1200})

    assert response.status_code == HTTPStatus.OK
    assert "only the beginning was used" in response.content.decode()


def test_a_query_without_words_says_so(client, tree):
    response = client.get("/en/search/", {"q": '"*:()"'})

    assert "no words we can look for" in response.content.decode()


def test_a_typo_that_matches_nothing_shows_the_corrected_results(client, tree):
    html = client.get("/cerca/", {"q": "pratihce"}).content.decode()

    assert 'data-testid="search-corrected"' in html
    assert "pratiche" in html


def test_promoted_page_comes_first(client, tree):
    from search.models import SearchPromotion

    SearchPromotion.objects.create(query="Privacy!", page=tree.privacy)

    html = client.get("/cerca/", {"q": "privacy"}).content.decode()
    assert 'id="promoted-heading"' in html

    english = client.get("/en/search/", {"q": "privacy"}).content.decode()
    assert 'id="promoted-heading"' not in english


def test_queries_are_logged_for_editors(client, tree, admin_client):
    client.get("/cerca/", {"q": "Pratiche"})
    client.get("/cerca/", {"q": "pratiche", "page": "1"})
    client.get("/cerca/", {"q": "zzzqqq"})

    report = admin_client.get("/admin/reports/search-queries/").content.decode()
    zero = admin_client.get(
        "/admin/reports/search-queries/no-results/"
    ).content.decode()

    assert "pratiche" in report and "zzzqqq" in report
    assert "zzzqqq" in zero and "pratiche" not in zero


def test_query_report_is_for_editors_only(client, make_user):
    user = make_user()
    client.force_login(user)

    response = client.get("/admin/reports/search-queries/")

    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)


def test_search_query_count_does_not_grow_with_results(client, tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get("/cerca/", {"q": "statistiche"})
        return len(captured)

    for number in range(3):
        add_page(tree.home, f"Statistiche {number}")
    client.get("/cerca/", {"q": "statistiche"})  # warms the caches
    few = queries()
    for number in range(3, 40):
        add_page(tree.home, f"Statistiche {number}")
    client.get("/cerca/", {"q": "statistiche"})  # publishing cleared some
    many = queries()

    assert many <= few <= 25
