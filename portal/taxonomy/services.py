"""Writes on the vocabulary."""

import csv
from pathlib import Path

from django.db import transaction

DATA_FILE = Path(__file__).resolve().parent / "data" / "istat_territories.csv"


@transaction.atomic
def territories_load(*, territory_model=None, path: Path = DATA_FILE) -> int:
    """Create or update the ISTAT regions and provinces from the CSV; return the count.

    ``territory_model`` lets a data migration pass its historical model.
    """
    if territory_model is None:
        from .models import Territory as territory_model
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    regions = {}
    for row in rows:
        if row["kind"] != "region":
            continue
        region, _created = territory_model.objects.update_or_create(
            code=row["code"], defaults={"kind": "region", "name": row["name"]}
        )
        regions[row["code"]] = region
    for row in rows:
        if row["kind"] != "province":
            continue
        territory_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "kind": "province",
                "name": row["name"],
                "abbreviation": row["abbreviation"],
                "region": regions[row["region_code"]],
            },
        )
    from .models import Territory
    from .selectors import vocabulary_invalidate

    vocabulary_invalidate(Territory)
    return len(rows)


@transaction.atomic
def term_translate(*, term, language_code: str, name: str):
    """Translate a vocabulary term into ``language_code`` through wagtail-localize
    (so editors see and edit it from the snippet's "Translate" action) and return
    the translated term. The slug stays the source's."""
    from wagtail.models import Locale
    from wagtail_localize.models import (
        StringSegment,
        StringTranslation,
        Translation,
        TranslationSource,
    )

    locale = Locale.objects.get(language_code=language_code)
    source, _created = TranslationSource.get_or_create_from_instance(term)
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    for segment in StringSegment.objects.filter(source=source).select_related(
        "string", "context"
    ):
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={
                "data": name,
                "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
            },
        )
    translation.save_target()
    return term.get_translation(locale)
