"""Builders of monitoring pages for the tests (pages need a parent in the tree)."""

import datetime
from decimal import Decimal

from portal.monitoring.models import (
    ObjectiveAction,
    ObjectiveIndicator,
    ObjectivePage,
    ProgrammeReportPage,
)


def action(position: int = 0, **fields) -> ObjectiveAction:
    values = {
        "code": f"A{position}",
        "description": f"Azione {position}",
        "progress": 100,
        "planned_start": datetime.date(2023, 1, 1),
        "actual_start": datetime.date(2023, 1, 1),
        "planned_end": datetime.date(2023, 12, 31),
        "actual_end": datetime.date(2023, 12, 31),
        "responsible_centre": "LAVORO E FORMAZIONE",
        "sort_order": position,
    }
    values.update(fields)
    return ObjectiveAction(**values)


def indicator(position: int = 0, **fields) -> ObjectiveIndicator:
    values = {
        "code": f"I{position}",
        "description": f"N. incontri {position}",
        "kind": "RISULTATO",
        "planned_value": Decimal(4),
        "achieved_value": Decimal(4),
        "sort_order": position,
    }
    values.update(fields)
    return ObjectiveIndicator(**values)


def objective_page(
    parent, *, actions: int = 2, indicators: int = 2, live: bool = True, **fields
) -> ObjectivePage:
    values = {
        "title": "Politiche attive del lavoro",
        "slug": "obiettivo",
        "code": "2023_3504",
        "responsible_centre": "SETTORE LAVORO E FORMAZIONE",
        "reference_date": datetime.date(2023, 12, 31),
        "aims": "<p>Promuovere la capacità del territorio.</p>",
    }
    values.update(fields)
    page = ObjectivePage(**values)
    page.actions = [action(n, locale_id=parent.locale_id) for n in range(actions)]
    page.indicators = [
        indicator(n, locale_id=parent.locale_id) for n in range(indicators)
    ]
    page.live = live
    parent.add_child(instance=page)
    if live:
        page.save_revision().publish()
    return page


def report_page(parent, **fields) -> ProgrammeReportPage:
    values = {"title": "Rapporto 2009-2012", "slug": "rapporto"}
    values.update(fields)
    page = ProgrammeReportPage(**values)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page
