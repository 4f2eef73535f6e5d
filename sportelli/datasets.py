"""Open datasets of the job desks (see ``portal/opendata``): the public desks,
their public vacancies and the network dashboard's figures."""

from django.db.models import Max
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.opendata.catalogue import Dataset, Distribution

from .models import Sportello, Vacancy
from .selectors import PUBLIC, vacancy_public_q


def sportelli_datasets() -> list[Dataset]:
    # The Italian addresses: the data are the same in every language.
    with translation.override("it"):
        urls = {
            name: reverse(f"sportelli:{name}")
            for name in (
                "directory",
                "open_data_csv",
                "open_data_json",
                "open_data_geojson",
                "vacancies",
                "vacancies_csv",
                "vacancies_json",
                "dashboard",
                "dashboard_csv",
                "dashboard_json",
            )
        }
    desks_modified = Sportello.objects.filter(PUBLIC).aggregate(
        latest=Max("updated_at")
    )["latest"]
    vacancies_modified = Vacancy.objects.filter(vacancy_public_q()).aggregate(
        latest=Max("updated_at")
    )["latest"]
    return [
        Dataset(
            identifier="sportelli-lavoro",
            title=_("Job desks (Sportelli Lavoro)"),
            description=_(
                "The active job desks of the network: administration, address and "
                "coordinates, opening hours, contacts and services."
            ),
            themes=("GOVE", "SOCI"),
            modified=desks_modified,
            landing_page=urls["directory"],
            distributions=(
                Distribution("CSV", "text/csv", urls["open_data_csv"]),
                Distribution("JSON", "application/json", urls["open_data_json"]),
                Distribution(
                    "GEOJSON", "application/geo+json", urls["open_data_geojson"]
                ),
            ),
        ),
        Dataset(
            identifier="sportelli-offerte-lavoro",
            title=_("Vacancies of the job desks"),
            description=_(
                "The public vacancies the job desks publish: occupation (ISCO-08), "
                "sector, place, contract and working time, how to apply."
            ),
            themes=("ECON", "SOCI"),
            modified=vacancies_modified,
            landing_page=urls["vacancies"],
            frequency="DAILY",
            distributions=(
                Distribution("CSV", "text/csv", urls["vacancies_csv"]),
                Distribution("JSON", "application/json", urls["vacancies_json"]),
            ),
        ),
        Dataset(
            identifier="sportelli-cruscotto-rete",
            title=_("Job-desk network dashboard"),
            description=_(
                "Monthly figures of the job-desk network for the last 12 months: "
                "public vacancies published, open, filled, expired and withdrawn, "
                "proposals and hires, by province and occupation group (ISCO-08); "
                "proposals and hires under 5 withheld."
            ),
            themes=("ECON", "SOCI"),
            modified=vacancies_modified,
            landing_page=urls["dashboard"],
            frequency="DAILY",
            distributions=(
                Distribution("CSV", "text/csv", urls["dashboard_csv"]),
                Distribution("JSON", "application/json", urls["dashboard_json"]),
            ),
        ),
    ]


DATASETS = (sportelli_datasets,)
