"""The search index's own tables: one normalised document per searchable thing,
its facet values, the query log and editors' promotions.

Wagtail's database backend indexes ``SearchDocument`` (full text of pre-analysed
terms); facets, permissions and dates are plain indexed columns so that counts are
ordinary GROUP BY queries.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

DATABASE_INDEX = "database"


class SearchIndexState(models.Model):
    """Which generation of a backend's index visitors search, and the one a full
    rebuild is writing beside it (``search_reindex`` runs in one process, the
    edits come from the task worker: both read this row). ``indices`` names the
    Elasticsearch indices being built, by language."""

    backend = models.CharField(_("backend"), max_length=100, unique=True)
    live = models.PositiveIntegerField(_("live generation"), default=1)
    building = models.PositiveIntegerField(
        _("generation being built"), null=True, blank=True
    )
    indices = models.JSONField(_("indices being built"), default=dict, blank=True)
    building_since = models.DateTimeField(_("rebuild started"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("search index state")
        verbose_name_plural = _("search index states")

    def __str__(self) -> str:
        return f"{self.backend}: {self.live}"

    @classmethod
    def live_generation(cls, backend: str = DATABASE_INDEX) -> int:
        live = cls.objects.filter(backend=backend).values_list("live", flat=True)
        return live.first() or 1

    @classmethod
    def locked(cls, backend: str) -> "SearchIndexState":
        """This backend's state, locked until the transaction ends: index writes,
        the start and the end of a rebuild take turns. The UPDATE comes first, so
        SQLite takes its write lock and PostgreSQL the row's lock before reading."""
        if not cls.objects.filter(backend=backend).update(updated_at=timezone.now()):
            cls.objects.get_or_create(backend=backend)
            cls.objects.filter(backend=backend).update(updated_at=timezone.now())
        return cls.objects.get(backend=backend)


class SearchIndexEdit(models.Model):
    """A document written or deleted by an ordinary change while a rebuild was
    building ``generation``: the rebuild's own (possibly older) copy must not
    replace it."""

    backend = models.CharField(_("backend"), max_length=100)
    generation = models.PositiveIntegerField(_("generation"))
    key = models.CharField(_("key"), max_length=64)

    class Meta:
        verbose_name = _("edit during a rebuild")
        verbose_name_plural = _("edits during a rebuild")
        indexes = [
            models.Index(
                fields=["backend", "generation", "key"], name="search_edit_key"
            ),
        ]

    def __str__(self) -> str:
        return self.key

    @classmethod
    def record(cls, *, backend: str, generation: int, keys: list[str]) -> None:
        cls.objects.bulk_create(
            [cls(backend=backend, generation=generation, key=key) for key in keys]
        )


class SearchDocumentQuerySet(models.QuerySet):
    def live(self):
        """The documents visitors search: the live generation's (a rebuild
        writes the next generation beside it)."""
        return self.filter(generation=SearchIndexState.live_generation())


class SearchDocument(index.Indexed, models.Model):
    """One searchable page, thread or post in one language, in one generation
    of the index."""

    key = models.CharField(_("key"), max_length=64)
    generation = models.PositiveIntegerField(_("generation"), default=1, editable=False)
    kind = models.CharField(_("content type"), max_length=100, db_index=True)
    language = models.CharField(_("language"), max_length=8)
    title = models.CharField(_("title"), max_length=255)
    text = models.TextField(_("text"), blank=True)
    title_terms = models.TextField(blank=True, editable=False)
    text_terms = models.TextField(blank=True, editable=False)
    url = models.CharField(_("address"), max_length=500)
    date = models.DateField(_("date"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    group_id = models.PositiveIntegerField(
        _("community group"), null=True, blank=True, db_index=True
    )
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    # The document's SearchFacetValue rows again, "facet=value" a line, so that
    # PostgreSQL counts the facets of a large match without joining every facet
    # value. PostgreSQL also has a covering index (migration 0003,
    # search_doc_gen_cover) of what a query reads of every match.
    facet_keys = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(_("indexed"), auto_now=True)

    objects = SearchDocumentQuerySet.as_manager()

    search_fields = [
        index.SearchField("title_terms", boost=3),
        index.SearchField("text_terms"),
        index.FilterField("language"),
        index.FilterField("kind"),
        index.FilterField("year"),
        index.FilterField("group_id"),
        index.FilterField("date"),
    ]

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        indexes = [
            models.Index(
                fields=["language", "kind", "generation"],
                name="search_doc_lang_kind_gen",
            ),
            models.Index(
                fields=["language", "date", "generation"],
                name="search_doc_lang_date_gen",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "generation"], name="search_doc_key_generation"
            )
        ]

    def __str__(self) -> str:
        return self.title


class SearchMatch(models.Model):
    """What a PostgreSQL query reads of each document, in a narrow row: its
    full-text vector (the same as its Wagtail index entry's ``body``), a
    vector of its title alone, its facet values as lexemes and the columns
    that restrict, count and rank it. The documents' wide rows (text,
    addresses) are then read only for the page shown. Written on PostgreSQL
    only (SQLite searches its FTS5 table); GIN indexes in migration 0004."""

    document = models.OneToOneField(
        SearchDocument,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    generation = models.PositiveIntegerField(default=1)
    language = models.CharField(max_length=8)
    kind = models.CharField(max_length=100)
    year = models.PositiveSmallIntegerField(null=True)
    date = models.DateField(null=True)
    group_id = models.PositiveIntegerField(null=True)
    expires_at = models.DateTimeField(null=True)
    title_terms = models.TextField(blank=True)
    facet_keys = models.TextField(blank=True)
    vector = SearchVectorField(null=True)
    title_vector = SearchVectorField(null=True)
    # The facet values as lexemes ("kind=…", "year=…", "topic=…"), so that a
    # GIN index answers the facets chosen together with the words.
    filters = SearchVectorField(null=True)

    class Meta:
        verbose_name = _("search match row")
        verbose_name_plural = _("search match rows")

    def __str__(self) -> str:
        return str(self.document_id)


class SearchFacetValue(models.Model):
    """A many-valued facet of a document: a topic, a target group or a region."""

    class Facet(models.TextChoices):
        TOPIC = "topic", _("Topic")
        TARGET = "target", _("Target group")
        REGION = "region", _("Territory")

    document = models.ForeignKey(
        SearchDocument, on_delete=models.CASCADE, related_name="facet_values"
    )
    facet = models.CharField(_("facet"), max_length=8, choices=Facet.choices)
    value = models.CharField(_("value"), max_length=32)

    class Meta:
        verbose_name = _("facet value")
        verbose_name_plural = _("facet values")
        indexes = [
            models.Index(fields=["facet", "value"], name="search_facet_value"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "facet", "value"], name="search_facet_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.facet}={self.value}"


class QueryLog(models.Model):
    """How often a normalised query was searched in a language, and its last
    result count (editors look for frequent and zero-result queries)."""

    query = models.CharField(_("query"), max_length=200)
    language = models.CharField(_("language"), max_length=8)
    hits = models.PositiveIntegerField(_("searches"), default=0)
    last_result_count = models.PositiveIntegerField(_("results"), default=0)
    last_searched_at = models.DateTimeField(_("last searched"), auto_now=True)

    class Meta:
        verbose_name = _("search query")
        verbose_name_plural = _("search queries")
        ordering = ["-hits"]
        constraints = [
            models.UniqueConstraint(
                fields=["query", "language"], name="search_querylog_unique"
            )
        ]

    def __str__(self) -> str:
        return self.query


class SearchPromotion(models.Model):
    """A page an editor puts first for a query (matched on its normalised words)."""

    query = models.CharField(
        _("query"),
        max_length=200,
        help_text=_("The words visitors type, e.g. “SILLA download”."),
    )
    normalised_query = models.CharField(max_length=200, editable=False, db_index=True)
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("page"),
    )
    description = models.CharField(
        _("description"),
        max_length=255,
        blank=True,
        help_text=_("Shown under the title; the page's summary when empty."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("query"),
        FieldPanel("page"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("promoted result")
        verbose_name_plural = _("promoted results")
        ordering = ["normalised_query", "sort_order"]

    def __str__(self) -> str:
        return f"{self.query} → {self.page}"

    def save(self, *args, **kwargs):
        from .query import normalise_query

        self.normalised_query = normalise_query(self.query)
        super().save(*args, **kwargs)
