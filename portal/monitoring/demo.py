"""Demo content: the "Monitoraggio" section with objective 2023_3504 (seed 003) and
the programme report table of seed 004, imported through the importer.

The seed files are copied in ``fixtures/`` so the demo works without ``shared/``.
Run it as often as you like: what exists is left alone.
"""

import datetime
import json
import re
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.html import escape
from wagtail.models import Page

from portal.demo.english import translate_once
from portal.models import SectionPage

from . import services
from .models import (
    ObjectiveAction,
    ObjectiveIndicator,
    ObjectivePage,
    ProgrammeReportPage,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED_003 = FIXTURES / "seed_003_objective_2023_3504.txt"
SEED_004 = FIXTURES / "seed_004_programme_report.tsv"
# The objective's English version: each Italian text of the page -> its English.
OBJECTIVE_EN = (
    Path(__file__).resolve().parents[1] / "demo" / "monitoring_objective_en.json"
)
# The report's English version: each Italian text of the page -> its English.
REPORT_EN = Path(__file__).resolve().parents[1] / "demo" / "programme_report_en.json"

SECTION = {
    "slug": "monitoraggio",
    "title": "Monitoraggio",
    "summary": (
        "Obiettivi, azioni e indicatori dei servizi per il lavoro, con lo stato di "
        "avanzamento e i dati aperti scaricabili."
    ),
    "intro": (
        "<p>Gli obiettivi annuali delle amministrazioni e i rapporti dei programmi: "
        "che cosa era previsto, che cosa è stato realizzato e in quali tempi.</p>"
    ),
}
SECTION_EN = {
    "Monitoraggio": "Monitoring",
    SECTION["summary"]: (
        "Objectives, actions and indicators of the employment services, with their "
        "progress and downloadable open data."
    ),
    "Gli obiettivi annuali delle amministrazioni e i rapporti dei programmi: che "
    "cosa era previsto, che cosa è stato realizzato e in quali tempi.": (
        "The administrations' yearly objectives and the programmes' reports: what was "
        "planned, what was done and when."
    ),
}
OBJECTIVE = {
    "slug": "obiettivo-2023-3504",
    "code": "2023_3504",
    "title": (
        "Attuazione delle politiche attive del lavoro in sinergia con il territorio"
    ),
    "summary": (
        "L'obiettivo 2023 del Settore Lavoro e Formazione: il Tavolo dell'Osservatorio "
        "provinciale del mercato del lavoro, la rete dei servizi per il lavoro, il "
        "Programma GOL, il Collocamento mirato e l'attività ispettiva."
    ),
    "responsible_centre": "SETTORE LAVORO E FORMAZIONE",
    "responsible_person": "Barbara Faroni",
    "reference_date": datetime.date(2023, 12, 31),
}
REPORT = {
    "slug": "rapporto-programma-2009-2012",
    "title": "Obiettivi e risultati per ambito 2009-2012",
    "summary": (
        "Il rapporto del programma per le aree immigrazione e inclusione sociale e "
        "lavorativa: obiettivi 2009-2011, risultati previsti e raggiunti al 2011, "
        "risultati previsti per il 2012."
    ),
    "source": "Italia Lavoro S.p.A., programmazione delle attività 2012",
}

ACTION_HEAD = re.compile(
    r"^(?P<code>[A-Z]\d?(?:-[A-Z])?)\) (?P<description>.*?)"
    r"(?P<progress>100|--)(?P<planned_start>\d\d/\d\d/\d{4})$"
)
ACTION_TAIL = re.compile(
    r"^(?P<status>green|red)(?P<responsible>.*?)(?P<centre>[A-Z][A-Z ]+)$"
)
INDICATOR_LINE = re.compile(
    r"^(?P<code>[A-Z]\d)\) (?P<description>.*?)(?P<kind>RISULTATO|EFFICACIA|_+)"
    r"(?P<planned>\d+\.\d)(?P<achieved>\d+\.\d)(?P<status>green|red)$"
)
PERCENT = re.compile(r"in %|valore in %|indicatore in %")


def _date(text: str) -> datetime.date | None:
    text = text.strip()
    if not text or set(text) == {"-"}:
        return None
    return datetime.datetime.strptime(text, "%d/%m/%Y").date()


def seed_actions(text: str) -> list[dict]:
    """Actions of seed 003 as field values (and the seed's own status)."""
    lines = text.splitlines()
    actions = []
    for index, line in enumerate(lines):
        match = ACTION_HEAD.match(line)
        if not match:
            continue
        actual_start, planned_end, actual_end, tail = lines[index + 1 : index + 5]
        tail_match = ACTION_TAIL.match(tail)
        responsible = tail_match["responsible"].strip("- ")
        actions.append(
            {
                "code": match["code"],
                "description": match["description"].strip(),
                "progress": None if match["progress"] == "--" else 100,
                "planned_start": _date(match["planned_start"]),
                "actual_start": _date(actual_start),
                "planned_end": _date(planned_end),
                "actual_end": _date(actual_end),
                "responsible": responsible,
                "responsible_centre": tail_match["centre"],
                "seed_status": tail_match["status"],
            }
        )
    return actions


def seed_indicators(text: str) -> list[dict]:
    """Indicators of seed 003 as field values (and the seed's own status)."""
    indicators = []
    for line in text.splitlines():
        match = INDICATOR_LINE.match(line.strip())
        if not match:
            continue
        description = match["description"].strip()
        indicators.append(
            {
                "code": match["code"],
                "description": description,
                "kind": "" if match["kind"].startswith("_") else match["kind"],
                "planned_value": Decimal(match["planned"]),
                "achieved_value": Decimal(match["achieved"]),
                "unit": "%" if PERCENT.search(description) else "",
                "seed_status": match["status"],
            }
        )
    return indicators


def seed_texts(text: str) -> dict[str, str]:
    """Aims, reasons and starting situation of seed 003 as rich text."""
    body = text.split("Finalità che si vogliono perseguire", 1)[1]
    body = body.split("\nDescrizione% avanzamento", 1)[0]
    aims, rest = body.split(" Motivazioni ", 1)
    reasons, situation = rest.split(" Situazione iniziale e traguardo atteso ", 1)
    aim_items = [item.strip() for item in aims.split("•") if item.strip()]
    situation_lines = [line.strip() for line in situation.splitlines() if line.strip()]
    bullets = [line[2:] for line in situation_lines if line.startswith("- ")]
    paragraphs = [line for line in situation_lines if not line.startswith("- ")]
    return {
        "aims": "<ul>"
        + "".join(f"<li>{escape(item)}</li>" for item in aim_items)
        + "</ul>",
        "reasons": f"<p>{escape(reasons.strip())}</p>",
        "starting_situation": "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        + "<ul>"
        + "".join(f"<li>{escape(item)}</li>" for item in bullets)
        + "</ul>",
    }


def _section(home: Page) -> SectionPage:
    existing = home.get_children().filter(slug=SECTION["slug"]).first()
    if existing is not None:
        return existing.specific
    section = SectionPage(
        slug=SECTION["slug"],
        title=SECTION["title"],
        summary=SECTION["summary"],
        intro=SECTION["intro"],
        show_in_menus=True,
    )
    home.add_child(instance=section)
    section.save_revision().publish()
    return section


def _objective(section: SectionPage) -> bool:
    if ObjectivePage.objects.filter(code=OBJECTIVE["code"]).exists():
        return False
    text = SEED_003.read_text(encoding="utf-8")
    fields = dict(OBJECTIVE.items())
    page = ObjectivePage(**fields, **seed_texts(text))
    page.actions = [
        ObjectiveAction(
            **{k: v for k, v in action.items() if k != "seed_status"},
            locale_id=section.locale_id,
            sort_order=position,
        )
        for position, action in enumerate(seed_actions(text))
    ]
    page.indicators = [
        ObjectiveIndicator(
            **{k: v for k, v in indicator.items() if k != "seed_status"},
            locale_id=section.locale_id,
            sort_order=position,
        )
        for position, indicator in enumerate(seed_indicators(text))
    ]
    section.add_child(instance=page)
    page.save_revision().publish()
    return True


def _report(section: SectionPage) -> int | None:
    if section.get_children().filter(slug=REPORT["slug"]).exists():
        return None
    page = ProgrammeReportPage(
        slug=REPORT["slug"],
        title=REPORT["title"],
        summary=REPORT["summary"],
        source=REPORT["source"],
    )
    section.add_child(instance=page)
    result = services.report_import(
        page=page,
        content=SEED_004.read_bytes(),
        filename=SEED_004.name,
        publish=True,
    )
    return result.count


def load(*, home, stdout) -> None:
    """Create the monitoring section, objective and report unless they exist."""
    with transaction.atomic():
        section = _section(home)
        translate_once(section, SECTION_EN)
        created = _objective(section)
        rows = _report(section)
        translate_once(
            ObjectivePage.objects.child_of(section)
            .filter(slug=OBJECTIVE["slug"])
            .first(),
            json.loads(OBJECTIVE_EN.read_text(encoding="utf-8")),
        )
        translate_once(
            ProgrammeReportPage.objects.child_of(section)
            .filter(slug=REPORT["slug"])
            .first(),
            json.loads(REPORT_EN.read_text(encoding="utf-8")),
        )
    if created:
        stdout.write("Monitoring: objective 2023_3504 with its actions and indicators.")
    if rows is not None:
        stdout.write(f"Monitoring: programme report imported ({rows} areas).")
