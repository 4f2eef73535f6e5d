"""The DCAT-AP_IT catalogue of the portal's open data (JSON-LD).

Each app declares its datasets in ``<app>/datasets.py``::

    DATASETS = (objective_datasets,)

where each function returns ``Dataset`` records built from what is published
now. ``catalogue_document()`` describes them with the vocabulary of DCAT-AP_IT
(the Italian profile of DCAT-AP, dati.gov.it): every dataset with its
identifier (``<IPA code>:<identifier>``), title and description in Italian and
English, publisher and rights holder (the administration and its IPA code),
contact point, theme from the EU data-theme vocabulary, modification date,
update frequency, licence, and its distributions with format (EU file-type
vocabulary), media type and address.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

from portal.services import absolute_url

from . import conf

EU = "http://publications.europa.eu/resource/authority/"
THEMES = {  # EU data-theme vocabulary (the codes DCAT-AP_IT requires)
    "AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "INTR", "JUST",
    "REGI", "SOCI", "TECH", "TRAN",
}  # fmt: skip
FILE_TYPES = {"CSV", "JSON", "GEOJSON", "XML", "RDF_XML", "JSON_LD", "PDF"}
FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "QUARTERLY", "ANNUAL", "IRREG"}
LANGUAGES = {"it": "ITA", "en": "ENG"}
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "dcatapit": "http://dati.gov.it/onto/dcatapit#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
# A text in several languages: a lazy translation (rendered in each of the
# portal's languages), {language code: text}, or a plain string in Italian.
Text = Promise | str | dict[str, str]


@dataclass(frozen=True)
class Distribution:
    """One file of a dataset: ``file_type`` from the EU file-type vocabulary."""

    file_type: str
    media_type: str
    url: str

    def __post_init__(self):
        if self.file_type not in FILE_TYPES:
            raise ValueError(f"unknown EU file type {self.file_type!r}")


@dataclass(frozen=True)
class Dataset:
    """An open dataset as an app declares it.

    ``identifier`` is stable and unique in the portal (it becomes
    ``<IPA code>:<identifier>``); ``landing_page`` is the page that presents it;
    ``themes`` are EU data-theme codes; ``frequency`` an EU frequency code.
    """

    identifier: str
    title: Text
    description: Text
    themes: tuple[str, ...]
    distributions: tuple[Distribution, ...]
    modified: datetime.date | datetime.datetime | None = None
    landing_page: str = ""
    keywords: tuple[Text, ...] = ()
    frequency: str = "IRREG"
    languages: tuple[str, ...] = ("it",)

    def __post_init__(self):
        unknown = set(self.themes) - THEMES
        if unknown or not self.themes:
            raise ValueError(f"{self.identifier}: EU data themes needed, not {unknown}")
        if self.frequency not in FREQUENCIES:
            raise ValueError(f"{self.identifier}: unknown frequency {self.frequency}")


@cache
def declared_providers() -> tuple[Callable[[], Iterable[Dataset]], ...]:
    """Every installed app's ``datasets.DATASETS``."""
    found: list[Callable[[], Iterable[Dataset]]] = []
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, "datasets"):
            continue
        found.extend(getattr(import_module(f"{config.name}.datasets"), "DATASETS", ()))
    return tuple(found)


def dataset_list() -> list[Dataset]:
    """Every declared dataset, by identifier."""
    datasets = [dataset for provider in declared_providers() for dataset in provider()]
    return sorted(datasets, key=lambda dataset: dataset.identifier)


def _texts(value: Text) -> list[dict[str, str]]:
    if isinstance(value, dict):
        texts = value
    elif isinstance(value, Promise):
        texts = {}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                texts[code] = str(value)
    else:
        texts = {settings.LANGUAGE_CODE[:2]: value}
    return [{"@language": code, "@value": text} for code, text in texts.items() if text]


def _date(value: datetime.date | datetime.datetime | None) -> dict[str, str]:
    if value is None:
        value = timezone.localdate()
    elif isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return {"@type": "xsd:date", "@value": value.isoformat()}


def _agent(publisher: conf.Publisher) -> dict:
    return {
        "@type": ["dcatapit:Agent", "foaf:Agent"],
        "dct:identifier": publisher.ipa_code,
        "foaf:name": publisher.name,
    }


def _licence() -> dict:
    current = conf.licence()
    document = {
        "@id": current.url,
        "@type": ["dcatapit:LicenseDocument", "dct:LicenseDocument"],
        "foaf:name": current.name,
    }
    if current.url == conf.CC_BY_4[1]:
        document["dct:type"] = {"@id": "http://purl.org/adms/licencetype/Attribution"}
        document["owl:versionInfo"] = "4.0"
    return document


def _dataset(dataset: Dataset, *, base: str, publisher: conf.Publisher) -> dict:
    licence = _licence()
    node = {
        "@id": f"{base}#{dataset.identifier}",
        "@type": ["dcatapit:Dataset", "dcat:Dataset"],
        "dct:identifier": f"{publisher.ipa_code}:{dataset.identifier}",
        "dct:title": _texts(dataset.title),
        "dct:description": _texts(dataset.description),
        "dct:modified": _date(dataset.modified),
        "dct:publisher": _agent(publisher),
        "dct:rightsHolder": _agent(publisher),
        "dct:accrualPeriodicity": {"@id": f"{EU}frequency/{dataset.frequency}"},
        "dct:language": [
            {"@id": f"{EU}language/{LANGUAGES[code]}"} for code in dataset.languages
        ],
        "dcat:theme": [{"@id": f"{EU}data-theme/{code}"} for code in dataset.themes],
        "dcat:contactPoint": {
            "@type": ["dcatapit:Organization", "vcard:Organization"],
            "vcard:fn": publisher.name,
            "vcard:hasEmail": {"@id": f"mailto:{conf.contact_email()}"},
        },
        "dcat:distribution": [
            {
                "@id": absolute_url(distribution.url),
                "@type": ["dcatapit:Distribution", "dcat:Distribution"],
                "dct:format": {"@id": f"{EU}file-type/{distribution.file_type}"},
                "dcat:mediaType": distribution.media_type,
                "dcat:accessURL": {"@id": absolute_url(distribution.url)},
                "dcat:downloadURL": {"@id": absolute_url(distribution.url)},
                "dct:license": licence,
            }
            for distribution in dataset.distributions
        ],
    }
    if dataset.landing_page:
        node["dcat:landingPage"] = {"@id": absolute_url(dataset.landing_page)}
    keywords = [text for keyword in dataset.keywords for text in _texts(keyword)]
    if keywords:
        node["dcat:keyword"] = keywords
    return node


def catalogue_document(*, url: str) -> dict:
    """The catalogue at ``url`` (absolute) with every declared dataset."""
    publisher = conf.publisher()
    datasets = dataset_list()
    modified = [
        _date(dataset.modified)["@value"] for dataset in datasets if dataset.modified
    ]
    return {
        "@context": CONTEXT,
        "@id": url,
        "@type": ["dcatapit:Catalog", "dcat:Catalog"],
        "dct:title": _texts(_("Esplora Lavoro open data")),
        "dct:description": _texts(
            _(
                "Open data of the employment services programmes: monitoring of "
                "the objectives, good practices, job desks and their vacancies."
            )
        ),
        "dct:publisher": _agent(publisher),
        "dct:modified": {
            "@type": "xsd:date",
            "@value": max(modified) if modified else timezone.localdate().isoformat(),
        },
        "dct:language": [
            {"@id": f"{EU}language/{LANGUAGES[code]}"} for code in LANGUAGES
        ],
        "foaf:homepage": {"@id": absolute_url("/")},
        "dcat:dataset": [
            _dataset(dataset, base=url, publisher=publisher) for dataset in datasets
        ],
    }
