# Written for issue 13's speed work (PostgreSQL search over 100,000 documents).

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

# The same statement as DatabaseSearchBackend._postgres_matches_write, over
# every document that has an index entry (the title vector is the entry's
# weights other than D: the title terms; the text's are D).
FILL = """
INSERT INTO portal_search_searchmatch (document_id, generation, language, kind,
    year, date, group_id, expires_at, title_terms, facet_keys, vector,
    title_vector, filters)
SELECT d.id, d.generation, d.language, d.kind, d.year, d.date, d.group_id,
    d.expires_at, d.title_terms, d.facet_keys, e.body, ts_filter(e.body, '{a,b,c}'),
    array_to_tsvector(array_remove(ARRAY['kind=' || d.kind,
        'year=' || COALESCE(CAST(d.year AS TEXT), '')]
        || string_to_array(d.facet_keys, chr(10)), 'year='))
FROM portal_search_searchdocument d
JOIN wagtailsearch_indexentry e ON e.object_id = CAST(d.id AS TEXT)
JOIN django_content_type t ON t.id = e.content_type_id
    AND t.app_label = 'portal_search' AND t.model = 'searchdocument'
ON CONFLICT (document_id) DO NOTHING
"""


def postgres_create(apps, schema_editor):
    """PostgreSQL only: GIN indexes on the three vectors, and the rows of the
    documents already indexed. SQLite keeps the (empty) table: it searches FTS5."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in (
        "CREATE INDEX IF NOT EXISTS search_match_vector "
        "ON portal_search_searchmatch USING gin (vector)",
        "CREATE INDEX IF NOT EXISTS search_match_title_vector "
        "ON portal_search_searchmatch USING gin (title_vector)",
        "CREATE INDEX IF NOT EXISTS search_match_filters "
        "ON portal_search_searchmatch USING gin (filters)",
        FILL,
    ):
        schema_editor.execute(statement)


def postgres_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in (
        "search_match_vector",
        "search_match_title_vector",
        "search_match_filters",
    ):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("portal_search", "0003_searchdocument_facet_keys_cover"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchMatch",
            fields=[
                (
                    "document",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="portal_search.searchdocument",
                    ),
                ),
                ("generation", models.PositiveIntegerField(default=1)),
                ("language", models.CharField(max_length=8)),
                ("kind", models.CharField(max_length=100)),
                ("year", models.PositiveSmallIntegerField(null=True)),
                ("date", models.DateField(null=True)),
                ("group_id", models.PositiveIntegerField(null=True)),
                ("expires_at", models.DateTimeField(null=True)),
                ("title_terms", models.TextField(blank=True)),
                ("facet_keys", models.TextField(blank=True)),
                (
                    "vector",
                    django.contrib.postgres.search.SearchVectorField(null=True),
                ),
                (
                    "title_vector",
                    django.contrib.postgres.search.SearchVectorField(null=True),
                ),
                (
                    "filters",
                    django.contrib.postgres.search.SearchVectorField(null=True),
                ),
            ],
            options={
                "verbose_name": "search match row",
                "verbose_name_plural": "search match rows",
            },
        ),
        migrations.RunPython(postgres_create, postgres_drop),
    ]
