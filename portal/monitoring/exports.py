"""Open-data exports (CSV and JSON) of an objective's indicators and actions.

Field names are English, lower-case and stable (``selectors.INDICATOR_FIELDS`` and
``selectors.ACTION_FIELDS``): reusers' scripts depend on them, so add fields at the
end and never rename one. Numbers use a dot as decimal separator, dates ISO 8601.
"""

import json

from django.http import HttpResponse
from django.utils.text import slugify

from portal import csvsafe
from portal.opendata.conf import licence_fields, licence_link

from . import selectors
from .models import ObjectivePage


def _response(*, page, fmt: str, name: str, fields: list[str], records: list[dict]):
    filename = f"{slugify(page.code) or page.pk}-{name}.{fmt}"
    if fmt == "csv":
        # Open data: plain UTF-8, no BOM (see portal.csvsafe).
        response = csvsafe.response(filename=filename, bom=False, inline=True)
        writer = csvsafe.DictWriter(response, fieldnames=fields, lineterminator="\r\n")
        writer.writeheader()
        for record in records:
            writer.writerow(record)
    else:
        payload = {
            "objective": {
                "code": page.code,
                "title": page.title,
                "reference_date": page.judged_on.isoformat(),
            },
            **licence_fields(),
            "fields": fields,
            name_key(name): records,
        }
        response = HttpResponse(
            json.dumps(payload, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    return licence_link(response)


def name_key(name: str) -> str:
    return {"indicatori": "indicators", "azioni": "actions"}[name]


def indicators_response(*, page: ObjectivePage, fmt: str) -> HttpResponse:
    return _response(
        page=page,
        fmt=fmt,
        name="indicatori",
        fields=selectors.INDICATOR_FIELDS,
        records=selectors.indicator_records(page=page),
    )


def actions_response(*, page: ObjectivePage, fmt: str) -> HttpResponse:
    return _response(
        page=page,
        fmt=fmt,
        name="azioni",
        fields=selectors.ACTION_FIELDS,
        records=selectors.action_records(page=page),
    )
