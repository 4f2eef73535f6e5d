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
