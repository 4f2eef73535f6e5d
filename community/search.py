"""What the community contributes to the portal's search: its groups, published
threads (their opening post is their text) and published replies, each carrying
its group's id. Which groups a visitor may read is asked at every query
(``register_access``), so nothing private is decided at indexing time.

Discussions are shown on every language's site (``ALL_LANGUAGES``).
"""

from collections.abc import Iterator, Sequence

from django.db.models import Min
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from search.documents import ALL_LANGUAGES, MAX_TEXT_CHARS, DocumentData, plain_text
from search.registry import Kind, Source, Update, register, register_access

from .models import Group, Post, PublicationStatus, Thread
from .selectors import group_ids_readable

GROUP = Kind("community.group", _("Community group"))
THREAD = Kind("community.thread", _("Discussion"))
POST = Kind("community.post", _("Reply in a discussion"))


def group_key(group_id: int) -> str:
    return f"group:{group_id}"


def group_document(group: Group) -> DocumentData:
    """A group, found by its name and description by whoever may see it."""
    return DocumentData(
        key=group_key(group.pk),
        kind=GROUP.value,
        language=ALL_LANGUAGES,
        title=group.name,
        text=plain_text(group.description)[:MAX_TEXT_CHARS],
        url=group.get_absolute_url(),
        group_id=group.pk,
    )


def groups_update(group_ids: Sequence[int]) -> Update:
    return Update(
        keys=[group_key(pk) for pk in group_ids],
        documents=[group_document(g) for g in Group.objects.filter(pk__in=group_ids)],
    )


def group_documents(batch_size: int) -> Iterator[list[DocumentData]]:
    yield from _batched(Group.objects.order_by("pk"), group_document, batch_size)


def thread_key(thread_id: int) -> str:
    return f"thread:{thread_id}"


def post_key(post_id: int) -> str:
    return f"post:{post_id}"


def _published(queryset):
    return queryset.filter(status=PublicationStatus.PUBLISHED, is_deleted=False)


def _first_post_id(thread: Thread) -> int | None:
    return (
        thread.posts.order_by("created_at", "pk").values_list("pk", flat=True).first()
    )


def _date(moment):
    return timezone.localdate(moment) if moment else None


def thread_document(thread: Thread) -> DocumentData | None:
    """A published thread, found by its title and its opening post."""
    if thread.is_deleted or thread.status != PublicationStatus.PUBLISHED:
        return None
    first = _published(thread.posts).order_by("created_at", "pk").first()
    when = _date(thread.created_at)
    return DocumentData(
        key=thread_key(thread.pk),
        kind=THREAD.value,
        language=ALL_LANGUAGES,
        title=thread.title,
        text=plain_text(first.body)[:MAX_TEXT_CHARS] if first else "",
        url=thread.get_absolute_url(),
        date=when,
        year=when.year if when else None,
        group_id=thread.group_id,
    )


def post_document(post: Post, *, first_id: int | None = None) -> DocumentData | None:
    """A reply (the opening post is searched as its thread). Its title is the
    thread's, shown but not searched, so a title match finds the thread once."""
    thread = post.thread
    if first_id is None:
        first_id = _first_post_id(thread)
    if (
        post.pk == first_id
        or post.is_deleted
        or post.status != PublicationStatus.PUBLISHED
        or thread.is_deleted
        or thread.status != PublicationStatus.PUBLISHED
    ):
        return None
    when = _date(post.created_at)
    return DocumentData(
        key=post_key(post.pk),
        kind=POST.value,
        language=ALL_LANGUAGES,
        title=Truncator(thread.title).chars(200),
        text=plain_text(post.body)[:MAX_TEXT_CHARS],
        url=post.get_absolute_url(),
        date=when,
        year=when.year if when else None,
        group_id=thread.group_id,
        title_searchable=False,
    )


def threads_update(thread_ids: Sequence[int]) -> Update:
    """A thread and all its posts (a moved or hidden thread changes them all)."""
    update = Update(keys=[thread_key(pk) for pk in thread_ids])
    for thread in Thread.objects.filter(pk__in=thread_ids).select_related("group"):
        posts = list(thread.posts.select_related("thread__group").order_by("pk"))
        first_id = _first_post_id(thread)
        update.keys.extend(post_key(post.pk) for post in posts)
        candidates = [
            thread_document(thread),
            *(post_document(post, first_id=first_id) for post in posts),
        ]
        update.documents.extend(doc for doc in candidates if doc)
    return update


def posts_update(post_ids: Sequence[int]) -> Update:
    """Replies as they are now; an opening post re-indexes its thread."""
    update = Update(keys=[post_key(pk) for pk in post_ids])
    posts = Post.objects.filter(pk__in=post_ids).select_related("thread__group")
    openers = []
    for post in posts:
        first_id = _first_post_id(post.thread)
        if post.pk == first_id:
            openers.append(post.thread_id)
            continue
        document = post_document(post, first_id=first_id)
        if document:
            update.documents.append(document)
    if openers:
        threads = threads_update(openers)
        update.keys.extend(threads.keys)
        update.documents.extend(threads.documents)
    return update


def _batched(queryset, build, batch_size: int) -> Iterator[list[DocumentData]]:
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


def thread_documents(batch_size: int) -> Iterator[list[DocumentData]]:
    threads = Thread.objects.select_related("group").order_by("pk")
    yield from _batched(threads, thread_document, batch_size)


def post_documents(batch_size: int) -> Iterator[list[DocumentData]]:
    firsts = set(
        Thread.objects.annotate(first=Min("posts__pk")).values_list("first", flat=True)
    )
    replies = (
        Post.objects.exclude(pk__in=firsts)
        .select_related("thread__group")
        .order_by("pk")
    )
    yield from _batched(
        replies, lambda post: post_document(post, first_id=0), batch_size
    )


register(
    Source(
        model=Group,
        kinds=(GROUP,),
        update=groups_update,
        documents=group_documents,
        deleted_keys=lambda pk: [group_key(pk)],
    )
)
register(
    Source(
        model=Thread,
        kinds=(THREAD,),
        update=threads_update,
        documents=thread_documents,
        deleted_keys=lambda pk: [thread_key(pk)],
    )
)
register(
    Source(
        model=Post,
        kinds=(POST,),
        update=posts_update,
        documents=post_documents,
        deleted_keys=lambda pk: [post_key(pk)],
    )
)
register_access(lambda user: group_ids_readable(user=user))
