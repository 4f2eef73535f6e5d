"""What PostgreSQL's bounded search (``SearchMatch`` rows, an exact count up
to ``SEARCH_EXACT_LIMIT``, full ranking of ``SEARCH_RANK_CANDIDATES``) keeps
and what it gives up, with limits small enough for a test: below the limits
nothing changes; beyond them the total says "more than", the matches with
every word in the title still come first in their exact order, sorting by
date stays exact, and the narrow rows follow every write."""

import datetime as dt
import importlib
from dataclasses import replace

import pytest
from django.db import connection

from search.backends.base import SORT_DATE, Filters, Query
from search.backends.database import DatabaseSearchBackend
from search.documents import DocumentData
from search.models import SearchDocument, SearchMatch
from search.query import query_stems

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the bounded search is PostgreSQL's"
)
KINDS = ("practices.goodpracticepage", "projects.projectpage")
FILLER = "lavoro giovani regione dati rapporto formazione".split()
MATCHES = 40
TITLED = 6


def _documents() -> list[DocumentData]:
    """40 documents with both words in the text; 6 also have them in the
    title (so they rank first), each with a different filler word."""
    documents = []
    for number in range(MATCHES):
        filler = FILLER[number % len(FILLER)]
        if number % 7 == 3:  # 3, 10, 17, 24, 31, 38
            title = f"Sportello tirocini {filler}"
        else:
            title = f"Guida {filler} {number}"
        documents.append(
            DocumentData(
                key=f"limits:{number:02d}",
                kind=KINDS[number % 2],
                language="it",
                title=title,
                text=" ".join(
                    [filler] * (number % 4) + ["tirocini", "presso", "sportello"]
                ),
                url=f"/limits/{number}/",
                date=dt.date(2020, 1, 1) + dt.timedelta(days=(number * 37) % 400),
                year=2020,
                topics=[str(1 + number % 3)],
            )
        )
    return documents


def _query(text: str = "sportello tirocini", **kwargs) -> Query:
    return Query(
        stems=tuple(query_stems(text, "it")), language="it", group_ids=(), **kwargs
    )


def _pages(backend, query: Query) -> list[str]:
    keys, page = [], 1
    while True:
        results = backend.query(replace(query, page=page, page_size=7))
        keys += [hit.key for hit in results.hits]
        if page >= results.num_pages:
            return keys
        page += 1


@pytest.fixture
def backend():
    backend = DatabaseSearchBackend()
    backend.index(_documents())
    return backend


def _titled() -> set[str]:
    return set(
        SearchDocument.objects.filter(
            key__startswith="limits:", title__startswith="Sportello"
        ).values_list("key", flat=True)
    )


def test_documents_as_built_have_titled_matches(backend):
    assert len(_titled()) == TITLED
    assert backend.query(_query()).total == MATCHES


def test_below_the_limits_nothing_changes(backend, settings):
    """Order, totals and counts as when every match is ranked and counted
    (on SQLite the settings do not apply: the same assertions hold)."""
    exact = _pages(backend, _query())
    exact_counts = backend.query(_query()).facets
    settings.SEARCH_EXACT_LIMIT = MATCHES
    settings.SEARCH_RANK_CANDIDATES = MATCHES

    results = backend.query(_query())

    assert (results.total, results.approximate) == (MATCHES, False)
    assert results.facets == exact_counts
    assert _pages(backend, _query()) == exact
    assert exact[:TITLED] and set(exact[:TITLED]) == _titled()


@postgres_only
def test_beyond_the_exact_limit_the_total_says_more_than(backend, settings):
    settings.SEARCH_EXACT_LIMIT = 20

    results = backend.query(replace(_query(), page_size=10))

    assert (results.total, results.approximate, results.num_pages) == (20, True, 2)
    # The facets count the 21 matches read, not all 40.
    assert sum(results.facets["kind"].values()) == 21
    # Every page up to the limit can be read, each match once.
    keys = _pages(backend, _query())
    assert len(keys) == len(set(keys)) >= 20


@postgres_only
def test_titled_matches_keep_their_exact_order_beyond_the_limits(backend, settings):
    """Up to SEARCH_RANK_CANDIDATES of them, whether read or not."""
    exact = _pages(backend, _query())
    settings.SEARCH_EXACT_LIMIT = 10
    settings.SEARCH_RANK_CANDIDATES = TITLED

    bounded = backend.query(replace(_query(), page_size=10))

    assert bounded.approximate
    assert [hit.key for hit in bounded.hits][:TITLED] == exact[:TITLED]


@postgres_only
def test_few_rank_candidates_leave_the_counts_exact(backend, settings):
    exact = backend.query(_query())
    settings.SEARCH_RANK_CANDIDATES = 3

    bounded = backend.query(_query())

    assert (bounded.total, bounded.approximate) == (MATCHES, False)
    assert bounded.facets == exact.facets
    assert [hit.key for hit in bounded.hits][:TITLED] == [
        hit.key for hit in exact.hits
    ][:TITLED]


@postgres_only
def test_sorting_by_date_stays_exact_beyond_the_limit(backend, settings):
    exact = backend.query(_query(sort=SORT_DATE, page_size=10))
    settings.SEARCH_EXACT_LIMIT = 15

    bounded = backend.query(_query(sort=SORT_DATE, page_size=10))

    assert bounded.approximate
    assert [hit.key for hit in bounded.hits] == [hit.key for hit in exact.hits]


def test_facets_are_or_within_and_and_across(backend):
    """PostgreSQL answers the chosen values from their lexemes."""
    documents = {data.key: data for data in _documents()}

    def expected(kinds, topics):
        return sorted(
            key
            for key, data in documents.items()
            if data.kind in kinds and set(data.topics) & set(topics)
        )

    for kinds, topics in (
        (KINDS[:1], ("1",)),
        (KINDS, ("1", "3")),
        (KINDS[1:], ("2", "3")),
    ):
        query = _query(filters=Filters(kind=kinds, topic=topics))
        assert sorted(_pages(backend, query)) == expected(kinds, topics)


def test_a_facet_value_with_quotes_finds_nothing_and_fails_nothing(backend):
    for value in ("o'x", "a\\b", "x | y", "!"):
        results = backend.query(_query(filters=Filters(topic=(value,))))
        assert results.total == 0


@postgres_only
def test_match_rows_follow_writes_deletes_and_rebuilds(backend):
    def rows():
        return dict(
            SearchMatch.objects.filter(document__key__startswith="limits:")
            .values_list("document__key", "generation")
            .order_by()
        )

    assert rows() == dict.fromkeys((data.key for data in _documents()), 1)

    backend.delete(["limits:00"])
    assert "limits:00" not in rows()

    backend.reset()
    backend.index(_documents()[:5])
    backend.finish()
    assert rows() == dict.fromkeys((data.key for data in _documents()[:5]), 2)
    assert backend.query(_query()).total == 5


@postgres_only
def test_migration_fills_the_rows_of_documents_already_indexed(backend):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT document_id, CAST(vector AS TEXT), CAST(title_vector AS TEXT), "
            "CAST(filters AS TEXT), facet_keys FROM portal_search_searchmatch "
            "ORDER BY document_id"
        )
        written = cursor.fetchall()
    migration = importlib.import_module("search.migrations.0004_searchmatch")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {SearchMatch._meta.db_table}")  # noqa: S608

        cursor.execute(migration.FILL)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT document_id, CAST(vector AS TEXT), CAST(title_vector AS TEXT), "
            "CAST(filters AS TEXT), facet_keys FROM portal_search_searchmatch "
            "ORDER BY document_id"
        )
        assert cursor.fetchall() == written
    assert len(written) >= MATCHES


@pytest.fixture
def english(backend):
    """25 English documents for the English page (the Italian page's text
    depends on the catalogue)."""
    backend.index(
        [
            DocumentData(
                key=f"limits:en{number:02d}",
                kind=KINDS[number % 2],
                language="en",
                title=f"Employment desk {number}",
                text="employment desk opening hours",
                url=f"/en/limits/{number}/",
                topics=["1"],
            )
            for number in range(25)
        ]
    )


@postgres_only
def test_the_page_says_more_than_and_hides_the_facet_counts(client, english, settings):
    settings.SEARCH_EXACT_LIMIT = 20

    html = client.get("/en/search/", {"q": "employment desk"}).content.decode()

    assert "More than 20 results" in html
    assert "Add words or choose a filter" in html
    assert 'class="badge bg-light text-dark"' not in html
    assert 'name="kind"' in html  # the values are still offered


def test_the_page_counts_exactly_below_the_limit(client, english):
    html = client.get("/en/search/", {"q": "employment desk"}).content.decode()

    assert "25 results" in html
    assert "More than" not in html
    assert 'class="badge bg-light text-dark"' in html
