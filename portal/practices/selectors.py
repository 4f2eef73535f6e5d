"""Reads on good practices: what a visitor sees, filtered, counted and listed.

The index, its feeds and its open-data export all start from
``practice_list_visible``, so "live, public, in the index's language" is written
once. ``practice_browse`` answers a whole index request in three queries whatever
the number of practices: one for the matching practices' scalar fields (their
order, count and the year/status/evidence facets), one for their links to
territories, topics and target groups (the other facets), and one for the
practices shown on the page. Names come from the cached vocabulary. The first two
are cached per filter combination until a practice is published or withdrawn.
"""

import hashlib
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import CharField, Q, QuerySet, Value
from django.utils.translation import gettext_lazy as _
from wagtail.models import WorkflowState

from portal.taxonomy.models import TargetGroup, Topic
from portal.taxonomy.selectors import region_names, term_map, territory_map

from .models import EvidenceLevel, GoodPracticePage, PracticeIndexPage, PracticeStatus

SORTS = {
    "recent": (("-first_published_at", "-pk"), _("Most recent")),
    "title": (("title", "pk"), _("Title (A-Z)")),
    "year": (("-year_start", "title"), _("Start year, newest first")),
}
PAGE_SIZE = 12
MAX_FILTER_VALUES = 20


def practice_list_visible(
    *, index_page: PracticeIndexPage
) -> QuerySet[GoodPracticePage]:
    """Live, public practices under ``index_page`` (hence in its language)."""
    return GoodPracticePage.objects.child_of(index_page).live().public()


@dataclass
class PracticeFilters:
    """The filter state, read from the query string. Unknown or malformed values
    are dropped silently, so an old or hand-edited link still shows a list."""

    regions: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    query: str = ""
    sort: str = "recent"

    @classmethod
    def from_querydict(cls, params) -> "PracticeFilters":
        def values(name: str) -> list[str]:
            return [
                v.strip() for v in params.getlist(name)[:MAX_FILTER_VALUES] if v.strip()
            ]

        topic_slugs = {slug for slug, _name in term_map(Topic).values()}
        target_slugs = {slug for slug, _name in term_map(TargetGroup).values()}
        regions = region_names()
        return cls(
            regions=[v for v in values("region") if v in regions],
            years=[
                int(v) for v in values("year") if v.isdigit() and 1900 <= int(v) <= 2100
            ],
            topics=[v for v in values("topic") if v in topic_slugs],
            targets=[v for v in values("target") if v in target_slugs],
            evidence=[v for v in values("evidence") if v in EvidenceLevel.values],
            status=[v for v in values("status") if v in PracticeStatus.values],
            query=params.get("q", "").strip()[:200],
            sort=params.get("sort") if params.get("sort") in SORTS else "recent",
        )

    @property
    def active(self) -> bool:
        return any(
            (
                self.regions,
                self.years,
                self.topics,
                self.targets,
                self.evidence,
                self.status,
                self.query,
            )
        )


def practice_filter(
    queryset: QuerySet[GoodPracticePage], filters: PracticeFilters
) -> QuerySet[GoodPracticePage]:
    """Narrow ``queryset`` to the practices matching every active filter.

    Values within one facet are alternatives (OR); different facets combine (AND).
    """
    if filters.regions:
        queryset = queryset.filter(
            Q(territories__region__code__in=filters.regions)
            | Q(territories__kind="region", territories__code__in=filters.regions)
        )
    if filters.years:
        year_q = Q()
        for year in filters.years:
            year_q |= Q(year_start__lte=year) & (
                Q(year_end__gte=year) | Q(year_end__isnull=True)
            )
        queryset = queryset.filter(year_q)
    if filters.topics:
        queryset = queryset.filter(topics__slug__in=filters.topics)
    if filters.targets:
        queryset = queryset.filter(target_groups__slug__in=filters.targets)
    if filters.evidence:
        queryset = queryset.filter(evidence_level__in=filters.evidence)
    if filters.status:
        queryset = queryset.filter(status__in=filters.status)
    if filters.query:
        from search.query import query_terms

        terms = query_terms(filters.query)
        if terms:
            matches = GoodPracticePage.objects.live().search(
                " ".join(terms), operator="and"
            )
            queryset = queryset.filter(pk__in=[page.pk for page in matches])
    return queryset


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class PracticeCard:
    """What the list shows of one practice."""

    page: GoodPracticePage
    territories: list[str]
    topics: list[str]


@dataclass
class PracticeBrowse:
    page_obj: object
    cards: list[PracticeCard]
    facets: dict[str, list[FacetValue]]
    total: int


_RESULTS_KEY = "practices:browse:{version}:{index}:{filters}"
_VERSION_KEY = "practices:browse:version"
RESULTS_CACHE_SECONDS = 10 * 60


def practice_results_invalidate() -> None:
    """Forget every cached result set (a practice was published, unpublished,
    moved or deleted, or the vocabulary changed)."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 2, None)


def _results(index_page, filters: PracticeFilters, *, year_now: int):
    """The ordered ids, links and facets of every matching practice, cached.

    Visitors mostly open the same few filter combinations, so the two queries that
    read all matching practices run once per combination until the content changes.
    """
    version = cache.get_or_set(_VERSION_KEY, 1, None)
    digest = hashlib.sha256(repr((asdict(filters), year_now)).encode()).hexdigest()
    key = _RESULTS_KEY.format(version=version, index=index_page.pk, filters=digest[:32])
    cached = cache.get(key)
    if cached is not None:
        return cached
    order, _label = SORTS[filters.sort]
    matching = practice_filter(practice_list_visible(index_page=index_page), filters)
    rows = list(
        matching.order_by(*order)
        .values_list("pk", "year_start", "year_end", "status", "evidence_level")
        .distinct()
    )
    ids = list(dict.fromkeys(row[0] for row in rows))
    links = _links(matching.values("pk"), has_rows=bool(ids))
    facets = _facets(rows, links, filters, year_now=year_now)
    result = (ids, {kind: dict(by_page) for kind, by_page in links.items()}, facets)
    cache.set(key, result, RESULTS_CACHE_SECONDS)
    return result


def practice_browse(
    *,
    index_page: PracticeIndexPage,
    filters: PracticeFilters,
    page_number,
    year_now: int,
) -> PracticeBrowse:
    """One page of matching practices with facet counts over all matching ones."""
    ids, links, facets = _results(index_page, filters, year_now=year_now)
    paginator = Paginator(ids, PAGE_SIZE)
    page_obj = paginator.get_page(page_number)
    shown = {
        page.pk: page for page in GoodPracticePage.objects.filter(pk__in=list(page_obj))
    }
    territories = territory_map()
    topics = term_map(Topic)
    cards = [
        PracticeCard(
            page=shown[pk],
            territories=sorted(
                territories[t]["name"] for t in links["territory"].get(pk, ())
            ),
            topics=sorted(
                topics[t][1] for t in links["topic"].get(pk, ()) if t in topics
            ),
        )
        for pk in page_obj
        if pk in shown
    ]
    return PracticeBrowse(page_obj=page_obj, cards=cards, facets=facets, total=len(ids))


def _links(ids, *, has_rows: bool) -> dict[str, dict[int, list[int]]]:
    """The practices' links to territories, topics and target groups, in one query.

    ``ids`` is a subquery: no list of ids is sent to the database.
    """
    links: dict[str, dict[int, list[int]]] = {
        "territory": defaultdict(list),
        "topic": defaultdict(list),
        "target": defaultdict(list),
    }
    if not has_rows:
        return links
    tables = (
        ("territory", GoodPracticePage.territories.through, "territory_id"),
        ("topic", GoodPracticePage.topics.through, "topic_id"),
        ("target", GoodPracticePage.target_groups.through, "targetgroup_id"),
    )
    parts = [
        through.objects.filter(goodpracticepage_id__in=ids)
        .annotate(kind=Value(kind, output_field=CharField()))
        .values_list("kind", "goodpracticepage_id", column)
        .order_by()
        for kind, through, column in tables
    ]
    for kind, page_id, other_id in parts[0].union(*parts[1:], all=True):
        links[kind][page_id].append(other_id)
    return links


def _facets(rows, links, filters: PracticeFilters, *, year_now: int):
    territories = territory_map()
    regions = region_names()
    facets: dict[str, list[FacetValue]] = {}

    region_counts: Counter = Counter()
    for territory_ids in links["territory"].values():
        for code in {territories[t]["region_code"] for t in territory_ids}:
            region_counts[code] += 1
    facets["region"] = [
        FacetValue(code, regions[code], count, code in filters.regions)
        for code, count in sorted(region_counts.items(), key=lambda i: regions[i[0]])
    ]

    seen = set()
    year_counts: Counter = Counter()
    evidence_counts: Counter = Counter()
    status_counts: Counter = Counter()
    for pk, start, end, status, evidence in rows:
        if pk in seen:
            continue
        seen.add(pk)
        for year in range(start, (end or year_now) + 1):
            year_counts[year] += 1
        evidence_counts[evidence] += 1
        status_counts[status] += 1
    facets["year"] = [
        FacetValue(str(year), str(year), count, year in filters.years)
        for year, count in sorted(year_counts.items(), reverse=True)
    ]

    for name, model, selected in (
        ("topic", Topic, filters.topics),
        ("target", TargetGroup, filters.targets),
    ):
        names = term_map(model)
        counts: Counter = Counter()
        for term_ids in links[name].values():
            for term_id in set(term_ids):
                if term_id in names:
                    counts[names[term_id]] += 1
        facets[name] = [
            FacetValue(slug, label, count, slug in selected)
            for (slug, label), count in sorted(counts.items(), key=lambda i: i[0][1])
        ]

    facets["evidence"] = [
        FacetValue(value, label, evidence_counts[value], value in filters.evidence)
        for value, label in EvidenceLevel.choices
        if evidence_counts[value]
    ]
    facets["status"] = [
        FacetValue(value, label, status_counts[value], value in filters.status)
        for value, label in PracticeStatus.choices
        if status_counts[value]
    ]
    return facets


def proposal_pending_count(*, user) -> int:
    """How many of ``user``'s proposals wait for the editors.

    A proposal waits until it is first published, deleted, or sent back for
    changes (the proposer cannot resubmit it, so it no longer counts).
    """
    unpublished = list(
        GoodPracticePage.objects.filter(
            proposed_by=user, live=False, first_published_at__isnull=True
        ).values_list("pk", flat=True)
    )
    if not unpublished:
        return 0
    sent_back = WorkflowState.objects.filter(
        object_id__in=[str(pk) for pk in unpublished],
        base_content_type__app_label="wagtailcore",
        base_content_type__model="page",
        status=WorkflowState.STATUS_NEEDS_CHANGES,
    )
    sent_back = sent_back.values("object_id").distinct().count()
    return len(unpublished) - sent_back
