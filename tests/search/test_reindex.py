"""A full rebuild of the index leaves no gap: visitors search the old index until
the new one is complete, and changes made meanwhile survive the swap."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.http import QueryDict
from wagtail.search.models import IndexEntry

from search.backends import elastic_backend
from search.models import SearchDocument, SearchIndexState
from search.selectors import site_search
from search.services import all_documents, index_rebuild

from .test_search import add_page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_backend")]


def titles(query: str) -> set[str]:
    outcome = site_search(
        user=AnonymousUser(), query=query, params=QueryDict(), language="it"
    )
    return {hit.title for hit in outcome.results.hits} if outcome.results else set()


def paused(action, *, stale: bool = False):
    """The rebuild's batches (two documents each), calling ``action`` once the
    first batch is written. ``stale``: every batch is read before ``action``, as
    a rebuild that read a document before a visitor changed it."""
    batches = list(all_documents(batch_size=2)) if stale else None

    def generate():
        for number, batch in enumerate(batches or all_documents(batch_size=2)):
            yield batch
            if number == 0:
                action()

    return generate()


class Interrupted(Exception):
    pass


@pytest.fixture
def pages(tree):
    return {
        name: add_page(tree.home, f"Quokka {name}", "Sportello quokka")
        for name in ("alfa", "beta", "gamma")
    }


def test_search_answers_in_full_during_a_rebuild(pages):
    everything = {"Quokka alfa", "Quokka beta", "Quokka gamma"}
    assert titles("quokka") == everything
    seen = {}

    count = index_rebuild(batches=paused(lambda: seen.update(during=titles("quokka"))))

    assert count > 3
    assert seen["during"] == everything
    assert titles("quokka") == everything


def test_changes_made_during_a_rebuild_survive_the_swap(tree, pages):
    seen = {}

    def edit():
        pages["alfa"].unpublish()
        beta = pages["beta"]
        beta.title = "Quokka beta rinnovato"
        beta.save_revision().publish()
        add_page(tree.home, "Quokka delta", "Pubblicata durante la ricostruzione")
        seen["during"] = titles("quokka")

    # The rebuild read every page before the changes: its copies are older.
    index_rebuild(batches=paused(edit, stale=True))

    changed = {"Quokka beta rinnovato", "Quokka gamma", "Quokka delta"}
    assert seen["during"] == changed
    assert titles("quokka") == changed
    assert titles("rinnovato") == {"Quokka beta rinnovato"}


def test_an_interrupted_rebuild_leaves_search_intact_and_the_next_cleans_up(
    search_backend, tree, pages
):
    everything = {"Quokka alfa", "Quokka beta", "Quokka gamma"}

    def crash():
        raise Interrupted

    with pytest.raises(Interrupted):
        index_rebuild(batches=paused(crash))

    assert titles("quokka") == everything
    # Changes keep reaching visitors while the broken rebuild is recorded.
    add_page(tree.home, "Quokka delta", "Dopo l'interruzione")
    everything.add("Quokka delta")
    assert titles("quokka") == everything
    if search_backend == "elasticsearch":
        backend = elastic_backend()
        state = SearchIndexState.objects.get(backend=backend.state_name())
        abandoned = list(state.indices.values())
        assert abandoned

    index_rebuild()

    assert titles("quokka") == everything
    if search_backend == "elasticsearch":
        for index in abandoned:
            assert not backend.client.indices.exists(index=index)
    state = SearchIndexState.objects.get(backend="database")
    assert state.building is None
    generations = set(SearchDocument.objects.values_list("generation", flat=True))
    assert generations == {state.live}
    entries = IndexEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(SearchDocument)
    )
    assert entries.count() == SearchDocument.objects.count()


def test_a_rebuild_superseded_by_another_does_not_swap(pages):
    from search.backends.database import DatabaseSearchBackend, RebuildSuperseded

    first, second = DatabaseSearchBackend(), DatabaseSearchBackend()
    first.reset()
    second.reset()
    batch = next(all_documents(batch_size=2))

    with pytest.raises(RebuildSuperseded):
        first.index(batch)
    with pytest.raises(RebuildSuperseded):
        first.finish()
    assert titles("quokka") == {"Quokka alfa", "Quokka beta", "Quokka gamma"}
