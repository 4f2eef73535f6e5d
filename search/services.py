"""Writes on the search index and the query log."""

from collections.abc import Callable, Iterable, Iterator

from django.db import IntegrityError, transaction
from django.db.models import F, Min
from wagtail.models import Page

from .backends import index_backends
from .documents import (
    DocumentData,
    first_post_id,
    page_document,
    page_key,
    post_document,
    post_key,
    thread_document,
    thread_key,
)
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


def thread_index(*, thread_id: int) -> None:
    """Index a thread and its posts (a moved thread changes their group)."""
    from community.models import Post, Thread

    thread = Thread.objects.filter(pk=thread_id).first()
    if thread is None:
        documents_delete(keys=[thread_key(thread_id)])
        return
    posts = list(Post.objects.filter(thread=thread).select_related("thread"))
    first_id = first_post_id(thread)
    documents = [
        thread_document(thread),
        *(post_document(post, first_id=first_id) for post in posts),
    ]
    _apply(
        keys=[thread_key(thread.pk), *(post_key(post.pk) for post in posts)],
        documents=[doc for doc in documents if doc],
    )


def post_index(*, post_id: int) -> None:
    from community.models import Post

    post = Post.objects.filter(pk=post_id).select_related("thread").first()
    if post is None:
        documents_delete(keys=[post_key(post_id)])
        return
    if post.pk == first_post_id(post.thread):
        thread_index(thread_id=post.thread_id)  # the opening post is the thread's text
        return
    document = post_document(post)
    _apply(keys=[post_key(post.pk)], documents=[document] if document else [])


def all_documents(*, batch_size: int = 500) -> Iterator[list[DocumentData]]:
    """Every searchable document, in batches (for ``search_reindex``)."""
    ids = list(
        Page.objects.live()
        .filter(depth__gt=1)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), batch_size):
        pages = Page.objects.filter(pk__in=ids[start : start + batch_size]).specific()
        yield [doc for doc in (page_document(page) for page in pages) if doc]
    from community.models import Post, Thread

    firsts = set(
        Thread.objects.annotate(first=Min("posts__pk")).values_list("first", flat=True)
    )
    builders = (
        (Thread.objects.order_by("pk"), thread_document),
        (
            Post.objects.exclude(pk__in=firsts).select_related("thread").order_by("pk"),
            lambda post: post_document(post, first_id=0),
        ),
    )
    for queryset, build in builders:
        batch: list[DocumentData] = []
        for obj in queryset.iterator(chunk_size=batch_size):
            document = build(obj)
            if document:
                batch.append(document)
            if len(batch) >= batch_size:
                yield batch
                batch = []
        if batch:
            yield batch


def index_rebuild(
    *,
    batch_size: int = 500,
    progress: Callable[[int], None] | None = None,
    batches: Iterable[list[DocumentData]] | None = None,
) -> int:
    """Rebuild every backend's index from scratch; returns the documents indexed.

    Elasticsearch builds a new index and swaps the language alias at the end, so
    visitors search the old index until the new one is complete.
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
