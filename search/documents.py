"""What each searchable thing looks like in the index (one ``DocumentData``).

Pages: live, without view restrictions, in their own language. Community threads
and posts: published and not deleted, carrying their group id so that every query
filters them by the visitor's readable groups (never only at indexing time).
"""

import datetime as dt
import html
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.rich_text import RichText
from wagtail.search import index

COMMUNITY_LANGUAGE = ""  # community discussions are shown on every language's site
MAX_TEXT_CHARS = 20_000
_DATE_FIELDS = ("date", "release_date", "start_date", "reference_date")


@dataclass
class DocumentData:
    """The normalised form every backend indexes."""

    key: str
    kind: str
    language: str
    title: str
    text: str
    url: str
    date: dt.date | None = None
    year: int | None = None
    group_id: int | None = None
    expires_at: dt.datetime | None = None
    topics: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    title_searchable: bool = True


def page_key(page_id: int) -> str:
    return f"page:{page_id}"


def thread_key(thread_id: int) -> str:
    return f"thread:{thread_id}"


def post_key(post_id: int) -> str:
    return f"post:{post_id}"


def _plain(value) -> str:
    """Text of a field, without tags and with entities decoded (``&#x27;`` → ``'``).

    Results escape it again when they are displayed, exactly once."""
    if isinstance(value, RichText):
        value = value.source
    return " ".join(html.unescape(strip_tags(str(value))).split())


def _page_text(page: Page) -> str:
    parts = []
    for search_field in page.get_search_fields():
        if not isinstance(search_field, index.SearchField):
            continue
        name = search_field.field_name
        if name == "title" or not hasattr(page, name):
            continue
        value = getattr(page, name)
        if not value:
            continue
        model_field = page._meta.get_field(name) if name in _concrete(page) else None
        if isinstance(model_field, StreamField):
            parts.extend(
                _plain(item)
                for item in model_field.stream_block.get_searchable_content(value)
            )
        else:
            parts.append(_plain(value))
    return " ".join(part for part in parts if part)[:MAX_TEXT_CHARS]


def _concrete(page: Page) -> set[str]:
    return {f.name for f in page._meta.get_fields() if hasattr(f, "attname")}


def _page_date(page: Page) -> dt.date | None:
    for name in _DATE_FIELDS:
        value = getattr(page, name, None)
        if isinstance(value, dt.date):
            return value.date() if isinstance(value, dt.datetime) else value
    when = page.first_published_at or page.last_published_at
    return timezone.localdate(when) if when else None


def _ids(page: Page, name: str) -> list[str]:
    manager = getattr(page, name, None)
    if manager is None or not hasattr(manager, "values_list"):
        return []
    return [str(pk) for pk in manager.values_list("pk", flat=True)]


def _regions(page: Page) -> list[str]:
    from portal.taxonomy.selectors import territory_map

    territories = territory_map()
    ids = [int(pk) for pk in _ids(page, "territories")]
    province_id = getattr(page, "province_id", None)
    if province_id:
        ids.append(province_id)
    codes = {territories[pk]["region_code"] for pk in ids if pk in territories}
    return sorted(codes)


def page_is_searchable(page: Page) -> bool:
    return page.live and page.depth > 1 and not page.get_view_restrictions().exists()


def page_document(page: Page) -> DocumentData | None:
    """The document for ``page``, or None if it must not be found."""
    page = page.specific
    if not page_is_searchable(page):
        return None
    url = page.get_url()
    if not url:
        return None
    when = _page_date(page)
    year_start = getattr(page, "year_start", None)
    return DocumentData(
        key=page_key(page.pk),
        kind=page.specific_class._meta.label_lower,
        language=page.locale.language_code,
        title=page.title,
        text=_page_text(page),
        url=url,
        date=when,
        year=year_start or (when.year if when else None),
        expires_at=page.expire_at,
        topics=_ids(page, "topics"),
        targets=_ids(page, "target_groups"),
        regions=_regions(page),
    )


def thread_document(thread) -> DocumentData | None:
    from community.models import PublicationStatus

    if thread.is_deleted or thread.status != PublicationStatus.PUBLISHED:
        return None
    first = (
        thread.posts.filter(status=PublicationStatus.PUBLISHED, is_deleted=False)
        .order_by("created_at", "pk")
        .first()
    )
    when = timezone.localdate(thread.created_at) if thread.created_at else None
    return DocumentData(
        key=thread_key(thread.pk),
        kind="community.thread",
        language=COMMUNITY_LANGUAGE,
        title=thread.title,
        text=_plain(first.body)[:MAX_TEXT_CHARS] if first else "",
        url=thread.get_absolute_url(),
        date=when,
        year=when.year if when else None,
        group_id=thread.group_id,
    )


def first_post_id(thread) -> int | None:
    return (
        thread.posts.order_by("created_at", "pk").values_list("pk", flat=True).first()
    )


def post_document(post, *, first_id: int | None = None) -> DocumentData | None:
    """A reply (the opening post is searched as its thread). Its title is the
    thread's, shown but not searched, so a title match finds the thread once."""
    from community.models import PublicationStatus

    thread = post.thread
    if first_id is None:
        first_id = first_post_id(thread)
    if (
        post.pk == first_id
        or post.is_deleted
        or post.status != PublicationStatus.PUBLISHED
        or thread.is_deleted
        or thread.status != PublicationStatus.PUBLISHED
    ):
        return None
    when = timezone.localdate(post.created_at) if post.created_at else None
    return DocumentData(
        key=post_key(post.pk),
        kind="community.post",
        language=COMMUNITY_LANGUAGE,
        title=Truncator(thread.title).chars(200),
        text=_plain(post.body)[:MAX_TEXT_CHARS],
        url=post.get_absolute_url(),
        date=when,
        year=when.year if when else None,
        group_id=thread.group_id,
        title_searchable=False,
    )


def community_language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]
