"""The OpenAPI document (valid OpenAPI 3.1, every path of the API listed) and
the national export of live public vacancies (JSON, XML valid against the
shipped XSD, schema.org JobPosting; pluggable formats; public and cacheable)."""

import json
from http import HTTPStatus

import pytest
from django.urls import URLPattern, get_resolver
from lxml import etree
from openapi_spec_validator import validate

from sportelli.api import export, openapi

pytestmark = pytest.mark.django_db

BASE = "/api/sportelli/v1/"


def _api_paths() -> set[str]:
    """Every pattern of sportelli/api/urls.py, in OpenAPI's notation."""
    resolver = get_resolver("sportelli.api.urls")
    paths = set()
    for pattern in resolver.url_patterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        for converter in ("str:", "int:"):
            route = route.replace(f"<{converter}", "{")
        route = route.replace(">", "}").replace("{pk}", "{id}")
        paths.add("/" + route)
    return paths


def test_the_openapi_document_is_valid_and_lists_every_path(client):
    response = client.get(f"{BASE}openapi.json")
    assert response.status_code == HTTPStatus.OK
    document = response.json()
    validate(document)
    assert document["openapi"] == "3.1.0"
    assert set(document["paths"]) == _api_paths()
    assert document["servers"][0]["url"].endswith("/api/sportelli/v1")


def test_the_docs_page_lists_the_operations(client):
    response = client.get(f"{BASE}docs/")
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    for operation in openapi.operations():
        assert operation["path"] in page


def test_the_json_feed_lists_only_live_public_vacancies(client, board):
    response = client.get(f"{BASE}export/vacancies.json")
    assert response.status_code == HTTPStatus.OK
    assert response["Cache-Control"] == "public, max-age=300"
    data = response.json()
    assert data["format"] == "esplora-lavoro-vacancies"
    ids = [row["id"] for row in data["vacancies"]]
    assert ids == [str(board.public_a.pk), str(board.public_b.pk)]
    withheld = data["vacancies"][1]
    assert withheld["employer"] is None
    assert withheld["workplace"]["istat_code"] == "039010"
    again = client.get(
        f"{BASE}export/vacancies.json", HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert again.status_code == HTTPStatus.NOT_MODIFIED


def test_the_xml_feed_is_valid_against_the_shipped_xsd(client, board):
    schema = etree.XMLSchema(etree.parse(str(export.SCHEMA_PATH)))
    response = client.get(f"{BASE}export/vacancies.xml")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("application/xml")
    document = etree.fromstring(response.content)
    schema.assertValid(document)
    ns = {"v": export.XML_NAMESPACE}
    assert document.xpath("count(//v:vacancy)", namespaces=ns) == 2
    assert document.xpath("//v:vacancy/v:languages/v:language/@level", namespaces=ns)
    served = client.get(f"{BASE}export/vacancies-export.xsd")
    assert served.status_code == HTTPStatus.OK
    assert b"".join(served.streaming_content) == export.SCHEMA_PATH.read_bytes()


def test_an_empty_xml_feed_is_valid_too(client, db):
    schema = etree.XMLSchema(etree.parse(str(export.SCHEMA_PATH)))
    response = client.get(f"{BASE}export/vacancies.xml")
    schema.assertValid(etree.fromstring(response.content))


def test_the_jsonld_feed_is_schema_org_job_postings(client, board):
    response = client.get(f"{BASE}export/vacancies.jsonld")
    assert response["Content-Type"].startswith("application/ld+json")
    data = response.json()
    assert data["@type"] == "ItemList" and data["numberOfItems"] == 2
    posting = data["itemListElement"][0]["item"]
    assert posting["@type"] == "JobPosting"
    for required in ("title", "description", "datePosted", "hiringOrganization"):
        assert posting[required]


def test_export_formats_are_pluggable(client, db, settings):
    assert client.get(f"{BASE}export/vacancies.csv").status_code == 404
    settings.SPORTELLI_EXPORT_FORMATS = {
        **export.DEFAULT_FORMATS,
        "count": "tests.sportelli.test_api_openapi_export.count_feed",
    }
    response = client.get(f"{BASE}export/vacancies.count")
    assert response.status_code == HTTPStatus.OK
    assert json.loads(response.content) == {"count": 0}


def count_feed(vacancies):
    return export.Exported(
        json.dumps({"count": len(vacancies)}).encode(), "application/json"
    )
