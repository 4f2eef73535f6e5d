"""What a visitor may find: live public pages of the visitor's language and the
restricted documents (community discussions) the visitor may read, asked of the
registered access providers (``registry.readable_group_ids``) on every query."""

from dataclasses import dataclass, field, replace

from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from . import registry
from .backends import query_backend
from .backends.base import (
    FACETS,
    SORT_DATE,
    SORT_RELEVANCE,
    Filters,
    Query,
    Results,
)
from .conf import page_size
from .documents import ALL_LANGUAGES
from .models import QueryLog, SearchDocument, SearchPromotion
from .query import (
    MAX_QUERY_CHARS,
    analyse,
    fold,
    normalise_query,
    query_stems,
    query_terms,
)
from .suggest import did_you_mean

MAX_VALUES_PER_FACET = 20
# Below this many results, a mistyped word gets a "did you mean".
FEW_RESULTS = 5
FACET_LEGENDS = {
    "kind": _("Content type"),
    "topic": _("Topic"),
    "region": _("Territory"),
    "target": _("Target group"),
    "year": _("Year"),
}


def readable_group_ids(*, user) -> tuple[int, ...]:
    return registry.readable_group_ids(user)


def kind_label(kind: str) -> str:
    registered = registry.kinds().get(kind)
    if registered is not None:
        return str(registered.label)
    try:
        model = apps.get_model(kind)
    except (LookupError, ValueError):
        return kind
    return str(model._meta.verbose_name).capitalize()


def _labels(facet: str) -> dict[str, str]:
    from portal.taxonomy.models import TargetGroup, Topic
    from portal.taxonomy.selectors import region_names, term_map

    if facet == "topic":
        return {str(pk): name for pk, (_slug, name) in term_map(Topic).items()}
    if facet == "target":
        return {str(pk): name for pk, (_slug, name) in term_map(TargetGroup).items()}
    if facet == "region":
        return region_names()
    return {}


def _valid(facet: str, value: str) -> bool:
    if facet == "kind":
        return value in registry.kinds() or _is_page_kind(value)
    if facet == "year":
        return value.isdigit() and 1900 <= int(value) <= 2100
    return value in _labels(facet)


def _is_page_kind(value: str) -> bool:
    """A type of page visitors may narrow a search to (structural pages, such
    as sections and indexes, declare ``search_type_facet = False``)."""
    try:
        model = apps.get_model(value)
    except (LookupError, ValueError):
        return False
    return issubclass(model, Page) and getattr(model, "search_type_facet", True)


def filters_parse(params) -> tuple[Filters, bool]:
    """The facet values in ``params`` (a QueryDict) and whether some were
    unknown (they are ignored)."""
    chosen: dict[str, tuple] = {}
    ignored = False
    for facet in FACETS:
        values = []
        for raw in params.getlist(facet)[:MAX_VALUES_PER_FACET]:
            value = raw.strip()[:100]
            if value and _valid(facet, value):
                if value not in values:
                    values.append(value)
            elif value:
                ignored = True
        if facet == "year":
            chosen[facet] = tuple(int(v) for v in values)
        else:
            chosen[facet] = tuple(values)
    if any(len(params.getlist(f)) > MAX_VALUES_PER_FACET for f in FACETS):
        ignored = True
    return Filters(**chosen), ignored


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class FacetGroup:
    name: str
    legend: str
    options: list[FacetOption]
    # Counted among the matches read only (more matched than the backend
    # counts exactly): the page shows the values without their counts.
    approximate: bool = False


@dataclass
class SearchOutcome:
    """Everything the search page shows."""

    query: str
    stems: tuple[str, ...]
    language: str
    sort: str
    results: Results | None = None
    facets: list[FacetGroup] = field(default_factory=list)
    suggestion: str = ""
    promotions: list = field(default_factory=list)
    filters_ignored: bool = False
    truncated: bool = False
    no_words: bool = False
    # No document had every word: these results have some of them.
    partial: bool = False
    # Nothing matched what was typed: these are the results for this spelling.
    corrected: str = ""


def _facet_groups(
    results: Results, filters: Filters, approximate: frozenset[str] = frozenset()
) -> list[FacetGroup]:
    """``approximate``: the facets whose counts came from a wider search that
    matched more than the backend counts exactly."""
    groups = []
    for name in ("kind", "topic", "region", "target", "year"):
        counts = results.facets.get(name, {})
        selected = {str(v) for v in getattr(filters, name)}
        labels = _labels(name)
        options = []
        for value, count in counts.items():
            if name == "kind":
                if not _valid("kind", value):
                    continue
                label = kind_label(value)
            elif name == "year":
                label = value
            else:
                label = labels.get(value)
                if label is None:
                    continue
            options.append(FacetOption(value, label, count, value in selected))
        if name == "year":
            options.sort(key=lambda o: o.value, reverse=True)
        else:
            options.sort(key=lambda o: (-o.count, o.label))
        if options:
            if name in _narrowed(filters):
                inexact = name in approximate  # counted by a wider search
            else:
                inexact = results.approximate
            groups.append(FacetGroup(name, str(FACET_LEGENDS[name]), options, inexact))
    return groups


def _narrowed(filters: Filters) -> set[str]:
    return {name for name in FACETS if getattr(filters, name)}


def _sibling_counts(backend, search: Query, results: Results) -> frozenset[str]:
    """Disjunctive facets: the counts of a facet the visitor has narrowed are
    those of the search without that facet's own choice, so the other values
    stay on offer ("Puglia 4" next to the chosen "Lazio 7"); the other facets
    count the results as shown. One more query per narrowed facet. Gives the
    facets whose wider search was counted only in part."""
    approximate = set()
    for name in _narrowed(search.filters):
        wider = replace(
            search, filters=replace(search.filters, **{name: ()}), page=1, page_size=1
        )
        wider_results = backend.query(wider)
        results.facets[name] = wider_results.facets.get(name, {})
        if wider_results.approximate:
            approximate.add(name)
    return frozenset(approximate)


def promotions_for(*, query: str, language: str) -> list[SearchPromotion]:
    """Live public pages an editor promoted for exactly this (normalised) query."""
    normalised = normalise_query(query)
    if not normalised:
        return []
    promotions = SearchPromotion.objects.filter(
        normalised_query=normalised,
        page__live=True,
        page__locale__language_code=language,
    ).select_related("page")
    return [
        promotion
        for promotion in promotions
        if not promotion.page.get_view_restrictions().exists()
    ]


def site_search(
    *, user, query: str, params, language: str, page: int = 1, sort: str = ""
) -> SearchOutcome:
    """Search for ``user``: the visitor's groups are read now, so a removed member
    stops finding a private group's posts on the very next query."""
    sort = sort if sort in (SORT_RELEVANCE, SORT_DATE) else SORT_RELEVANCE
    filters, ignored = filters_parse(params)
    stems = tuple(query_stems(query, language))
    outcome = SearchOutcome(
        query=query[:MAX_QUERY_CHARS],
        stems=stems,
        language=language,
        sort=sort,
        filters_ignored=ignored,
        truncated=len(query) > MAX_QUERY_CHARS,
    )
    if not query.strip():
        return outcome
    if not stems:
        outcome.no_words = True
        return outcome
    search = Query(
        stems=stems,
        language=language,
        group_ids=readable_group_ids(user=user),
        filters=filters,
        sort=sort,
        page=page,
        page_size=page_size(),
        words=tuple(fold(word) for word in query_terms(query)),
    )
    backend = query_backend()
    results = backend.query(search)
    suggestion = ""
    if results.total < FEW_RESULTS:
        suggestion = did_you_mean(query_terms(query), language)
    if not results.total and suggestion:
        # "osservatroio" finds nothing: show what the visitor surely meant.
        corrected = replace(
            search,
            stems=tuple(query_stems(suggestion, language)),
            words=tuple(fold(word) for word in query_terms(suggestion)),
        )
        corrected_results = backend.query(corrected)
        if corrected_results.total:
            search, results = corrected, corrected_results
            outcome.corrected = suggestion
            outcome.stems = corrected.stems
            suggestion = ""
    if not results.total and len(search.stems) > 1:
        search = replace(search, match_any=True)
        results = backend.query(search)
        outcome.partial = bool(results.total)
    approximate = _sibling_counts(backend, search, results)
    outcome.results = results
    outcome.facets = _facet_groups(results, filters, approximate)
    if results.page == 1:
        outcome.promotions = promotions_for(query=query, language=language)
    outcome.suggestion = suggestion
    return outcome


def autocomplete(*, user, text: str, language: str, limit: int = 8) -> list[dict]:
    """Titles that contain every word typed, the last one as a prefix, among the
    documents ``user`` may read."""
    stems = analyse(" ".join(query_terms(text)), language)
    if not stems or len(stems[-1]) < 2:
        return []
    documents = SearchDocument.objects.live().filter(
        Q(language=language) | Q(language=ALL_LANGUAGES),
        Q(group_id__isnull=True) | Q(group_id__in=readable_group_ids(user=user)),
    )
    for word in stems:
        documents = documents.filter(
            Q(title_terms__startswith=word) | Q(title_terms__contains=f" {word}")
        )
    rows = documents.order_by("-date", "-pk").values("title", "url", "kind")[:limit]
    return [
        {"title": row["title"], "url": row["url"], "type": kind_label(row["kind"])}
        for row in rows
    ]


def query_log_report(*, zero_results: bool = False, limit: int = 50):
    """The most searched queries (or those that found nothing), most frequent first."""
    queries = QueryLog.objects.all()
    if zero_results:
        queries = queries.filter(last_result_count=0)
    return queries.order_by("-hits", "query")[:limit]
