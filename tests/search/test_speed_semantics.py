"""What the embedded backend's faster paths must not change: the facet counts
(read on PostgreSQL from ``SearchDocument.facet_keys`` instead of the facet
values), the ranking (the same with and without facets, whichever plan the
database picks) and the title bonus."""

import importlib
import random
from collections import Counter

import pytest
from django.apps import apps

from search.backends.base import Filters, Query
from search.backends.database import DatabaseSearchBackend
from search.documents import DocumentData
from search.models import SearchDocument, SearchFacetValue
from search.query import query_stems

pytestmark = pytest.mark.django_db

WORDS = "lavoro tirocini formazione sportello rapporto giovani regione dati".split()
KINDS = ("practices.goodpracticepage", "projects.projectpage")


def _documents(count: int) -> list[DocumentData]:
    import datetime as dt

    rng = random.Random(5)  # noqa: S311 - repeatable test data
    documents = []
    for number in range(count):
        day = dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(2000))
        documents.append(
            DocumentData(
                key=f"speed:{number}",
                kind=rng.choice(KINDS),
                language="it",
                title=" ".join(rng.choices(WORDS, k=3)).capitalize(),
                text=" ".join(rng.choices(WORDS, k=12)),
                url=f"/speed/{number}/",
                date=day,
                year=day.year if number % 7 else None,
                topics=[str(rng.randrange(1, 4)), str(rng.randrange(1, 4))],
                targets=[str(rng.randrange(1, 3))],
                regions=[f"{rng.randrange(1, 4):02d}"] if number % 5 else [],
            )
        )
    return documents


def _query(text: str, **kwargs) -> Query:
    return Query(
        stems=tuple(query_stems(text, "it")), language="it", group_ids=(), **kwargs
    )


def _pages(backend, query: Query) -> list[str]:
    from dataclasses import replace

    keys, page = [], 1
    while True:
        results = backend.query(replace(query, page=page, page_size=7))
        keys += [hit.key for hit in results.hits]
        if page >= results.num_pages:
            return keys
        page += 1


def test_facet_keys_repeat_the_facet_values_once_each():
    backend = DatabaseSearchBackend()
    backend.index(_documents(30))

    for row in SearchDocument.objects.filter(key__startswith="speed:"):
        stored = sorted(
            f"{facet}={value}"
            for facet, value in SearchFacetValue.objects.filter(
                document=row
            ).values_list("facet", "value")
        )
        lines = row.facet_keys.split("\n") if row.facet_keys else []
        assert sorted(lines) == stored
        assert len(set(lines)) == len(lines)


def test_counts_are_those_of_the_matching_documents():
    backend = DatabaseSearchBackend()
    backend.index(_documents(60))
    query = _query("tirocini sportello")

    results = backend.query(query)

    matching = [
        row
        for row in SearchDocument.objects.filter(key__startswith="speed:")
        if {"tirocini", "sportello"} <= set(f"{row.title} {row.text}".lower().split())
    ]
    assert results.total == len(matching) > 0
    assert results.facets["kind"] == dict(Counter(row.kind for row in matching))
    assert results.facets["year"] == dict(
        Counter(str(row.year) for row in matching if row.year is not None)
    )
    values = Counter(
        SearchFacetValue.objects.filter(document__in=matching).values_list(
            "facet", "value"
        )
    )
    for facet in ("topic", "target", "region"):
        assert results.facets[facet] == {
            value: number for (name, value), number in values.items() if name == facet
        }


def test_ranking_is_the_same_with_and_without_a_facet():
    """Without facets the matches are ranked before the join with the
    documents; with a facet the database may start from the documents: the
    order of a kind's results must not depend on it."""
    backend = DatabaseSearchBackend()
    backend.index(_documents(60))
    for text in ("tirocini sportello", "rapporto", "giovani dati regione"):
        everything = _pages(backend, _query(text))
        for kind in KINDS:
            kinds = dict(
                SearchDocument.objects.filter(key__in=everything).values_list(
                    "key", "kind"
                )
            )
            narrowed = _pages(backend, _query(text, filters=Filters(kind=(kind,))))
            assert narrowed == [key for key in everything if kinds[key] == kind]


def test_title_bonus_needs_the_whole_term():
    """A title holding the stem inside another word gets no bonus."""
    backend = DatabaseSearchBackend()
    common = {"kind": KINDS[0], "language": "it", "text": "sportello orari"}
    backend.index(
        [
            DocumentData(
                key="speed:a", title="Minisportello comunale", url="/a/", **common
            ),
            DocumentData(key="speed:b", title="Ufficio comunale", url="/b/", **common),
            DocumentData(
                key="speed:c", title="Sportello comunale", url="/c/", **common
            ),
        ]
    )

    results = backend.query(_query("sportello"))

    # c has the bonus; a and b tie and the newer comes first.
    assert [hit.key for hit in results.hits] == ["speed:c", "speed:b", "speed:a"]


def test_migration_fills_facet_keys_of_existing_documents():
    backend = DatabaseSearchBackend()
    backend.index(_documents(10))
    expected = dict(
        SearchDocument.objects.filter(key__startswith="speed:").values_list(
            "key", "facet_keys"
        )
    )
    SearchDocument.objects.update(facet_keys="")
    migration = importlib.import_module(
        "search.migrations.0003_searchdocument_facet_keys_cover"
    )

    migration.facet_keys_fill(apps, None)

    filled = dict(
        SearchDocument.objects.filter(key__startswith="speed:").values_list(
            "key", "facet_keys"
        )
    )
    assert {key: sorted(value.split("\n")) for key, value in filled.items()} == {
        key: sorted(value.split("\n")) for key, value in expected.items()
    }
