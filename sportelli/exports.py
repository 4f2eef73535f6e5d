"""Open data of the public job desks: CSV, JSON and GeoJSON, under CC BY 4.0.

The field names are ``selectors.OPEN_DATA_FIELDS`` in every format: English,
lower-case and stable (new ones are added at the end, none is renamed).
Coordinates are decimal degrees (WGS 84); GeoJSON puts them in [longitude,
latitude] order (RFC 7946) and gives desks without coordinates a null geometry.
In CSV, ``services`` is the catalogue codes joined by ``|``.
"""

import json

from django.http import HttpResponse
from django.utils import timezone

from portal import csvsafe
from portal.opendata.conf import licence_fields, licence_link

from . import selectors
from .selectors import dashboard as dashboard_selectors

ATTRIBUTION = "Esplora Lavoro – Rete degli Sportelli Lavoro"


def _finish(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    return licence_link(response)


def _metadata() -> dict:
    return {
        **licence_fields(),
        "attribution": ATTRIBUTION,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
    }


def _csv(filename: str, fields: list[str], records, listed: str) -> HttpResponse:
    """Open data: no BOM (``portal.csvsafe``'s rule), opened in the browser; the
    ``listed`` field's values joined by ``|``."""
    response = csvsafe.response(filename=filename, bom=False, inline=True)
    writer = csvsafe.DictWriter(response, fieldnames=fields, lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        writer.writerow({**record, listed: "|".join(record[listed])})
    return _finish(response, filename)


def _json(filename: str, fields: list[str], key: str, records) -> HttpResponse:
    payload = {**_metadata(), "fields": fields, key: records}
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    return _finish(response, filename)


def csv_response() -> HttpResponse:
    return _csv(
        "sportelli-lavoro.csv",
        selectors.OPEN_DATA_FIELDS,
        selectors.open_data_records(),
        listed="services",
    )


def json_response() -> HttpResponse:
    return _json(
        "sportelli-lavoro.json",
        selectors.OPEN_DATA_FIELDS,
        "desks",
        selectors.open_data_records(),
    )


def geojson_response() -> HttpResponse:
    features = []
    for record in selectors.open_data_records():
        geometry = None
        if record["latitude"] is not None and record["longitude"] is not None:
            geometry = {
                "type": "Point",
                "coordinates": [record["longitude"], record["latitude"]],
            }
        features.append(
            {
                "type": "Feature",
                "id": record["id"],
                "geometry": geometry,
                "properties": record,
            }
        )
    payload = {
        "type": "FeatureCollection",
        "metadata": _metadata(),
        "features": features,
    }
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False, indent=2),
        content_type="application/geo+json; charset=utf-8",
    )
    return _finish(response, "sportelli-lavoro.geojson")


# --- Vacancies ------------------------------------------------------------------
# Live public vacancies only (``selectors.vacancy_public_q``), fields
# ``selectors.VACANCY_OPEN_DATA_FIELDS``. In CSV, ``languages`` is
# ``code:level`` pairs joined by ``|``; ``employer`` is empty when withheld.


def vacancies_csv_response() -> HttpResponse:
    return _csv(
        "offerte-lavoro.csv",
        selectors.VACANCY_OPEN_DATA_FIELDS,
        selectors.vacancy_open_data_records(),
        listed="languages",
    )


def vacancies_json_response() -> HttpResponse:
    return _json(
        "offerte-lavoro.json",
        selectors.VACANCY_OPEN_DATA_FIELDS,
        "vacancies",
        selectors.vacancy_open_data_records(),
    )


# --- Network dashboard ----------------------------------------------------------
# The public dashboard's figures (``selectors.dashboard``): one record per
# month, province and occupation group, fields
# ``DASHBOARD_OPEN_DATA_FIELDS``. Proposals and hires under 5 are withheld:
# empty in CSV, null in JSON, and named in ``suppressed`` (joined by ``|`` in CSV).


def _dashboard_filename(filters, extension: str) -> str:
    values = (filters.region, filters.province)
    suffix = "".join(f"-{value.lower()}" for value in values if value)
    return f"cruscotto-rete-sportelli{suffix}.{extension}"


def dashboard_csv_response(*, filters) -> HttpResponse:
    return _csv(
        _dashboard_filename(filters, "csv"),
        dashboard_selectors.DASHBOARD_OPEN_DATA_FIELDS,
        dashboard_selectors.dashboard_open_data_records(filters=filters),
        listed="suppressed",
    )


def dashboard_json_response(*, filters) -> HttpResponse:
    records = dashboard_selectors.dashboard_open_data_records(filters=filters)
    payload = {
        **_metadata(),
        "filters": {"region_code": filters.region, "province": filters.province},
        "small_cell_threshold": dashboard_selectors.THRESHOLD,
        "fields": dashboard_selectors.DASHBOARD_OPEN_DATA_FIELDS,
        "figures": records,
    }
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    return _finish(response, _dashboard_filename(filters, "json"))
