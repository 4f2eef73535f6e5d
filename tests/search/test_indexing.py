from io import StringIO

import pytest
from django.core.management import call_command

from portal.models import StandardPage
from search import signals
from search.models import SearchDocument, SearchFacetValue
from search.query import analyse, normalise_query, query_stems, query_terms
from search.suggest import closest, did_you_mean

pytestmark = pytest.mark.django_db


def test_changes_are_indexed_after_the_commit(
    tree, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(signals, "_on_commit", signals.transaction.on_commit)
    page = StandardPage(title="Calendario degli sportelli")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tree.home.add_child(instance=page)
        page.save_revision().publish()
        assert not SearchDocument.objects.filter(key=f"page:{page.pk}").exists()

    assert callbacks
    assert SearchDocument.objects.filter(key=f"page:{page.pk}").exists()


def test_unpublish_move_and_delete_update_the_index(tree):
    page = StandardPage(title="Calendario degli sportelli")
    tree.home.add_child(instance=page)
    page.save_revision().publish()
    key = f"page:{page.pk}"

    page.move(tree.section, pos="last-child")
    assert SearchDocument.objects.get(key=key).url == (
        "/buone-pratiche/calendario-degli-sportelli/"
    )
    page.refresh_from_db()
    page.unpublish()
    assert not SearchDocument.objects.filter(key=key).exists()
    page.save_revision().publish()
    assert SearchDocument.objects.filter(key=key).exists()
    page.delete()
    assert not SearchDocument.objects.filter(key=key).exists()


def test_reindex_command_rebuilds_in_batches(tree):
    SearchDocument.objects.all().delete()
    out = StringIO()

    call_command("search_reindex", "--batch-size", "2", stdout=out)

    assert "indexed 2 documents" in out.getvalue()
    assert "Search index rebuilt" in out.getvalue()
    assert SearchDocument.objects.filter(key=f"page:{tree.section.pk}").exists()
    assert SearchFacetValue.objects.count() == 0  # plain pages have no facets


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("attività", "attivita"),
        ("Osservatori", "osservatorio"),
        ("pratiche", "pratica"),
        ("servizi", "servizio"),
    ],
)
def test_italian_analysis_folds_accents_and_plurals(a, b):
    assert analyse(a, "it") == analyse(b, "it")


def test_english_analysis_folds_plurals():
    assert analyse("Practices", "en") == analyse("practice", "en")


@pytest.mark.parametrize(
    "raw", ["x" * 10_000, "(" * 5000, '"' * 5000 + "a", "a*" * 5000, "::" * 5000]
)
def test_query_parsing_is_bounded(raw):
    assert len(query_terms(raw)) <= 12
    assert len(query_stems(raw, "it")) <= 12
    assert len(normalise_query(raw)) <= 200


@pytest.mark.parametrize(
    ("a", "b", "language"),
    [
        ("disabilità", "disabili", "it"),
        ("osservatorio", "Osservatori", "it"),
        ("pratica", "pratiche", "it"),
        ("policy", "policies", "en"),
        ("disability", "disabilities", "en"),
    ],
)
def test_word_forms_share_a_stem(a, b, language):
    assert analyse(a, language) == analyse(b, language)


def test_stop_words_and_elisions_are_not_searched_unless_alone():
    assert query_stems("dell'osservatorio di Bari", "it") == ["osservator", "bar"]
    assert query_stems("il la", "it") == ["il", "la"]
    assert analyse("The observatory of the region", "en") == ["observatory", "region"]


def test_closest_word_allows_more_edits_for_longer_words():
    known = {"sportello": 3, "sportelli": 9, "osservatorio": 4, "observatory": 2}
    assert closest("sportelo", known) == "sportello"  # one edit beats two
    assert closest("sportellx", {"sportello": 1, "sportelli": 5}) == "sportelli"
    assert closest("observatry", known) == "observatory"
    assert closest("pratihce", {"pratiche": 1}) == "pratiche"
    assert closest("xyz", known) is None
    assert closest("a" * 50, {"b" * 50: 1}) is None


def test_did_you_mean_uses_public_titles_only(tree):
    SearchDocument.objects.create(
        key="thread:999",
        kind="community.thread",
        language="it",
        title="Segretissimo",
        url="/x/",
        group_id=1,
    )

    assert did_you_mean(["segretisimo"], "it") == ""
    assert did_you_mean(["pratihce"], "it") == "pratiche"


def test_elasticsearch_reindex_swaps_the_language_alias(
    client, tree, settings, request
):
    pytest.importorskip("osmem_server")
    clone = request.getfixturevalue("osmem_clone")
    settings.ELASTICSEARCH_URL = clone.url
    settings.SEARCH_ELASTICSEARCH_REFRESH = True
    settings.SEARCH_ELASTICSEARCH_PLAIN_JSON = True
    from search.backends import elastic_backend

    backend = elastic_backend()
    backend.ensure_indices()
    before = set(backend.client.indices.get_alias(name="esplora-it").body)

    call_command("search_reindex", stdout=StringIO())

    after = set(backend.client.indices.get_alias(name="esplora-it").body)
    assert after and after.isdisjoint(before)
    assert not backend.client.indices.exists(index=",".join(before))
    html = client.get("/cerca/", {"q": "pratiche"}).content.decode()
    assert 'href="/buone-pratiche/"' in html
    count = backend.client.count(index="esplora-it")["count"]
    assert count == SearchDocument.objects.filter(language="it").count()


def test_entities_in_rich_text_are_indexed_as_text():
    from search.documents import plain_text as _plain

    assert _plain("<p>servizi per l&#x27;impiego &amp; lavoro</p>") == (
        "servizi per l'impiego & lavoro"
    )


def test_postgresql_index_entries_are_the_ones_wagtail_writes():
    """The embedded backend writes its PostgreSQL index entries itself (one
    INSERT ... SELECT); they must stay what Wagtail's own indexer writes."""
    from django.db import connection
    from wagtail.search.models import IndexEntry

    from search.backends.database import DatabaseSearchBackend
    from search.documents import DocumentData

    if connection.vendor != "postgresql":
        pytest.skip("the entries are written by Wagtail itself on SQLite")
    backend = DatabaseSearchBackend()
    backend.index(
        [
            DocumentData(
                key="test:1",
                kind="portal.standardpage",
                language="it",
                title="Attività degli Osservatori",
                text="Rapporto annuale sui tirocini e l'apprendistato",
                url="/uno/",
            ),
            DocumentData(
                key="test:2",
                kind="community.post",
                language="",
                title="Risposta",
                text="Grazie, provo subito",
                url="/due/",
                title_searchable=False,
            ),
            DocumentData(
                key="test:3",
                kind="portal.standardpage",
                language="it",
                title="",
                text="",
                url="/tre/",
            ),
        ]
    )
    rows = list(SearchDocument.objects.filter(key__startswith="test:"))
    entries = IndexEntry.objects.filter(
        object_id__in=[str(row.pk) for row in rows]
    ).order_by("object_id")
    columns = ("object_id", "title", "autocomplete", "body", "title_norm")
    columns += ("title_text", "body_text")
    ours = list(entries.values_list(*columns))

    entries.delete()
    backend.wagtail.add_bulk(SearchDocument, rows)

    assert len(ours) == 3
    assert ours == list(entries.values_list(*columns))


def test_replaced_and_deleted_documents_leave_no_entries_behind():
    from django.contrib.contenttypes.models import ContentType
    from wagtail.search.models import IndexEntry

    from search.backends.base import Query
    from search.backends.database import DatabaseSearchBackend
    from search.documents import DocumentData

    backend = DatabaseSearchBackend()

    def document(text):
        return DocumentData(
            key="test:1",
            kind="portal.standardpage",
            language="it",
            title="Sportello",
            text=text,
            url="/uno/",
            topics=["3"],
        )

    def found(word):
        return backend.query(Query(stems=(word,), language="it", group_ids=())).total

    backend.index([document("tirocini")])
    backend.index([document("apprendistato")])  # replaces the first

    row = SearchDocument.objects.get(key="test:1")
    entries = IndexEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(SearchDocument),
        object_id=str(row.pk),
    )
    assert entries.count() == 1
    assert SearchFacetValue.objects.filter(document=row).count() == 1
    assert (found("tirocin"), found("apprendistat")) == (0, 1)

    backend.delete(["test:1", "test:unknown"])

    assert not SearchDocument.objects.filter(key="test:1").exists()
    assert not entries.exists()
    assert not SearchFacetValue.objects.exists()
    assert found("apprendistat") == 0
