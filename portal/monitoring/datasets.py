"""Open datasets of the monitoring section (see ``portal/opendata``): each
published objective's indicators and actions, in CSV and JSON."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.opendata.catalogue import Dataset, Distribution

from .models import ObjectivePage

# (key, CSV route, JSON route, title, description)
KINDS = (
    (
        "indicators",
        "indicators_csv",
        "indicators_json",
        _("Indicators of objective %(code)s: %(title)s"),
        _(
            "Each indicator of the objective with its baseline, target and "
            "achieved values."
        ),
    ),
    (
        "actions",
        "actions_csv",
        "actions_json",
        _("Actions of objective %(code)s: %(title)s"),
        _(
            "Each action of the objective with its planned and actual dates, "
            "progress and timeliness."
        ),
    ),
)


def _title(page: ObjectivePage, titles: dict[str, str], pattern) -> dict[str, str]:
    """``pattern`` in each language, with the objective's title in it."""
    found = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found[code] = str(pattern) % {
                "code": page.code,
                "title": titles.get(code, page.title),
            }
    return found


def objective_datasets() -> list[Dataset]:
    pages = (
        ObjectivePage.objects.live()
        .public()
        .filter(locale__language_code=settings.LANGUAGE_CODE[:2])
        .order_by("path")
    )
    datasets = []
    for page in pages:
        titles = dict(
            page.get_translations(inclusive=True)
            .live()
            .values_list("locale__language_code", "title")
        )
        for key, csv_route, json_route, title, description in KINDS:
            datasets.append(
                Dataset(
                    identifier=f"monitoraggio-{page.code.lower()}-{key}",
                    title=_title(page, titles, title),
                    description=description,
                    themes=("GOVE",),
                    modified=page.last_published_at,
                    landing_page=page.url,
                    languages=tuple(sorted(titles)),
                    distributions=(
                        Distribution(
                            "CSV",
                            "text/csv",
                            page.url + page.reverse_subpage(csv_route),
                        ),
                        Distribution(
                            "JSON",
                            "application/json",
                            page.url + page.reverse_subpage(json_route),
                        ),
                    ),
                )
            )
    return datasets


DATASETS = (objective_datasets,)
