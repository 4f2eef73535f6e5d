"""Open dataset of the good practices (see ``portal/opendata``)."""

from django.conf import settings
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from portal.opendata.catalogue import Dataset, Distribution

from .models import GoodPracticePage, PracticeIndexPage


def practice_datasets() -> list[Dataset]:
    language = settings.LANGUAGE_CODE[:2]
    index = (
        PracticeIndexPage.objects.live()
        .public()
        .filter(locale__language_code=language)
        .order_by("path")
        .first()
    )
    if index is None:
        return []
    modified = (
        GoodPracticePage.objects.live()
        .descendant_of(index)
        .aggregate(latest=Max("last_published_at"))["latest"]
    )
    return [
        Dataset(
            identifier="buone-pratiche",
            title=_("Good practices of the employment services"),
            description=_(
                "The good practices collected by the observatories: territories, "
                "years, status, evidence level, topics, target groups and promoter."
            ),
            themes=("SOCI", "ECON"),
            modified=modified or index.last_published_at,
            landing_page=index.url,
            distributions=(
                Distribution(
                    "CSV", "text/csv", index.url + index.reverse_subpage("csv_route")
                ),
                Distribution(
                    "JSON",
                    "application/json",
                    index.url + index.reverse_subpage("json_route"),
                ),
            ),
        )
    ]


DATASETS = (practice_datasets,)
