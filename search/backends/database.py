"""The embedded backend: Wagtail's database search (SQLite FTS5, PostgreSQL
full text) over ``SearchDocument``. A query is one statement: the documents that
match and may be read are materialised once, then counted, grouped by facet and
paged.

A full rebuild writes a new generation of rows beside the live one and switches
to it at the end (``SearchIndexState``), so visitors keep searching the old rows
meanwhile; changes made during the rebuild are written to both generations.
"""

from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from wagtail.search.backends import get_search_backend

from ..conf import exact_limit, rank_candidates
from ..documents import ALL_LANGUAGES, DocumentData
from ..models import (
    DATABASE_INDEX,
    SearchDocument,
    SearchFacetValue,
    SearchIndexEdit,
    SearchIndexState,
    SearchMatch,
)
from ..query import analyse
from .base import FACETS, SORT_DATE, Hit, Query, Results, page_bounds

_FACET_FIELDS = {"topic": "topics", "target": "targets", "region": "regions"}
_DELETE_BATCH = 1000


def _lexeme(text: str) -> str:
    """``text`` as one quoted tsquery lexeme, taken as it is."""
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


class RebuildSuperseded(RuntimeError):
    """Another rebuild started after this one: this one must stop."""


def facet_pairs(data: DocumentData) -> list[tuple[str, str]]:
    """The document's (facet, value) pairs, each once."""
    return [
        (facet, value)
        for facet, attribute in _FACET_FIELDS.items()
        for value in dict.fromkeys(getattr(data, attribute))
    ]


def document_row(data: DocumentData, generation: int = 1) -> SearchDocument:
    language = data.language or "it"
    return SearchDocument(
        key=data.key,
        generation=generation,
        kind=data.kind,
        language=data.language,
        title=data.title[:255],
        text=data.text,
        title_terms=(
            " ".join(analyse(data.title, language)) if data.title_searchable else ""
        ),
        text_terms=" ".join(analyse(data.searchable_text(), language)),
        url=data.url[:500],
        date=data.date,
        year=data.year,
        group_id=data.group_id,
        expires_at=data.expires_at,
        facet_keys="\n".join(f"{facet}={value}" for facet, value in facet_pairs(data)),
    )


class DatabaseSearchBackend:
    """Stores documents in ``SearchDocument`` and searches them with Wagtail's
    database backend; always kept up to date, it is also the vocabulary for
    suggestions on every backend."""

    name = "database"

    def __init__(self):
        self.wagtail = get_search_backend("default")
        # The generation this instance is building (set by ``reset``): only the
        # rebuilding process writes to it alone.
        self._building: int | None = None

    def _generations(self, state: SearchIndexState, keys: list[str]) -> list[int]:
        """The generations a write of these keys goes to: the one being built
        for the rebuild itself; otherwise the live one and, during a rebuild,
        the one being built as well (the keys are recorded, so the rebuild's
        own copy, read earlier, does not replace the change)."""
        if self._building is not None:
            if state.building != self._building:
                raise RebuildSuperseded(
                    f"search index generation {self._building} is no longer built"
                )
            return [self._building]
        if state.building is None:
            return [state.live]
        SearchIndexEdit.record(
            backend=DATABASE_INDEX, generation=state.building, keys=keys
        )
        return [state.live, state.building]

    def index(self, documents: list[DocumentData]) -> None:
        if not documents:
            return
        with transaction.atomic():
            state = SearchIndexState.locked(DATABASE_INDEX)
            generations = self._generations(state, [data.key for data in documents])
            if self._building is not None:
                edited = set(
                    SearchIndexEdit.objects.filter(
                        backend=DATABASE_INDEX,
                        generation=self._building,
                        key__in=[data.key for data in documents],
                    ).values_list("key", flat=True)
                )
                documents = [data for data in documents if data.key not in edited]
            for generation in generations:
                self._write(documents, generation)

    def _write(self, documents: list[DocumentData], generation: int) -> None:
        """Replace these documents' rows in ``generation``."""
        if not documents:
            return
        keys = [data.key for data in documents]
        with transaction.atomic():
            self._rows_delete(
                list(
                    SearchDocument.objects.filter(
                        key__in=keys, generation=generation
                    ).values_list("pk", flat=True)
                )
            )
            rows = SearchDocument.objects.bulk_create(
                [document_row(data, generation) for data in documents]
            )
            by_key = {row.key: row for row in rows}
            if any(row.pk is None for row in rows):  # backends without RETURNING
                by_key = {
                    row.key: row
                    for row in SearchDocument.objects.filter(
                        key__in=keys, generation=generation
                    )
                }
            values = [
                SearchFacetValue(document=by_key[data.key], facet=facet, value=value)
                for data in documents
                for facet, value in facet_pairs(data)
            ]
            SearchFacetValue.objects.bulk_create(values)
            if connection.vendor == "postgresql":
                ids = [row.pk for row in by_key.values()]
                self._postgres_entries_write(ids)
                self._postgres_matches_write(ids)
            else:
                self.wagtail.add_bulk(SearchDocument, list(by_key.values()))

    def _postgres_entries_write(self, ids: list[int]) -> None:
        """Write the index entries of these documents as Wagtail's PostgreSQL
        backend does (``add_items``: the same vectors, weights and plain text),
        in one INSERT ... SELECT over the rows just stored.

        Wagtail's path builds one SQL expression per field and document in
        Python and then recomputes the title norms of the whole table; here the
        title norm does not apply (SearchDocument has no "title" field, so its
        title vector is empty and the refresh skips it). Indexing goes from
        about 900 to 2,000 documents a second at 100,000 documents;
        tests/search/test_indexing.py checks the entries against Wagtail's own.
        """
        from django.contrib.contenttypes.models import ContentType
        from modelsearch.backends.database.postgres.weights import get_weight
        from wagtail.search import index
        from wagtail.search.models import IndexEntry

        vectors, texts = [], []
        for field in SearchDocument.get_search_fields():
            if isinstance(field, index.SearchField):
                column = SearchDocument._meta.get_field(field.field_name).column
                column = f"d.{connection.ops.quote_name(column)}"
                weight = get_weight(field.boost)
                if weight not in ("A", "B", "C", "D"):
                    raise ValueError(f"unexpected tsvector weight {weight!r}")
                vectors.append(
                    f"setweight(to_tsvector(c.config, COALESCE({column}, ''))"
                    f", '{weight}')"
                )
                texts.append(f"NULLIF(BTRIM({column}), '')")
        body = " || ".join(vectors) or "''::tsvector"
        body_text = f"CONCAT_WS(' ', {', '.join(texts)})" if texts else "''"
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {IndexEntry._meta.db_table} "  # noqa: S608
                "(content_type_id, object_id, title, autocomplete, body, "
                "title_norm, title_text, body_text) "
                "SELECT %s, CAST(d.id AS TEXT), ''::tsvector, ''::tsvector, "
                f"{body}, 1.0, '', {body_text} "
                f"FROM {SearchDocument._meta.db_table} d CROSS JOIN (SELECT "
                "COALESCE(%s::regconfig, get_current_ts_config()) AS config) c "
                "WHERE d.id = ANY(%s) "
                "ON CONFLICT (content_type_id, object_id) DO UPDATE SET "
                "title = EXCLUDED.title, title_norm = 1.0, "
                "autocomplete = EXCLUDED.autocomplete, body = EXCLUDED.body, "
                "title_text = EXCLUDED.title_text, body_text = EXCLUDED.body_text",
                [
                    ContentType.objects.get_for_model(SearchDocument).pk,
                    self.wagtail.config,
                    ids,
                ],
            )

    @staticmethod
    def _postgres_matches_write(ids: list[int]) -> None:
        """The narrow rows PostgreSQL searches (``SearchMatch``): the entry's
        vector as it is, its lexemes weighted above D (the title terms: the
        text's weight is D) as the title vector, and the document's
        restricting columns. Migration 0004 fills them with the same
        statement."""
        from django.contrib.contenttypes.models import ContentType
        from modelsearch.backends.database.postgres.weights import get_weight
        from wagtail.search import index
        from wagtail.search.models import IndexEntry

        for field in SearchDocument.get_search_fields():
            if (
                isinstance(field, index.SearchField)
                and field.field_name == "text_terms"
            ):
                if get_weight(field.boost) != "D":
                    raise ValueError("the title vector needs the text weighted D")

        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {SearchMatch._meta.db_table} "  # noqa: S608
                "(document_id, generation, language, kind, year, date, group_id, "
                "expires_at, title_terms, facet_keys, vector, title_vector, "
                "filters) "
                "SELECT d.id, d.generation, d.language, d.kind, d.year, d.date, "
                "d.group_id, d.expires_at, d.title_terms, d.facet_keys, e.body, "
                "ts_filter(e.body, '{a,b,c}'), "
                "array_to_tsvector(array_remove(ARRAY['kind=' || d.kind, "
                "'year=' || COALESCE(CAST(d.year AS TEXT), '')] "
                "|| string_to_array(d.facet_keys, chr(10)), 'year=')) "
                f"FROM {SearchDocument._meta.db_table} d "
                f"JOIN {IndexEntry._meta.db_table} e "
                "ON e.content_type_id = %s AND e.object_id = CAST(d.id AS TEXT) "
                "WHERE d.id = ANY(%s) "
                "ON CONFLICT (document_id) DO UPDATE SET "
                "vector = EXCLUDED.vector, title_vector = EXCLUDED.title_vector, "
                "filters = EXCLUDED.filters",
                [ContentType.objects.get_for_model(SearchDocument).pk, ids],
            )

    def delete(self, keys: list[str]) -> None:
        if not keys:
            return
        with transaction.atomic():
            state = SearchIndexState.locked(DATABASE_INDEX)
            documents = SearchDocument.objects.filter(
                key__in=keys, generation__in=self._generations(state, keys)
            )
            self._rows_delete(list(documents.values_list("pk", flat=True)))

    def reset(self) -> None:
        """Start writing a new generation beside the live one, after removing
        what an interrupted rebuild left (rows of neither generation)."""
        with transaction.atomic():
            state = SearchIndexState.locked(DATABASE_INDEX)
            newest = SearchDocument.objects.aggregate(newest=Max("generation"))
            state.building = 1 + max(
                state.live, state.building or 0, newest["newest"] or 0
            )
            state.building_since = timezone.now()
            state.save(update_fields=["building", "building_since", "updated_at"])
            SearchIndexEdit.objects.filter(backend=DATABASE_INDEX).delete()
        self._building = state.building
        self._rows_delete(
            list(
                SearchDocument.objects.exclude(
                    generation__in=[state.live, state.building]
                ).values_list("pk", flat=True)
            )
        )

    def _rows_delete(self, ids: list[int]) -> None:
        """Remove these documents with their index entries and facet values, a
        few statements per thousand (deleting through the ORM would send
        Wagtail's post_delete signal, one more query per document). SQLite's
        trigger removes the FTS5 rows with the entries, as for Wagtail's own
        delete."""
        from django.contrib.contenttypes.models import ContentType
        from wagtail.search.models import IndexEntry

        content_type = ContentType.objects.get_for_model(SearchDocument)
        for start in range(0, len(ids), _DELETE_BATCH):
            batch = ids[start : start + _DELETE_BATCH]
            with transaction.atomic():
                IndexEntry.objects.filter(
                    content_type=content_type,
                    object_id__in=[str(pk) for pk in batch],
                )._raw_delete(connection.alias)
                SearchFacetValue.objects.filter(document_id__in=batch)._raw_delete(
                    connection.alias
                )
                SearchMatch.objects.filter(document_id__in=batch)._raw_delete(
                    connection.alias
                )
                SearchDocument.objects.filter(pk__in=batch)._raw_delete(
                    connection.alias
                )

    def finish(self) -> None:
        """Make the generation built since ``reset`` the live one, then remove
        the older generations' rows (visitors no longer read them)."""
        if self._building is None:
            return
        with transaction.atomic():
            state = SearchIndexState.locked(DATABASE_INDEX)
            self._generations(state, [])
            state.live, state.building, state.building_since = (
                self._building,
                None,
                None,
            )
            state.save(
                update_fields=["live", "building", "building_since", "updated_at"]
            )
            SearchIndexEdit.objects.filter(backend=DATABASE_INDEX).delete()
        self._building = None
        self._rows_delete(
            list(
                SearchDocument.objects.filter(generation__lt=state.live).values_list(
                    "pk", flat=True
                )
            )
        )

    def _restrict(self, documents, query: Query):
        """Language, readable groups (asked on every query), expiry and facets:
        the documents this query may return."""
        now = timezone.now()
        documents = documents.filter(
            Q(language=query.language) | Q(language=ALL_LANGUAGES),
            Q(group_id__isnull=True) | Q(group_id__in=list(query.group_ids)),
            Q(expires_at__isnull=True) | Q(expires_at__gt=now),
            generation=SearchIndexState.live_generation(),
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

    def _match_source(self, query: Query) -> tuple[str, list]:
        """SQLite: SQL giving (id, kind, year, date, score) of the documents
        that ``_restrict`` allows and that contain every stem, and its
        parameters; ``_order`` sorts by score (0 when sorting by date: nothing
        is ranked). PostgreSQL reads its own narrow rows (``_postgres_query``).

        Read straight from Wagtail's index tables: the query Wagtail builds is
        hundreds of times slower here (it scans the index entries and re-runs
        MATCH for each). It starts from FTS5 (MATCH per document is slower
        still).
        """
        from django.contrib.contenttypes.models import ContentType

        content_type = ContentType.objects.get_for_model(SearchDocument).pk
        allowed_sql, allowed_params = (
            self._restrict(SearchDocument.objects.all(), query)
            .order_by()
            .values_list("pk", "kind", "year", "date", "title_terms")
            .query.sql_with_params()
        )
        ranked = query.sort != SORT_DATE
        bonus_sql, bonus_params = self._title_bonus(query) if ranked else ("0", [])
        joiner = " OR " if query.match_any else " AND "
        # Stems are word characters only, so quoting them is enough for FTS5.
        quoted = joiner.join(f'"{stem}"' for stem in query.stems)
        # bm25 is lower for better matches: the title bonus is subtracted.
        score = f"(bm25(wagtailsearch_indexentry_fts) - {bonus_sql})" if ranked else "0"
        sql = (
            f"WITH d(id, kind, year, date, t) AS ({allowed_sql}) "  # noqa: S608
            f"SELECT d.id, d.kind, d.year, d.date, {score} AS score "
            "FROM wagtailsearch_indexentry_fts "
            "CROSS JOIN wagtailsearch_indexentry e "
            "ON e.id = wagtailsearch_indexentry_fts.rowid "
            "CROSS JOIN d ON d.id = CAST(e.object_id AS INTEGER) "
            "WHERE wagtailsearch_indexentry_fts MATCH %s "
            "AND e.content_type_id = %s"
        )
        return sql, [
            *allowed_params,
            *bonus_params,
            f"{{title body}} : ({quoted})",
            content_type,
        ]

    @staticmethod
    def _title_bonus(query: Query, column: str = "d.t") -> tuple[str, list]:
        """SQL adding weight for the query's stems in the title (``d.t``, the
        title's terms): one step per stem found, three more when the title holds
        them all in the order typed. On SQLite the FTS5 rank alone would treat a
        title like any other text; PostgreSQL weighs the title already, the bonus
        keeps the two backends' orders alike."""
        step = "1.0" if connection.vendor == "sqlite" else "0.1"
        padded = f"(' ' || COALESCE({column}, '') || ' ')"
        parts, params = [], []

        def bonus(words: str, weight: str) -> None:
            condition, values = f"{padded} LIKE %s", [f"% {words} %"]
            if connection.vendor == "postgresql" and not set(words) & {"_", "%"}:
                # Same answer (PostgreSQL's LIKE is case-sensitive too), but
                # most titles are turned down without building the padded text.
                condition = f"strpos({column}, %s) > 0 AND {condition}"
                values.insert(0, words)
            parts.append(f"(CASE WHEN {condition} THEN {weight} ELSE 0 END)")
            params.extend(values)

        for stem in query.stems:
            bonus(stem, step)
        if len(query.stems) > 1:
            bonus(" ".join(query.stems), f"3 * {step}")
        return "(" + " + ".join(parts) + ")", params

    def _order(self, query: Query) -> str:
        if query.sort == SORT_DATE:
            return "date DESC, id DESC"
        if connection.vendor == "sqlite":
            return "score, id DESC"  # bm25: lower is better
        return "score DESC, id DESC"

    def query(self, query: Query) -> Results:
        """One statement: the match (text, filters and readable groups) is
        computed once into a materialised set; the total, every facet count and
        the requested page (clamped to the last one) are read from it."""
        if not query.stems:
            return Results(hits=[], total=0, page=1, num_pages=1)
        if connection.vendor == "postgresql":
            return self._postgres_query(query)
        match_sql, match_params = self._match_source(query)
        order = self._order(query)
        size = query.page_size
        # CROSS JOIN keeps SQLite on the matches (then the document_id index)
        # rather than scanning every facet value.
        sql = (
            f"WITH m AS MATERIALIZED ({match_sql}), "  # noqa: S608
            "p AS (SELECT id, date, score FROM m "
            # page_bounds' clamping: a page beyond the last gives the last.
            f"ORDER BY {order} LIMIT %s OFFSET ("
            "SELECT (MIN(MAX(%s, 1), MAX(1, (COUNT(*) + %s - 1) / %s)) - 1) * %s "
            "FROM m)) "
            "SELECT 'total', NULL, COUNT(*) FROM m "
            "UNION ALL SELECT 'kind', kind, COUNT(*) FROM m GROUP BY kind "
            "UNION ALL SELECT 'year', CAST(year AS TEXT), COUNT(*) FROM m "
            "WHERE year IS NOT NULL GROUP BY year "
            "UNION ALL SELECT f.facet, f.value, COUNT(*) FROM m "
            f"CROSS JOIN {SearchFacetValue._meta.db_table} f "
            "ON f.document_id = m.id GROUP BY f.facet, f.value "
            "UNION ALL SELECT 'hit', CAST(id AS TEXT), "
            f"ROW_NUMBER() OVER (ORDER BY {order}) FROM p"
        )
        params = [*match_params, size, query.page, size, size, size]
        return self._run(query, sql, params, cap=None)

    @staticmethod
    def _postgres_restrict(query: Query) -> tuple[str, list]:
        """``_restrict`` for the narrow rows (``SearchMatch`` as ``d``)."""
        conditions = [
            "d.generation = %s",
            "(d.language = %s OR d.language = %s)",
            "(d.group_id IS NULL OR d.group_id = ANY(%s))",
            "(d.expires_at IS NULL OR d.expires_at > %s)",
        ]
        params = [
            SearchIndexState.live_generation(),
            query.language,
            ALL_LANGUAGES,
            list(query.group_ids),
            timezone.now(),
        ]
        # The chosen facet values, OR within a facet and AND across facets,
        # as one query on the values' lexemes (GIN index, combined with the
        # words' own).
        chosen = [
            " | ".join(_lexeme(f"{facet}={value}") for value in values)
            for facet in FACETS
            if (values := getattr(query.filters, facet))
        ]
        if chosen:
            conditions.append("d.filters @@ CAST(%s AS tsquery)")
            params.append(" & ".join(f"({part})" for part in chosen))
        return " AND ".join(conditions), params

    def _postgres_query(self, query: Query) -> Results:
        """One statement over the narrow rows (``SearchMatch``), whose work is
        bounded however many documents match:

        - the matches are read up to ``exact_limit() + 1`` (GIN index on the
          vector; by date when sorting by date). Up to the limit the total,
          the facet counts and the order are exact, ranked as before
          (``ts_rank`` on the vector plus the title bonus).
        - Beyond it (a two-word query can match most of the index) the total
          is given as the limit with ``approximate`` set, the facets count
          the matches read, and only some candidates are ranked in full: the
          ``rank_candidates()`` read with the highest title bonus (the cheap
          pre-score, from the short title terms) and every match with all the
          words in the title (GIN index on the title vector), which is where
          the best-ranked matches are. The other matches read follow, by
          title bonus. Ranking every match costs ``ts_rank`` on tens of
          thousands of vectors, more than the whole time allowed.
        """
        text = (" or " if query.match_any else " ").join(query.stems)
        where, where_params = self._postgres_restrict(query)
        ranked = query.sort != SORT_DATE
        cap, size = exact_limit(), query.page_size
        table = SearchMatch._meta.db_table
        matches = f"{table} d WHERE d.vector @@ websearch_to_tsquery(%s) AND {where}"
        if ranked:
            bonus_sql, bonus_params = self._title_bonus(query, column="d.title_terms")
            rank = "ts_rank({}.vector, websearch_to_tsquery(%s))"
            sample = (
                "SELECT d.document_id AS id, d.kind, d.year, d.date, "  # noqa: S608
                f"d.facet_keys AS f, {bonus_sql} AS pre FROM {matches} LIMIT %s"
            )
            sample_params = [*bonus_params, text, *where_params, cap + 1]
            candidates = rank_candidates()
            ordered = (
                # Ranked in full: the matches read with the highest title
                # bonus (all of them up to ``candidates``) and, beyond, every
                # match with all the words in the title.
                f"r AS (SELECT c.id, {rank.format('m')} + c.pre AS score "  # noqa: S608
                "FROM (SELECT id, pre FROM s ORDER BY pre DESC, id DESC LIMIT %s) c "
                f"JOIN {table} m ON m.document_id = c.id UNION "
                f"(SELECT d.document_id, {rank.format('d')} + {bonus_sql} "
                f"FROM {table} d WHERE (SELECT c > %s FROM n) "
                f"AND d.title_vector @@ websearch_to_tsquery(%s) AND {where} "
                "LIMIT %s)), "
            )
            # The other matches read follow, by title bonus: read only when
            # the page asked goes beyond the ranked ones.
            paged = (
                "(SELECT id, score FROM r ORDER BY score DESC, id DESC "
                "LIMIT %s OFFSET (SELECT o FROM k)) UNION ALL "
                "(SELECT id, pre - 1000 FROM s WHERE (SELECT o + %s > "
                "(SELECT COUNT(*) FROM r) FROM k) AND NOT EXISTS (SELECT 1 FROM r "
                "WHERE r.id = s.id) ORDER BY pre DESC, id DESC LIMIT %s OFFSET "
                "(SELECT GREATEST(0, o - (SELECT COUNT(*) FROM r)) FROM k))"
            )
            paged_params = [size, size, size]
            ordered_params = [
                text,
                candidates,
                text,
                *bonus_params,
                candidates,
                text,
                *where_params,
                candidates,
            ]
            order = "score DESC, id DESC"
        else:
            sample = (
                "SELECT d.document_id AS id, d.kind, d.year, d.date, "  # noqa: S608
                f"d.facet_keys AS f FROM {matches} "
                "ORDER BY d.date DESC, d.document_id DESC LIMIT %s"
            )
            sample_params = [text, *where_params, cap + 1]
            ordered, ordered_params = "", []
            paged = "SELECT id, date FROM s ORDER BY date DESC, id DESC "
            paged += "LIMIT %s OFFSET (SELECT o FROM k)"
            paged_params = [size]
            order = "date DESC, id DESC"
        # Documents share combinations of facet values: each is split once.
        facet_counts = (
            "SELECT split_part(v, '=', 1), substr(v, strpos(v, '=') + 1), "
            "CAST(SUM(n) AS BIGINT) FROM (SELECT "
            "unnest(string_to_array(f, chr(10))) AS v, n FROM "
            "(SELECT f, COUNT(*) AS n FROM s GROUP BY f) g) u GROUP BY v"
        )
        sql = (
            f"WITH s AS MATERIALIZED ({sample}), "  # noqa: S608
            "n AS (SELECT COUNT(*) AS c FROM s), "
            # page_bounds' clamping: a page beyond the last gives the last.
            "k AS (SELECT (LEAST(GREATEST(%s, 1), GREATEST(1, "
            "(LEAST(c, %s) + %s - 1) / %s)) - 1) * %s AS o FROM n), "
            f"{ordered}"
            f"p AS (SELECT * FROM ({paged}) q ORDER BY {order} LIMIT %s) "
            "SELECT 'total', NULL, COUNT(*) FROM s "
            "UNION ALL SELECT 'kind', kind, COUNT(*) FROM s GROUP BY kind "
            "UNION ALL SELECT 'year', CAST(year AS TEXT), COUNT(*) FROM s "
            "WHERE year IS NOT NULL GROUP BY year "
            f"UNION ALL {facet_counts} "
            "UNION ALL SELECT 'hit', CAST(id AS TEXT), "
            f"ROW_NUMBER() OVER (ORDER BY {order}) FROM p"
        )
        params = [
            *sample_params,
            query.page,
            cap,
            size,
            size,
            size,
            *ordered_params,
            *paged_params,
            size,
        ]
        return self._run(query, sql, params, cap=cap)

    def _run(self, query: Query, sql: str, params: list, *, cap: int | None) -> Results:
        """Run a query statement: rows ('total', NULL, n), (facet, value, n)
        and ('hit', id, position); ``cap``: the total is exact up to it."""
        total, hits = 0, []
        counts: dict[str, dict[str, int]] = {name: {} for name in ("kind", "year")}
        counts.update({name: {} for name in _FACET_FIELDS})
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Compiling the plan (jit) costs more than it saves here, and
                # so does starting parallel workers for a read that stops
                # early; room for the matches read and their counts in memory.
                # When most rows match, the planner prefers reading the table
                # in order until 10,001 match, but it prices the @@ test of
                # each row far too low: that scan takes 2-2.5 times as long
                # as the GIN index's bitmap (120-135 ms vs 50-67 ms, 100,000
                # documents); every table this statement reads has an index
                # for it. One statement, as SET LOCAL for the transaction.
                cursor.execute(
                    "SELECT set_config('jit', 'off', true), "
                    "set_config('work_mem', '64MB', true), "
                    "set_config('max_parallel_workers_per_gather', '0', true), "
                    "set_config('enable_seqscan', 'off', true)"
                )
            # The SQL is built here; every value is a parameter.
            cursor.execute(sql, params)
            for part, value, number in cursor.fetchall():
                if part == "total":
                    total = number
                elif part == "hit":
                    hits.append((number, int(value)))
                else:
                    counts[part][value] = number
        approximate = cap is not None and total > cap
        if approximate:
            total = cap
        page, num_pages = page_bounds(total, query.page, query.page_size)
        ids = [pk for _position, pk in sorted(hits)]
        return self._results(ids, total, page, num_pages, counts, approximate)

    @staticmethod
    def _results(ids, total, page, num_pages, counts, approximate=False) -> Results:
        fields = ("key", "kind", "title", "text", "url", "date")
        rows = SearchDocument.objects.only(*fields).in_bulk(ids) if ids else {}
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
                for row in (rows[pk] for pk in ids if pk in rows)
            ],
            total=total,
            page=page,
            num_pages=num_pages,
            facets=counts if total else {},
            approximate=approximate,
        )
