"""The DCAT-AP_IT catalogue of the open data (``/dati/catalogo.jsonld``): every
dataset the apps declare, with its licence, publisher, themes and distributions;
the exports carry the same licence."""

import ast
import json
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from portal.opendata import catalogue
from tests.monitoring.factories import objective_page
from tests.practices.factories import practice, practice_index

pytestmark = pytest.mark.django_db

EU = "http://publications.europa.eu/resource/authority/"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"


@pytest.fixture
def published(tree):
    index = practice_index(tree.home)
    practice(index)
    objective = objective_page(tree.home)
    return index, objective


def _catalogue(client) -> dict:
    response = client.get("/dati/catalogo.jsonld")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    return json.loads(response.content)


def _datasets(document) -> dict[str, dict]:
    return {node["dct:identifier"]: node for node in document["dcat:dataset"]}


def _languages(texts) -> set[str]:
    return {text["@language"] for text in texts if text["@value"]}


def test_the_catalogue_describes_each_declared_dataset(client, published):
    document = _catalogue(client)
    assert "dcatapit:Catalog" in document["@type"]
    assert document["@id"] == "http://localhost/dati/catalogo.jsonld"
    assert _languages(document["dct:title"]) == {"it", "en"}
    datasets = _datasets(document)
    assert {
        "formez:buone-pratiche",
        "formez:monitoraggio-2023_3504-indicators",
        "formez:monitoraggio-2023_3504-actions",
        "formez:sportelli-lavoro",
        "formez:sportelli-offerte-lavoro",
    } <= set(datasets)
    for identifier, node in datasets.items():
        assert "dcatapit:Dataset" in node["@type"], identifier
        assert _languages(node["dct:title"]) == {"it", "en"}, identifier
        assert _languages(node["dct:description"]) == {"it", "en"}, identifier
        assert node["dct:publisher"]["dct:identifier"] == "formez"
        assert node["dct:rightsHolder"]["foaf:name"] == "FormezPA"
        assert node["dct:modified"]["@type"] == "xsd:date"
        assert node["dcat:contactPoint"]["vcard:hasEmail"]["@id"].startswith("mailto:")
        assert "@" in node["dcat:contactPoint"]["vcard:hasEmail"]["@id"]
        assert all(
            theme["@id"].removeprefix(f"{EU}data-theme/") in catalogue.THEMES
            for theme in node["dcat:theme"]
        )
        assert node["dct:accrualPeriodicity"]["@id"].startswith(f"{EU}frequency/")
        assert node["dcat:distribution"], identifier
        for distribution in node["dcat:distribution"]:
            assert distribution["dct:format"]["@id"].startswith(f"{EU}file-type/")
            assert distribution["dcat:mediaType"]
            assert distribution["dcat:accessURL"]["@id"].startswith("http://localhost/")
            assert distribution["dct:license"]["@id"] == CC_BY
            assert distribution["dct:license"]["foaf:name"] == "CC BY 4.0"


def test_every_distribution_answers_with_its_media_type(client, published):
    for node in _datasets(_catalogue(client)).values():
        for distribution in node["dcat:distribution"]:
            path = distribution["dcat:accessURL"]["@id"].removeprefix(
                "http://localhost"
            )
            response = client.get(path)
            assert response.status_code == HTTPStatus.OK, path
            assert response["Content-Type"].startswith(
                distribution["dcat:mediaType"]
            ), path


def test_monitoring_titles_name_the_objective_in_each_language(client, published):
    _index, objective = published
    node = _datasets(_catalogue(client))["formez:monitoraggio-2023_3504-indicators"]
    assert all(objective.title in text["@value"] for text in node["dct:title"])
    assert node["dcat:landingPage"]["@id"] == "http://localhost" + objective.url
    objective.refresh_from_db()
    assert node["dct:modified"]["@value"] == (
        timezone.localtime(objective.last_published_at).date().isoformat()
    )


def test_an_editor_chosen_licence_and_publisher(client, published, settings):
    settings.OPEN_DATA_LICENCE = (
        "CC0 1.0",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    )
    settings.OPEN_DATA_PUBLISHER = ("Ministero del Lavoro", "m_lps")
    settings.OPEN_DATA_CONTACT_EMAIL = "opendata@example.org"
    document = _catalogue(client)
    assert document["dct:publisher"]["dct:identifier"] == "m_lps"
    node = _datasets(document)["m_lps:buone-pratiche"]
    assert node["dcat:contactPoint"]["vcard:hasEmail"]["@id"] == (
        "mailto:opendata@example.org"
    )
    licence = node["dcat:distribution"][0]["dct:license"]
    assert licence["@id"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert licence["foaf:name"] == "CC0 1.0"
    # The exports say the same.
    _index, objective = published
    response = client.get(objective.url + "dati/indicatori/json/")
    assert response["Link"] == (
        '<https://creativecommons.org/publicdomain/zero/1.0/>; rel="license"'
    )
    assert json.loads(response.content)["licence"] == "CC0 1.0"


@pytest.mark.parametrize("route", ["indicatori", "azioni"])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_monitoring_exports_carry_the_licence(client, published, route, fmt):
    _index, objective = published
    response = client.get(f"{objective.url}dati/{route}/{fmt}/")
    assert response.status_code == HTTPStatus.OK
    assert response["Link"] == f'<{CC_BY}>; rel="license"'
    if fmt == "json":
        payload = json.loads(response.content)
        assert payload["licence"] == "CC BY 4.0"
        assert payload["licence_url"] == CC_BY


def test_a_dataset_needs_eu_themes_and_file_types():
    with pytest.raises(ValueError):
        catalogue.Dataset(
            identifier="x", title="x", description="x", themes=("LAVORO",),
            distributions=(),
        )  # fmt: skip
    with pytest.raises(ValueError):
        catalogue.Distribution("XLS", "application/vnd.ms-excel", "/x")


def test_the_catalogue_imports_no_app():
    """Declare, don't import: the apps' datasets.py are found, not imported."""
    apps = {"community", "kit_downloads", "search", "sportelli"}
    for path in Path(settings.BASE_DIR, "portal", "opendata").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                module = node.module
            elif isinstance(node, ast.Import):
                module = node.names[0].name
            else:
                continue
            root = module.split(".")
            assert root[0] not in apps, (path.name, module)
            # The portal's core (its settings model, services) is not an app.
            assert not (root[0] == "portal" and len(root) > 1 and root[1] not in {
                "opendata", "services", "models",
            }), (path.name, module)  # fmt: skip
    modules = {provider.__module__ for provider in catalogue.declared_providers()}
    assert {
        "portal.practices.datasets",
        "portal.monitoring.datasets",
        "sportelli.datasets",
    } <= modules


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_practice_exports_carry_the_licence(client, published, fmt):
    index, _objective = published
    response = client.get(f"{index.url}open-data/{fmt}/")
    assert response.status_code == HTTPStatus.OK
    assert response["Link"] == f'<{CC_BY}>; rel="license"'
    if fmt == "json":
        assert json.loads(response.content)["licence_url"] == CC_BY


def test_the_editors_choose_the_licence_in_the_portal_settings(client, published):
    from wagtail.models import Site

    from portal.models import PortalSettings

    index, _objective = published
    # CC BY 4.0 until the editors choose another.
    response = client.get(f"{index.url}open-data/json/")
    assert json.loads(response.content)["licence"] == "CC BY 4.0"
    portal_settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    portal_settings.open_data_licence = "IODL-2.0"
    portal_settings.save()
    # Saving the settings forgets the cached choice: every export and the
    # catalogue say the new licence at once.
    response = client.get(f"{index.url}open-data/json/")
    assert json.loads(response.content)["licence"] == "IODL 2.0"
    assert response["Link"] == '<https://www.dati.gov.it/iodl/2.0/>; rel="license"'
    node = _datasets(_catalogue(client))["formez:buone-pratiche"]
    licence = node["dcat:distribution"][0]["dct:license"]
    assert licence["@id"] == "https://www.dati.gov.it/iodl/2.0/"
    response = client.get("/sportelli/dati-aperti/offerte-lavoro.json")
    assert json.loads(response.content)["licence"] == "IODL 2.0"
