import datetime
import io
from decimal import Decimal

import pytest

from portal.models import SectionPage
from portal.monitoring import demo, selectors
from portal.monitoring.models import ObjectivePage, ProgrammeReportPage

from .test_rules import SEED_INDICATORS

pytestmark = pytest.mark.django_db


def test_demo_builds_the_seed_objective_and_report(tree):
    demo.load(home=tree.home, stdout=io.StringIO())
    section = SectionPage.objects.get(slug="monitoraggio")
    assert section.show_in_menus and section.live
    page = ObjectivePage.objects.get(code="2023_3504", locale__language_code="it")
    assert page.get_parent().pk == section.pk
    assert page.responsible_centre == "SETTORE LAVORO E FORMAZIONE"
    assert "Tavolo dell’Osservatorio" in page.indicators.get(code="A1").description
    assert "Regione Lombardia" in page.aims

    indicators = {
        row.indicator.code: row for row in selectors.objective_indicators(page=page)
    }
    assert list(indicators) == [code for code, *_ in SEED_INDICATORS]
    for code, planned, achieved, colour in SEED_INDICATORS:
        row = indicators[code]
        assert row.indicator.planned_value == Decimal(planned)
        assert row.indicator.achieved_value == Decimal(achieved)
        assert row.status.value == colour, code
    assert indicators["A2"].indicator.kind == "EFFICACIA"
    assert indicators["G3"].indicator.kind == ""

    actions = {row.action.code: row for row in selectors.objective_actions(page=page)}
    assert list(actions) == [
        "A", "B", "C1-A", "C1-B", "C2", "D1", "D2", "E1", "E2", "F1", "F2", "G1",
    ]  # fmt: skip
    assert [code for code, row in actions.items() if row.status.value == "red"] == [
        "F2"
    ]
    f2 = actions["F2"].action
    assert f2.progress is None and f2.actual_start is None
    assert f2.planned_start == datetime.date(2023, 10, 1)
    assert actions["E2"].action.planned_start == datetime.date(2023, 5, 1)

    report = ProgrammeReportPage.objects.get(slug="rapporto-programma-2009-2012")
    assert report.live
    assert report.rows.count() == 12
    assert report.rows.first().area == "GOVERNANCE TRANSNAZIONALE"


def test_demo_is_idempotent(tree):
    demo.load(home=tree.home, stdout=io.StringIO())
    counts = (ObjectivePage.objects.count(), ProgrammeReportPage.objects.count())
    out = io.StringIO()
    demo.load(home=tree.home, stdout=out)
    assert (ObjectivePage.objects.count(), ProgrammeReportPage.objects.count()) == (
        counts
    )
    assert SectionPage.objects.filter(slug="monitoraggio").count() == 1
    assert out.getvalue() == ""


def test_demo_page_renders_with_seed_colours(client, tree):
    demo.load(home=tree.home, stdout=io.StringIO())
    page = ObjectivePage.objects.get(code="2023_3504", locale__language_code="it")
    html = client.get(page.url).content.decode()
    assert '<g data-code="F2" data-status="red">' in html
    assert '<g data-code="G3" data-status="red">' in html
    # F2 and G3 each as a badge and a chart bar group, plus the F2 action's badge.
    assert html.count('data-status="red"') == 5
