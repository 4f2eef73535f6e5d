"""The home page's content: what the editors chose and what fills itself.

Declare, don't import: an app that has something new to show on the home
declares it in its own ``home.py`` as ``HOME_SECTIONS``, a list of
``HomeSection``, found at start-up the way Django finds ``admin.py``; the
portal imports no app for it (see ``portal/practices/home.py``,
``community/home.py``).

Each section's ``items(locale_id=..., limit=...)`` answers in ONE query, in the
home's language, and reads only what everybody may read: the home is the same
for every visitor (anonymous visitors get it from the page cache, which moves
to a new generation on every publish and community write). A section without
items is left out.

The rest of the home costs a fixed number of queries whatever the number of
sections, items and page types: one for the home's children (the table of
contents, and the index each section links to), one for the pages the editors
chose (highlighted items and the call to action, in the home's language when
translated). Page summaries come in the same query (``with_summary``), not one
query per page type as ``.specific()`` would cost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import import_module

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.utils.functional import Promise
from django.utils.module_loading import module_has_submodule
from wagtail.models import Page, PageViewRestriction

# Page fields a card needs (its link comes from ``url_path``).
CARD_FIELDS = ("id", "title", "url_path", "path", "depth", "locale_id", "live")


@dataclass(frozen=True)
class HomeSection:
    """Something new the home shows, declared by the app that owns it.

    ``items(locale_id=..., limit=...)`` returns at most ``limit`` things in one
    query; ``template`` renders them (it gets ``section`` and ``items``). The
    section links to ``index_url()`` or, without one, to the home's child that
    holds its first item (the practices' index for a practice).
    """

    key: str
    title: Promise | str
    more_label: Promise | str
    template: str
    items: Callable[..., list]
    limit: int = 3
    order: int = 100
    index_url: Callable[[], str] | None = None


@dataclass(frozen=True)
class FilledSection:
    section: HomeSection
    items: list
    index_url: str


@dataclass(frozen=True)
class Highlight:
    """A chosen page as the home shows it: the editors' words or the page's."""

    title: str
    text: str
    url: str
    # The language of the page's own words where they are shown (a page not
    # yet translated); "" where the editors' words (in the home's language) are.
    title_language: str = ""
    text_language: str = ""
    # The language of the linked page when it is not the home's.
    link_language: str = ""


def public(queryset: QuerySet, *, annotate: bool = False) -> QuerySet:
    """Pages outside every private section, in the same query (Wagtail's
    ``.public()`` reads the restrictions first, one more query each time).
    With ``annotate``, every page is kept and says so in ``is_public``."""
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, F("page__depth") * Page.steplen)
    )
    if annotate:
        return queryset.annotate(is_public=~Exists(restricted))
    return queryset.filter(~Exists(restricted))


def visible(queryset: QuerySet, *, locale_id: int) -> QuerySet:
    """Live, public pages in the home's language."""
    return public(queryset.filter(live=True, locale_id=locale_id))


@cache
def _summary_relations() -> tuple[str, ...]:
    """The reverse links from Page to each page type that has a ``summary``."""
    names = []
    for model in apps.get_models():
        link = model._meta.parents.get(Page)
        if link is None or not issubclass(model, Page):
            continue
        if any(field.name == "summary" for field in model._meta.concrete_fields):
            names.append(link.remote_field.get_accessor_name())
    return tuple(sorted(names))


def with_summary(queryset: QuerySet[Page], *fields: str) -> QuerySet[Page]:
    """Plain pages with their type's ``summary`` joined in (``summary_of``),
    and only the fields a card needs (plus ``fields``)."""
    relations = _summary_relations()
    return queryset.select_related(*relations).only(
        *CARD_FIELDS,
        "show_in_menus",
        "translation_key",
        *fields,
        *(f"{name}__summary" for name in relations),
    )


def summary_of(page: Page) -> str:
    """The summary loaded by ``with_summary``, without a query."""
    for name in _summary_relations():
        try:
            specific = getattr(page, name)
        except ObjectDoesNotExist:
            continue
        return specific.summary or ""
    return ""


@cache
def declared_sections() -> tuple[HomeSection, ...]:
    """Every installed app's ``home.HOME_SECTIONS``, in their ``order``."""
    found: list[HomeSection] = []
    for config in apps.get_app_configs():
        if config.name == "portal" or not module_has_submodule(config.module, "home"):
            continue
        found.extend(getattr(import_module(f"{config.name}.home"), "HOME_SECTIONS", ()))
    return tuple(sorted(found, key=lambda section: (section.order, section.key)))


def _chosen_pages(page, ids: list[int]) -> dict[int, Page]:
    """Each chosen page id -> the page to link: its translation in the home's
    language when there is a live, public one, else the chosen page itself if it
    is live and public (else nothing). One query."""
    if not ids:
        return {}
    keys = Page.objects.filter(pk__in=ids).values("translation_key")
    candidates = with_summary(
        Page.objects.filter(translation_key__in=keys).filter(
            Q(locale_id=page.locale_id, live=True) | Q(pk__in=ids)
        ),
        "locale__language_code",
    ).select_related("locale")
    chosen: dict[int, Page] = {}
    translated: dict = {}
    for candidate in public(candidates, annotate=True):
        if candidate.pk in ids:
            chosen[candidate.pk] = candidate
        if (
            candidate.locale_id == page.locale_id
            and candidate.live
            and candidate.is_public
        ):
            translated[candidate.translation_key] = candidate
    found = {}
    for pk, source in chosen.items():
        target = translated.get(source.translation_key)
        if target is None and source.live and source.is_public:
            target = source
        if target is not None:
            found[pk] = target
    return found


def _highlights_and_link(page, request) -> tuple[list[Highlight], Highlight | None]:
    # The raw values: reading ``page.highlights`` as blocks would fetch the
    # chosen pages again, one query per page type.
    items = [
        item["value"]
        for item in page.highlights.raw_data
        if item["type"] == "item" and item["value"].get("page")
    ]
    ids = [int(item["page"]) for item in items]
    if page.hero_link_page_id:
        ids.append(page.hero_link_page_id)
    chosen = _chosen_pages(page, ids)
    highlights = []
    for item in items:
        target = chosen.get(int(item["page"]))
        if target is None:
            continue  # deleted, unpublished or made private since it was chosen
        title = (item.get("title") or "").strip()
        text = (item.get("text") or "").strip()
        language = target.locale.language_code
        other = language if target.locale_id != page.locale_id else ""
        highlights.append(
            Highlight(
                title=title or target.title,
                text=text or summary_of(target),
                url=target.get_url(request) or "",
                title_language="" if title else language,
                text_language="" if text else language,
                link_language=other,
            )
        )
    link = None
    target = chosen.get(page.hero_link_page_id)
    if target is not None and page.hero_link_text:
        link = Highlight(
            title=page.hero_link_text,
            text="",
            url=target.get_url(request) or "",
            link_language=(
                target.locale.language_code
                if target.locale_id != page.locale_id
                else ""
            ),
        )
    return highlights, link


def _index_url(items: list, children: list[Page], request) -> str:
    path = getattr(items[0], "path", "")
    for child in children:
        if path.startswith(child.path):
            return child.get_url(request) or ""
    return ""


def home_context(*, page, request=None) -> dict:
    """What ``home_page.html`` shows besides the page's own fields."""
    children = list(with_summary(public(page.get_children().live())).order_by("path"))
    highlights, hero_link = _highlights_and_link(page, request)
    filled = []
    for section in declared_sections():
        items = list(section.items(locale_id=page.locale_id, limit=section.limit))
        if not items:
            continue
        url = (
            section.index_url()
            if section.index_url
            else _index_url(items, children, request)
        )
        filled.append(FilledSection(section=section, items=items, index_url=url))
    return {
        "sections": [
            {"page": child, "summary": summary_of(child)}
            for child in children
            if child.show_in_menus
        ],
        "highlights": highlights,
        "hero_link": hero_link,
        "home_sections": filled,
    }
