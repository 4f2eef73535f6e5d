"""The embedded backend: Wagtail's database search (SQLite FTS5, PostgreSQL
full text) over ``SearchDocument``; facets are GROUP BY queries on its columns."""

from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from wagtail.search.backends import get_search_backend

from ..documents import COMMUNITY_LANGUAGE, DocumentData
from ..models import SearchDocument, SearchFacetValue
from ..query import analyse
from .base import SORT_DATE, Hit, Query, Results, page_bounds

_FACET_FIELDS = {"topic": "topics", "target": "targets", "region": "regions"}


def document_row(data: DocumentData) -> SearchDocument:
    language = data.language or "it"
    return SearchDocument(
        key=data.key,
        kind=data.kind,
        language=data.language,
        title=data.title[:255],
        text=data.text,
        title_terms=(
            " ".join(analyse(data.title, language)) if data.title_searchable else ""
        ),
        text_terms=" ".join(analyse(data.text, language)),
        url=data.url[:500],
        date=data.date,
        year=data.year,
        group_id=data.group_id,
        expires_at=data.expires_at,
    )


class DatabaseSearchBackend:
    """Stores documents in ``SearchDocument`` and searches them with Wagtail's
    database backend; always kept up to date, it is also the vocabulary for
    suggestions on every backend."""

    name = "database"

    def __init__(self):
        self.wagtail = get_search_backend("default")

    def index(self, documents: list[DocumentData]) -> None:
        if not documents:
            return
        keys = [data.key for data in documents]
        with transaction.atomic():
            SearchDocument.objects.filter(key__in=keys).delete()
            rows = SearchDocument.objects.bulk_create(
                [document_row(data) for data in documents]
            )
            by_key = {row.key: row for row in rows}
            if any(row.pk is None for row in rows):  # backends without RETURNING
                by_key = {
                    row.key: row for row in SearchDocument.objects.filter(key__in=keys)
                }
            values = [
                SearchFacetValue(document=by_key[data.key], facet=facet, value=value)
                for data in documents
                for facet, attribute in _FACET_FIELDS.items()
                for value in dict.fromkeys(getattr(data, attribute))
            ]
            SearchFacetValue.objects.bulk_create(values)
            self.wagtail.add_bulk(SearchDocument, list(by_key.values()))

    def delete(self, keys: list[str]) -> None:
        for row in SearchDocument.objects.filter(key__in=keys):
            self.wagtail.delete(row)
            row.delete()

    def reset(self) -> None:
        for row in SearchDocument.objects.iterator():
            self.wagtail.delete(row)
        SearchDocument.objects.all().delete()

    def finish(self) -> None:
        """Rows are visible as soon as they are written."""

    def _restrict(self, documents, query: Query):
        """Language, readable groups, expiry and facets (applied after the text
        match: Wagtail only accepts filters on its FilterFields)."""
        now = timezone.now()
        documents = documents.filter(
            Q(language=query.language) | Q(language=COMMUNITY_LANGUAGE),
            Q(group_id__isnull=True) | Q(group_id__in=list(query.group_ids)),
            Q(expires_at__isnull=True) | Q(expires_at__gt=now),
        )
        filters = query.filters
        if filters.kind:
            documents = documents.filter(kind__in=filters.kind)
        if filters.year:
            documents = documents.filter(year__in=filters.year)
        for facet in _FACET_FIELDS:
            chosen = getattr(filters, facet)
            if chosen:
                documents = documents.filter(
                    pk__in=SearchFacetValue.objects.filter(
                        facet=facet, value__in=chosen
                    ).values("document_id")
                )
        return documents

    def _match(self, query: Query) -> tuple[str, list, str]:
        """SQL giving (id, score) of the documents containing every stem, its
        parameters, and the ORDER BY for relevance.

        Read straight from Wagtail's index tables: the query Wagtail builds is
        hundreds of times slower here (SQLite scans the index entries and re-runs
        MATCH for each; PostgreSQL rebuilds each row's vector instead of using the
        GIN index on ``body``, where all of SearchDocument's terms are).
        """
        from django.contrib.contenttypes.models import ContentType

        content_type = ContentType.objects.get_for_model(SearchDocument).pk
        if connection.vendor == "sqlite":
            # Stems are word characters only, so quoting them is enough for FTS5.
            quoted = " AND ".join(f'"{stem}"' for stem in query.stems)
            sql = (
                "SELECT CAST(e.object_id AS INTEGER) AS id, "
                "bm25(wagtailsearch_indexentry_fts) AS score "
                "FROM wagtailsearch_indexentry_fts "
                "CROSS JOIN wagtailsearch_indexentry e "
                "ON e.id = wagtailsearch_indexentry_fts.rowid "
                "WHERE wagtailsearch_indexentry_fts MATCH %s "
                "AND e.content_type_id = %s"
            )
            return sql, [f"{{title body}} : ({quoted})", content_type], "m.score"
        sql = (
            "SELECT CAST(e.object_id AS INTEGER) AS id, "
            "ts_rank(e.body, plainto_tsquery(%s)) AS score "
            "FROM wagtailsearch_indexentry e "
            "WHERE e.body @@ plainto_tsquery(%s) AND e.content_type_id = %s"
        )
        text = " ".join(query.stems)
        return sql, [text, text, content_type], "m.score DESC"

    def _page_rows(self, query: Query, restricted, start: int) -> list[SearchDocument]:
        fields = ("key", "kind", "title", "text", "url", "date")
        if query.sort == SORT_DATE:
            return list(restricted.only(*fields)[start : start + query.page_size])
        match_sql, match_params, order = self._match(query)
        # The filters alone (not the match again: PostgreSQL would re-run it per row).
        allowed = self._restrict(SearchDocument.objects.all(), query)
        ids_sql, ids_params = (
            allowed.order_by().values_list("pk").query.sql_with_params()
        )
        with connection.cursor() as cursor:
            # Both pieces are SQL built here or by the ORM; values are parameters.
            # Materialised, so that neither planner re-runs the match per row.
            cursor.execute(
                f"WITH m(id, score) AS MATERIALIZED ({match_sql}), "  # noqa: S608
                f"a(id) AS MATERIALIZED ({ids_sql}) "
                "SELECT m.id FROM m INNER JOIN a ON a.id = m.id "
                f"ORDER BY {order}, m.id DESC LIMIT %s OFFSET %s",
                [*match_params, *ids_params, query.page_size, start],
            )
            ids = [row[0] for row in cursor.fetchall()]
        rows = SearchDocument.objects.only(*fields).in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]

    def query(self, query: Query) -> Results:
        if not query.stems:
            return Results(hits=[], total=0, page=1, num_pages=1)
        match_sql, match_params, _order = self._match(query)
        matched = SearchDocument.objects.filter(
            # Constant SQL; the words are parameters.
            pk__in=RawSQL(f"SELECT m.id FROM ({match_sql}) m", match_params)  # noqa: S608, S611
        )
        restricted = self._restrict(matched, query)
        if query.sort == SORT_DATE:
            restricted = restricted.order_by("-date", "-pk")
        ids = SearchDocument.objects.filter(pk__in=restricted.order_by().values("pk"))
        total = ids.count()
        page, num_pages = page_bounds(total, query.page, query.page_size)
        start = (page - 1) * query.page_size
        rows = self._page_rows(query, restricted, start) if total else []
        return Results(
            hits=[
                Hit(
                    key=row.key,
                    kind=row.kind,
                    title=row.title,
                    text=row.text,
                    url=row.url,
                    date=row.date,
                )
                for row in rows
            ],
            total=total,
            page=page,
            num_pages=num_pages,
            facets=self._facets(ids) if total else {},
        )

    def _facets(self, ids) -> dict[str, dict[str, int]]:
        facets: dict[str, dict[str, int]] = {name: {} for name in ("kind", "year")}
        facets.update({name: {} for name in _FACET_FIELDS})
        for row in ids.values("kind").annotate(n=Count("pk")):
            facets["kind"][row["kind"]] = row["n"]
        for row in ids.exclude(year=None).values("year").annotate(n=Count("pk")):
            facets["year"][str(row["year"])] = row["n"]
        values = (
            SearchFacetValue.objects.filter(document__in=ids.values("pk"))
            .values("facet", "value")
            .annotate(n=Count("pk"))
        )
        for row in values:
            facets[row["facet"]][row["value"]] = row["n"]
        return facets
