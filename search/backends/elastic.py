"""The Elasticsearch 8 backend (elasticsearch-dsl): one index per language behind
an alias, Italian and English analyzers with accent folding and light stemming,
aggregations for the facets. A full rebuild writes new indices and swaps the
aliases at the end, so visitors keep searching the old ones meanwhile. Changes
made during the rebuild go to the old and the new indices and are recorded
(``SearchIndexState``, ``SearchIndexEdit``: the rebuilding command and the task
worker both see them); before the swap the recorded documents are copied from
the old indices into the new ones, so no change made meanwhile is lost."""

import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from elastic_transport import Urllib3HttpNode
from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch.helpers import bulk
from elasticsearch_dsl import (
    Date,
    Document,
    Integer,
    Keyword,
    Q,
    Search,
    Text,
    analyzer,
    token_filter,
)

from ..conf import elasticsearch_plain_json, elasticsearch_refresh, index_prefix
from ..documents import ALL_LANGUAGES, DocumentData
from ..models import SearchIndexEdit, SearchIndexState
from ..query import analyse
from .base import FACETS, SORT_DATE, Hit, Query, Results, page_bounds

# Stemming is the portal's own light stemmer (search.query.stem), applied before
# indexing into the *_terms fields, so both backends find the same documents.
# (osmem-server, used in tests, matches every document once a custom analyzer has
# a "stemmer" token filter; the folding analyzer below works on both.)
_ELISION = token_filter(
    "italian_elision",
    type="elision",
    articles_case=True,
    articles=[
        "c",
        "l",
        "all",
        "dall",
        "dell",
        "nell",
        "sull",
        "coll",
        "pell",
        "gl",
        "agl",
        "dagl",
        "degl",
        "negl",
        "sugl",
        "un",
        "m",
        "t",
        "s",
        "v",
        "d",
    ],
)
_ANALYZERS = {
    "it": analyzer(
        "portal_italian",
        tokenizer="standard",
        filter=[_ELISION, "lowercase", "asciifolding"],
    ),
    "en": analyzer(
        "portal_english", tokenizer="standard", filter=["lowercase", "asciifolding"]
    ),
}
_TERMS_ANALYZER = analyzer("portal_terms", tokenizer="whitespace", filter=["lowercase"])
_FACET_FIELDS = {"topic": "topics", "target": "targets", "region": "regions"}
_AGGREGATION_SIZE = 200


class PlainJsonNode(Urllib3HttpNode):
    """Sends application/json rather than the ES 8 compatibility media type."""

    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        if headers:
            headers = headers.copy()
            for name in ("accept", "content-type"):
                value = headers.get(name)
                if value and "vnd.elasticsearch+" in value:
                    headers[name] = value.replace("vnd.elasticsearch+", "").split(";")[
                        0
                    ]
        return super().perform_request(
            method, target, body=body, headers=headers, **kwargs
        )


def document_class(language: str) -> type[Document]:
    text_analyzer = _ANALYZERS.get(language, _ANALYZERS["it"])

    class SearchEntry(Document):
        key = Keyword()
        kind = Keyword()
        title = Text(analyzer=text_analyzer)
        text = Text(analyzer=text_analyzer)
        all_terms = Text(analyzer=_TERMS_ANALYZER)
        title_terms = Text(analyzer=_TERMS_ANALYZER)
        text_terms = Text(analyzer=_TERMS_ANALYZER)
        url = Keyword(index=False)
        title_shown = Keyword(index=False)
        date = Date()
        year = Integer()
        group_id = Integer()
        expires_at = Date()
        topics = Keyword()
        targets = Keyword()
        regions = Keyword()

    return SearchEntry


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


class ElasticSearchBackend:
    """Documents of a language live in ``<prefix>-<language>`` (an alias);
    community documents are written to every language's index."""

    name = "elasticsearch"

    def __init__(self, url: str):
        options = {"request_timeout": 10}
        if elasticsearch_plain_json():
            options["node_class"] = PlainJsonNode
        self.client = Elasticsearch(url, **options)
        # Set by ``reset`` in the rebuilding process only: the new indices by
        # language and the generation they make.
        self._building: dict[str, str] = {}
        self._generation: int | None = None

    def alias(self, language: str) -> str:
        return f"{index_prefix()}-{language}"

    def state_name(self) -> str:
        return f"elasticsearch:{index_prefix()}"

    def _edit_targets(self, keys: list[str]) -> dict[str, str]:
        """For a change outside the rebuild (call inside a transaction, held
        until the change is written, so that ``finish`` waits for it): the
        indices being built by language, if a rebuild is under way, with the
        keys recorded for ``finish`` to copy."""
        state = SearchIndexState.locked(self.state_name())
        if state.building is None:
            return {}
        SearchIndexEdit.record(
            backend=self.state_name(), generation=state.building, keys=keys
        )
        return dict(state.indices)

    def _create_index(self, language: str) -> str:
        name = f"{self.alias(language)}-{time.time_ns()}"
        self.client.indices.create(
            index=name,
            mappings=document_class(language)._doc_type.mapping.to_dict(),
            settings={
                "analysis": document_class(
                    language
                )._doc_type.mapping._collect_analysis()
            },
        )
        return name

    def ensure_indices(self) -> None:
        for language in languages():
            if not self.client.indices.exists_alias(name=self.alias(language)):
                name = self._create_index(language)
                self.client.indices.put_alias(index=name, name=self.alias(language))

    def _target(self, language: str) -> str:
        return self._building.get(language) or self.alias(language)

    def _languages_of(self, data: DocumentData) -> list[str]:
        return languages() if data.language == ALL_LANGUAGES else [data.language]

    def index(self, documents: list[DocumentData]) -> None:
        if not documents:
            return
        if self._building:
            self._bulk_index(documents, {})
            return
        self.ensure_indices()
        with transaction.atomic():
            building = self._edit_targets([data.key for data in documents])
            self._bulk_index(documents, building)

    def _bulk_index(
        self, documents: list[DocumentData], building: dict[str, str]
    ) -> None:
        """Write to the rebuild's indices (in the rebuilding process), else to
        the aliases and to ``building``, the indices a rebuild is writing."""
        actions = []
        for data in documents:
            source = {
                "key": data.key,
                "kind": data.kind,
                "title": data.title,
                "text": data.text,
                "url": data.url,
                "date": data.date.isoformat() if data.date else None,
                "year": data.year,
                "group_id": data.group_id,
                "expires_at": data.expires_at.isoformat() if data.expires_at else None,
                "topics": data.topics,
                "targets": data.targets,
                "regions": data.regions,
            }
            if not data.title_searchable:
                source["title_shown"] = source.pop("title")
            for language in self._languages_of(data):
                source = {
                    **source,
                    "title_terms": " ".join(analyse(data.title, language))
                    if data.title_searchable
                    else "",
                    "text_terms": " ".join(analyse(data.searchable_text(), language)),
                }
                source["all_terms"] = f"{source['title_terms']} {source['text_terms']}"
                targets = [self._target(language)]
                if building.get(language):
                    targets.append(building[language])
                actions += [
                    {"_index": target, "_id": data.key, "_source": source}
                    for target in targets
                ]
        bulk(self.client, actions, refresh=elasticsearch_refresh())

    def delete(self, keys: list[str]) -> None:
        if not keys:
            return
        if self._building:
            self._bulk_delete(keys, list(self._building.values()))
            return
        self.ensure_indices()
        with transaction.atomic():
            building = self._edit_targets(keys)
            self._bulk_delete(
                keys,
                [self.alias(language) for language in languages()]
                + list(building.values()),
            )

    def _bulk_delete(self, keys: list[str], indices: list[str]) -> None:
        actions = [
            {"_op_type": "delete", "_index": index, "_id": key}
            for key in keys
            for index in indices
        ]
        bulk(
            self.client,
            actions,
            raise_on_error=False,
            refresh=elasticsearch_refresh(),
        )

    def reset(self) -> None:
        """Create a new index per language and record it as being built; drop
        the indices an interrupted rebuild left."""
        self.ensure_indices()
        with transaction.atomic():
            state = SearchIndexState.locked(self.state_name())
            abandoned = list(state.indices.values())
            self._building = {
                language: self._create_index(language) for language in languages()
            }
            self._generation = 1 + max(state.live, state.building or 0)
            state.building, state.indices = self._generation, self._building
            state.building_since = timezone.now()
            state.save(
                update_fields=["building", "indices", "building_since", "updated_at"]
            )
            SearchIndexEdit.objects.filter(backend=self.state_name()).delete()
        for index in abandoned:
            try:
                self.client.indices.delete(index=index)
            except NotFoundError:
                pass

    def _edits_copy(self, keys: list[str]) -> None:
        """Copy the documents changed during the rebuild from the aliases (the
        old indices, which every change reached) into the new indices: the
        rebuild may have written an older copy after the change."""
        for start in range(0, len(keys), 500):
            batch = keys[start : start + 500]
            actions = []
            for language, name in self._building.items():
                found = self.client.mget(index=self.alias(language), ids=batch)
                for doc in found["docs"]:
                    if doc.get("found"):
                        actions.append(
                            {
                                "_index": name,
                                "_id": doc["_id"],
                                "_source": doc["_source"],
                            }
                        )
                    else:
                        actions.append(
                            {"_op_type": "delete", "_index": name, "_id": doc["_id"]}
                        )
            bulk(self.client, actions, raise_on_error=False)

    def finish(self) -> None:
        """Copy the documents changed meanwhile into the new indices, point each
        alias at its new index, then drop the old ones."""
        if not self._building:
            return
        with transaction.atomic():
            state = SearchIndexState.locked(self.state_name())
            if state.building != self._generation:
                raise RuntimeError(
                    f"search index generation {self._generation} is no longer built"
                )
            edits = SearchIndexEdit.objects.filter(
                backend=self.state_name(), generation=self._generation
            )
            self._edits_copy(sorted(set(edits.values_list("key", flat=True))))
            self._swap()
            state.live, state.building = self._generation, None
            state.indices, state.building_since = {}, None
            state.save()
            SearchIndexEdit.objects.filter(backend=self.state_name()).delete()
        self._building, self._generation = {}, None

    def _swap(self) -> None:
        for language, name in self._building.items():
            alias = self.alias(language)
            self.client.indices.refresh(index=name)
            try:
                old = list(self.client.indices.get_alias(name=alias).body)
            except NotFoundError:
                old = []
            actions = [{"remove": {"index": index, "alias": alias}} for index in old]
            actions.append({"add": {"index": name, "alias": alias}})
            self.client.indices.update_aliases(actions=actions)
            for index in old:
                if index != name:
                    self.client.indices.delete(index=index)

    def _search(self, query: Query) -> Search:
        # Every stem must occur in the title or the text (as on the embedded
        # backend), or one of them for the fallback; title matches, exact
        # (folded) words and the words as a phrase rank higher.
        stems = " ".join(query.stems)
        words = " ".join(query.words)
        operator = "or" if query.match_any else "and"
        search = Search(using=self.client, index=self.alias(query.language)).query(
            Q(
                "bool",
                must=[Q("match", all_terms={"query": stems, "operator": operator})],
                should=[
                    Q("match", title_terms={"query": stems, "boost": 3}),
                    Q("match", title={"query": words, "boost": 2}),
                    Q("match_phrase", title={"query": words, "boost": 3}),
                    Q("match", text={"query": words}),
                    Q("match_phrase", text={"query": words}),
                ],
            )
        )
        readable = Q("bool", must_not=[Q("exists", field="group_id")])
        if query.group_ids:
            readable |= Q("terms", group_id=list(query.group_ids))
        now = timezone.now().isoformat()
        search = search.filter(readable).filter(
            Q("bool", must_not=[Q("exists", field="expires_at")])
            | Q("range", expires_at={"gt": now})
        )
        filters = query.filters
        if filters.kind:
            search = search.filter("terms", kind=list(filters.kind))
        if filters.year:
            search = search.filter("terms", year=list(filters.year))
        for facet, field_name in _FACET_FIELDS.items():
            chosen = getattr(filters, facet)
            if chosen:
                search = search.filter("terms", **{field_name: list(chosen)})
        for facet in FACETS:
            field_name = _FACET_FIELDS.get(facet, facet)
            search.aggs.bucket(facet, "terms", field=field_name, size=_AGGREGATION_SIZE)
        if query.sort == SORT_DATE:
            search = search.sort(
                {"date": {"order": "desc", "missing": "_last"}}, {"key": "desc"}
            )
        else:
            search = search.sort("_score", {"key": "asc"})
        return search.extra(track_total_hits=True)

    def query(self, query: Query) -> Results:
        if not query.stems:
            return Results(hits=[], total=0, page=1, num_pages=1)
        self.ensure_indices()
        search = self._search(query)
        start = (max(1, query.page) - 1) * query.page_size
        response = search[start : start + query.page_size].execute()
        total = response.hits.total.value
        page, num_pages = page_bounds(total, query.page, query.page_size)
        if page != query.page and total:
            start = (page - 1) * query.page_size
            response = search[start : start + query.page_size].execute()
        hits = [
            Hit(
                key=hit.key,
                kind=hit.kind,
                title=getattr(hit, "title", None) or getattr(hit, "title_shown", ""),
                text=getattr(hit, "text", "") or "",
                url=hit.url,
                date=_date(getattr(hit, "date", None)),
            )
            for hit in response.hits
        ]
        facets = (
            {
                facet: {
                    str(bucket.key): bucket.doc_count
                    for bucket in getattr(response.aggregations, facet).buckets
                }
                for facet in FACETS
            }
            if total
            else {}
        )
        return Results(
            hits=hits, total=total, page=page, num_pages=num_pages, facets=facets
        )


def _date(value):
    if value is None:
        return None
    if hasattr(value, "date"):
        return value.date()
    from datetime import date

    return date.fromisoformat(str(value)[:10])
