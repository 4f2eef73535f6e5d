"""Reads behind the monitoring pages and their open-data exports.

The objective page, its chart and its CSV/JSON exports all read their rows from
here, so a status is computed once by ``rules`` and shown the same everywhere. The
pages themselves are only reachable when Wagtail serves them (live, and past any
view restriction), which also gates the export routes hanging off them.
"""

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from . import charts, rules
from .models import ObjectiveAction, ObjectiveIndicator, ObjectivePage

INDICATOR_FIELDS = [
    "objective_code",
    "code",
    "description",
    "type",
    "planned_value",
    "achieved_value",
    "unit",
    "status",
]
ACTION_FIELDS = [
    "objective_code",
    "code",
    "description",
    "progress_percent",
    "planned_start",
    "actual_start",
    "planned_end",
    "actual_end",
    "responsible",
    "responsible_centre",
    "status",
    "reference_date",
]


@dataclass
class IndicatorRow:
    indicator: ObjectiveIndicator
    status: rules.Status

    @property
    def status_label(self) -> str:
        return str(rules.INDICATOR_LABELS[self.status])


@dataclass
class ActionRow:
    action: ObjectiveAction
    status: rules.Status

    @property
    def status_label(self) -> str:
        return str(rules.ACTION_LABELS[self.status])


@dataclass
class ObjectiveDetail:
    actions: list[ActionRow]
    indicators: list[IndicatorRow]
    judged_on: datetime.date
    chart: charts.Chart | None
    counts: dict[str, int] = field(default_factory=dict)
    json_ld: SafeString = SafeString("")


def objective_actions(*, page: ObjectivePage) -> list[ActionRow]:
    """The page's actions in editor order, each with its computed status."""
    judged_on = page.judged_on
    return [
        ActionRow(action=action, status=action.status_on(judged_on))
        for action in page.actions.all()
    ]


def objective_indicators(*, page: ObjectivePage) -> list[IndicatorRow]:
    """The page's indicators in editor order, each with its computed status."""
    return [
        IndicatorRow(indicator=indicator, status=indicator.status)
        for indicator in page.indicators.all()
    ]


def _number(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return (
        format(value.normalize(), "f") if value == value.to_integral() else str(value)
    )


def indicator_records(*, page: ObjectivePage) -> list[dict]:
    """Open-data records of the indicators, keyed by ``INDICATOR_FIELDS``."""
    return [
        {
            "objective_code": page.code,
            "code": row.indicator.code,
            "description": row.indicator.description,
            "type": row.indicator.kind,
            "planned_value": _number(row.indicator.planned_value),
            "achieved_value": _number(row.indicator.achieved_value),
            "unit": row.indicator.unit,
            "status": row.status.value,
        }
        for row in objective_indicators(page=page)
    ]


def action_records(*, page: ObjectivePage) -> list[dict]:
    """Open-data records of the actions, keyed by ``ACTION_FIELDS``."""

    def iso(day):
        return day.isoformat() if day else None

    return [
        {
            "objective_code": page.code,
            "code": row.action.code,
            "description": row.action.description,
            "progress_percent": row.action.progress,
            "planned_start": iso(row.action.planned_start),
            "actual_start": iso(row.action.actual_start),
            "planned_end": iso(row.action.planned_end),
            "actual_end": iso(row.action.actual_end),
            "responsible": row.action.responsible,
            "responsible_centre": row.action.responsible_centre,
            "status": row.status.value,
            "reference_date": iso(page.judged_on),
        }
        for row in objective_actions(page=page)
    ]


def json_ld_script(data: dict) -> SafeString:
    """A schema.org JSON-LD block, escaped so no text can close the script."""
    text = json.dumps(data, ensure_ascii=False).translate(
        {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
    )
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


def objective_json_ld(
    *, page: ObjectivePage, request, indicators: list[IndicatorRow]
) -> SafeString:
    """schema.org Dataset describing the indicators and their downloads."""
    base = page.get_full_url(request=request) or ""
    description = page.summary or strip_tags(page.aims)[:500]
    data = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": page.title,
        "identifier": page.code,
        "description": description or page.title,
        "url": base,
        "inLanguage": translation.get_language(),
        "isAccessibleForFree": True,
        "variableMeasured": [row.indicator.description for row in indicators],
        "distribution": [
            {
                "@type": "DataDownload",
                "encodingFormat": "text/csv",
                "contentUrl": base + page.reverse_subpage("indicators_csv"),
            },
            {
                "@type": "DataDownload",
                "encodingFormat": "application/json",
                "contentUrl": base + page.reverse_subpage("indicators_json"),
            },
        ],
    }
    if page.responsible_centre:
        data["creator"] = {
            "@type": "Organization",
            "name": page.responsible_centre,
        }
    if page.reference_date:
        data["temporalCoverage"] = f"{page.reference_date.year}"
        data["dateModified"] = page.reference_date.isoformat()
    return json_ld_script(data)


def report_json_ld(*, page, request, rows: list) -> SafeString:
    """schema.org Report describing a programme report table and its areas."""
    data = {
        "@context": "https://schema.org",
        "@type": "Report",
        "name": page.title,
        "url": page.get_full_url(request=request) or "",
        "inLanguage": translation.get_language(),
        "about": [row.area for row in rows],
    }
    description = page.summary or strip_tags(page.intro)[:500]
    if description:
        data["description"] = description
    if page.source:
        data["isBasedOn"] = page.source
    return json_ld_script(data)


def objective_detail(*, page: ObjectivePage, request=None) -> ObjectiveDetail:
    """Everything the objective page shows: rows with statuses, counts, chart."""
    actions = objective_actions(page=page)
    indicators = objective_indicators(page=page)
    counts = {
        "indicators_green": sum(r.status == rules.Status.GREEN for r in indicators),
        "indicators_red": sum(r.status == rules.Status.RED for r in indicators),
        "indicators_pending": sum(r.status == rules.Status.PENDING for r in indicators),
        "actions_green": sum(r.status == rules.Status.GREEN for r in actions),
        "actions_red": sum(r.status == rules.Status.RED for r in actions),
    }
    return ObjectiveDetail(
        actions=actions,
        indicators=indicators,
        judged_on=page.judged_on,
        chart=charts.indicator_chart(indicators) if indicators else None,
        counts=counts,
        json_ld=(
            objective_json_ld(page=page, request=request, indicators=indicators)
            if request
            else SafeString("")
        ),
    )
