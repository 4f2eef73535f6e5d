"""What each searchable thing looks like in the index (one ``DocumentData``).

Pages: live, without view restrictions, in their own language, with the text of
every ``SearchField`` their model declares, StreamField blocks and the rows of
``RelatedFields`` included. Other apps build their own documents and declare them
in their ``search.py`` (see ``registry``).
"""

import datetime as dt
import html
from dataclasses import dataclass, field

from django.utils import timezone, translation
from django.utils.html import strip_tags
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.rich_text import RichText
from wagtail.search import index

# The language of a document shown on every language's site (discussions).
ALL_LANGUAGES = ""
MAX_TEXT_CHARS = 20_000
MAX_RELATED_ROWS = 500
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
    # Searched like the text but never shown (place names, the type's name).
    keywords: str = ""

    def searchable_text(self) -> str:
        return f"{self.text} {self.keywords}" if self.keywords else self.text


def page_key(page_id: int) -> str:
    return f"page:{page_id}"


def plain_text(value) -> str:
    """Text of a field, without tags and with entities decoded (``&#x27;`` → ``'``).

    Results escape it again when they are displayed, exactly once."""
    if isinstance(value, RichText):
        value = value.source
    return " ".join(html.unescape(strip_tags(str(value))).split())


def _field_text(obj, search_fields) -> list[str]:
    """The text of ``obj``'s ``SearchField``s and, through ``RelatedFields``, of
    its related rows (a monitoring page's actions, a practice's topics)."""
    parts: list[str] = []
    for search_field in search_fields:
        name = search_field.field_name
        if isinstance(search_field, index.RelatedFields):
            parts.extend(_related_text(obj, name, search_field.fields))
            continue
        if not isinstance(search_field, index.SearchField) or name == "title":
            continue
        value = getattr(obj, name, None)
        if callable(value):
            value = value()
        if not value:
            continue
        model_field = obj._meta.get_field(name) if name in _concrete(obj) else None
        if isinstance(model_field, StreamField):
            parts.extend(
                plain_text(item)
                for item in model_field.stream_block.get_searchable_content(value)
            )
        else:
            parts.append(plain_text(value))
    return parts


def _related_text(obj, name: str, fields) -> list[str]:
    related = getattr(obj, name, None)
    if related is None:
        return []
    if hasattr(related, "all"):
        parts: list[str] = []
        for row in related.all()[:MAX_RELATED_ROWS]:
            parts.extend(_field_text(row, fields))
        return parts
    return _field_text(related, fields)


def _page_text(page: Page) -> str:
    parts = _field_text(page, page.get_search_fields())
    return " ".join(part for part in parts if part)[:MAX_TEXT_CHARS]


def _concrete(obj) -> set[str]:
    return {f.name for f in obj._meta.get_fields() if hasattr(f, "attname")}


def _page_date(page: Page) -> dt.date | None:
    """The date the page declares (``search_date_field``), else its own date
    field if it has one; a page without a date of its own gets none (an index
    page is not "from" the day it was published)."""
    declared = getattr(page, "search_date_field", None)
    names = (declared,) if declared else _DATE_FIELDS
    for name in names:
        value = getattr(page, name, None)
        if isinstance(value, dt.datetime):
            return timezone.localdate(value)
        if isinstance(value, dt.date):
            return value
    return None


def _ids(page: Page, name: str) -> list[str]:
    manager = getattr(page, name, None)
    if manager is None or not hasattr(manager, "values_list"):
        return []
    return [str(pk) for pk in manager.values_list("pk", flat=True)]


def _places(page: Page) -> list[dict[str, str]]:
    """The territories a page is about (its territories, its province)."""
    from portal.taxonomy.selectors import territory_map

    territories = territory_map()
    ids = [int(pk) for pk in _ids(page, "territories")]
    province_id = getattr(page, "province_id", None)
    if province_id:
        ids.append(province_id)
    return [territories[pk] for pk in ids if pk in territories]


def _context_text(page: Page, places: list[dict[str, str]]) -> str:
    """Words a person uses for a page that its own text may lack: the names of
    its places and their regions ("Sicilia" for the observatory of Palermo) and
    its type ("Newsletter" for an issue), in the page's language."""
    names = dict.fromkeys(
        name for place in places for name in (place["name"], place["region_name"])
    )
    with translation.override(page.locale.language_code):
        label = str(page.specific_class._meta.verbose_name)
    return " ".join([*names, label])


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
    places = _places(page)
    return DocumentData(
        key=page_key(page.pk),
        kind=page.specific_class._meta.label_lower,
        language=page.locale.language_code,
        title=page.title,
        text=_page_text(page),
        keywords=_context_text(page, places),
        url=url,
        date=when,
        year=year_start or (when.year if when else None),
        expires_at=page.expire_at,
        topics=_ids(page, "topics"),
        targets=_ids(page, "target_groups"),
        regions=sorted({place["region_code"] for place in places}),
    )
