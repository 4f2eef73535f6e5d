"""The export of published public vacancies, for the national labour
information system and anyone else who aggregates job offers.

The national system's own exchange schema cannot be known from here, so this is
NOT a claimed official format: it is the portal's own documented feed, in
JSON and in XML (its XSD ships as ``sportelli/schema/vacancies-export.xsd`` and
is served beside the feed), plus schema.org ``JobPosting`` (JSON-LD), which
aggregators read. When the national format is published, an exporter for it is
one more entry in ``SPORTELLI_EXPORT_FORMATS`` (name -> dotted path of a
callable taking the vacancies and returning ``Exported``); nothing else moves.

What is exported: live vacancies of public desks with public visibility, the
same rule as the job board (``selectors.vacancy_list_board``). The employer is
left out when the desk withholds it. Codes, not labels: ISCO-08, CP2011,
ATECO 2025, ISTAT municipality codes, ISO 639-1 with CEFR levels.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET  # noqa: S405 - we write XML, never parse it

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.module_loading import import_string
from django.views.decorators.http import require_safe

from portal.opendata.conf import licence_fields, licence_link
from portal.services import absolute_url

from .. import exports, selectors
from ..models import Vacancy

FEED_VERSION = "1.0"
XML_NAMESPACE = "urn:esplora-lavoro:sportelli:vacancies-export:1"
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "vacancies-export.xsd"

DEFAULT_FORMATS = {
    "json": "sportelli.api.export.json_feed",
    "xml": "sportelli.api.export.xml_feed",
    "jsonld": "sportelli.api.export.jsonld_feed",
}


@dataclass(frozen=True)
class Exported:
    body: bytes
    content_type: str


def export_formats() -> dict[str, str]:
    """Format name -> dotted path of its exporter (read at each call, so a
    deployment or a test may add one)."""
    return getattr(settings, "SPORTELLI_EXPORT_FORMATS", None) or DEFAULT_FORMATS


def exporter(name: str):
    path = export_formats().get(name)
    return import_string(path) if path else None


def exported_vacancies() -> list[Vacancy]:
    """The live public vacancies, oldest id first (one query)."""
    return list(selectors.vacancy_list_board().order_by("pk"))


def vacancy_record(vacancy: Vacancy) -> dict:
    """One vacancy of the feed; the same keys in JSON and (as elements) XML."""
    sportello = vacancy.sportello
    municipality = vacancy.municipality
    employer = selectors.vacancy_employer_label(vacancy)
    return {
        "id": str(vacancy.pk),
        "url": absolute_url(vacancy.get_absolute_url()),
        "title": vacancy.title,
        "description": vacancy.description,
        "how_to_apply": vacancy.how_to_apply,
        "isco_code": vacancy.isco_code,
        "cp2011_code": vacancy.cp2011_code or None,
        "ateco_code": vacancy.ateco_code,
        "contract_type": vacancy.contract_type,
        "working_time": vacancy.working_time,
        "positions": vacancy.positions,
        "workplace": {
            "istat_code": municipality.istat_code,
            "name": municipality.name,
            "province": municipality.province_sigla,
            "region_code": municipality.region,
        },
        "education_level": vacancy.education_level,
        "languages": [
            {"language": row["language"], "level": row["level"]}
            for row in vacancy.languages
        ],
        "driving_licence": vacancy.driving_licence or None,
        "experience_years": vacancy.experience_years,
        "employer": employer or None,
        "desk": {
            "name": sportello.name,
            "administration": sportello.organisation.name,
            "url": absolute_url(sportello.get_absolute_url()),
        },
        "published_at": vacancy.published_at.isoformat(timespec="seconds"),
        "deadline": vacancy.deadline.isoformat(),
    }


def _header(count: int) -> dict:
    return {
        "format": "esplora-lavoro-vacancies",
        "version": FEED_VERSION,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "publisher": exports.ATTRIBUTION,
        **licence_fields(),
        "count": count,
    }


def json_feed(vacancies: list[Vacancy]) -> Exported:
    payload = {
        **_header(len(vacancies)),
        "vacancies": [vacancy_record(vacancy) for vacancy in vacancies],
    }
    return Exported(
        json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8"),
        "application/json; charset=utf-8",
    )


def _xml_value(parent, name: str, value) -> None:
    if value is None:
        return
    element = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, item in value.items():
            _xml_value(element, key, item)
    else:
        element.text = str(value)


def xml_feed(vacancies: list[Vacancy]) -> Exported:
    header = _header(len(vacancies))
    root = ET.Element(
        "vacancies",
        {
            "xmlns": XML_NAMESPACE,
            "version": FEED_VERSION,
            "generated_at": header["generated_at"],
            "count": str(header["count"]),
        },
    )
    publisher = ET.SubElement(root, "publisher")
    publisher.text = header["publisher"]
    licence = ET.SubElement(root, "licence", {"url": header["licence_url"]})
    licence.text = header["licence"]
    for vacancy in vacancies:
        record = vacancy_record(vacancy)
        element = ET.SubElement(root, "vacancy", {"id": record.pop("id")})
        for key, value in record.items():
            if key == "languages":
                if value:
                    group = ET.SubElement(element, "languages")
                    for row in value:
                        ET.SubElement(group, "language", row)
                continue
            _xml_value(element, key, value)
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return Exported(body, "application/xml; charset=utf-8")


def jsonld_feed(vacancies: list[Vacancy]) -> Exported:
    """schema.org ``JobPosting`` for each vacancy (as on its page), in an
    ``ItemList``."""
    elements = []
    for position, vacancy in enumerate(vacancies, start=1):
        posting = selectors.vacancy_json_ld(vacancy=vacancy)
        posting.pop("@context", None)
        elements.append({"@type": "ListItem", "position": position, "item": posting})
    payload = {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "name": exports.ATTRIBUTION,
        "numberOfItems": len(elements),
        "itemListElement": elements,
    }
    return Exported(
        json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8"),
        "application/ld+json; charset=utf-8",
    )


def _last_modified(vacancies: list[Vacancy]) -> datetime.datetime | None:
    moments = [vacancy.updated_at for vacancy in vacancies if vacancy.updated_at]
    return max(moments) if moments else None


@require_safe
def feed(request, fmt: str):
    """The export in format ``fmt``: public, cacheable (ETag of the vacancies
    it lists, Last-Modified of the newest change)."""
    make = exporter(fmt)
    if make is None:
        raise Http404("No such export format.")
    vacancies = exported_vacancies()
    # The ETag depends on what is listed, not on generated_at.
    state = "|".join(f"{v.pk}:{v.updated_at.timestamp()}" for v in vacancies)
    etag = '"' + hashlib.sha256(f"{fmt}|{state}".encode()).hexdigest() + '"'
    modified = _last_modified(vacancies)
    timestamp = int(modified.timestamp()) if modified else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if not_modified is not None:
        return not_modified
    result = make(vacancies)
    response = HttpResponse(result.body, content_type=result.content_type)
    response["ETag"] = etag
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    licence_link(response)
    return response


@require_safe
def schema(request):
    """The XSD of the XML feed, as it ships in the repository."""
    response = FileResponse(SCHEMA_PATH.open("rb"), content_type="application/xml")
    response["Cache-Control"] = "public, max-age=86400"
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    return response
