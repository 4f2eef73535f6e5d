"""Writes on the search index and the query log."""

from collections.abc import Callable, Iterable, Iterator

from django.db import IntegrityError, transaction
from django.db.models import F
from wagtail.models import Page

from portal import pagecache

from . import registry
from .backends import index_backends
from .documents import DocumentData, page_document, page_key
from .models import QueryLog
from .query import normalise_query


def _apply(*, keys: list[str], documents: list[DocumentData]) -> None:
    present = {data.key for data in documents}
    gone = [key for key in keys if key not in present]
    for backend in index_backends():
        if gone:
            backend.delete(gone)
        if documents:
            backend.index(documents)
    # Search result pages cached for visitors now answer differently.
    pagecache.invalidate()


def pages_index(*, page_ids: list[int]) -> None:
    """Index these pages as they are now (remove the ones no longer searchable)."""
    pages = Page.objects.filter(pk__in=page_ids).specific()
    documents = [doc for doc in (page_document(page) for page in pages) if doc]
    _apply(keys=[page_key(pk) for pk in page_ids], documents=documents)


def page_subtree_index(*, page_id: int) -> None:
    """Re-index a page and its descendants (after a move or a new restriction)."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return
    ids = list(
        Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True)
    )
    for start in range(0, len(ids), 200):
        pages_index(page_ids=ids[start : start + 200])


def documents_delete(*, keys: list[str]) -> None:
    _apply(keys=keys, documents=[])


def source_index(*, model: str, pks: list[int]) -> None:
    """Index these rows of a registered model (``registry``) as they are now."""
    source = registry.source_for(model)
    if source is None:
        return
    update = source.update(pks)
    _apply(keys=update.keys, documents=update.documents)


def all_documents(*, batch_size: int = 500) -> Iterator[list[DocumentData]]:
    """Every searchable document, in batches (for ``search_reindex``): the
    pages, then what each app registered."""
    ids = list(
        Page.objects.live()
        .filter(depth__gt=1)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), batch_size):
        pages = Page.objects.filter(pk__in=ids[start : start + batch_size]).specific()
        yield [doc for doc in (page_document(page) for page in pages) if doc]
    for source in registry.sources():
        yield from source.documents(batch_size)


def index_rebuild(
    *,
    batch_size: int = 500,
    progress: Callable[[int], None] | None = None,
    batches: Iterable[list[DocumentData]] | None = None,
) -> int:
    """Rebuild every backend's index from scratch; returns the documents indexed.

    Each backend builds the new index beside the live one (a new generation of
    rows, new Elasticsearch indices) and switches to it at the end, so visitors
    search the old index until the new one is complete; changes made meanwhile
    (by the task worker) reach both and survive the switch. If the rebuild stops
    half way, the live index is untouched and the next rebuild clears the rest.
    """
    backends = index_backends()
    for backend in backends:
        backend.reset()
    count = 0
    for batch in (
        batches if batches is not None else all_documents(batch_size=batch_size)
    ):
        for backend in backends:
            backend.index(batch)
        count += len(batch)
        if progress:
            progress(count)
    for backend in backends:
        backend.finish()
    pagecache.invalidate()
    return count


def query_log_record(*, query: str, language: str, result_count: int) -> None:
    """Count one search of ``query`` (normalised) and remember its result count."""
    normalised = normalise_query(query)
    if not normalised:
        return
    updated = QueryLog.objects.filter(query=normalised, language=language).update(
        hits=F("hits") + 1, last_result_count=result_count
    )
    if updated:
        return
    try:
        with transaction.atomic():
            QueryLog.objects.create(
                query=normalised,
                language=language,
                hits=1,
                last_result_count=result_count,
            )
    except IntegrityError:  # created by a concurrent request meanwhile
        QueryLog.objects.filter(query=normalised, language=language).update(
            hits=F("hits") + 1, last_result_count=result_count
        )
