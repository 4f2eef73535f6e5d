"""The demo's programme report in English: translated once through
wagtail-localize from ``portal/demo/programme_report_en.json``."""

import io
import json
from http import HTTPStatus

import pytest
from bs4 import BeautifulSoup

from portal.monitoring import demo
from portal.monitoring.models import ProgrammeReportPage

pytestmark = pytest.mark.django_db


def _pages(tree):
    demo.load(home=tree.home, stdout=io.StringIO())
    italian = ProgrammeReportPage.objects.get(
        slug=demo.REPORT["slug"], locale__language_code="it"
    )
    english = (
        italian.get_translations().filter(locale__language_code="en").first().specific
    )
    return italian, english


def test_the_report_has_a_live_english_page_with_english_text(client, tree):
    italian, english = _pages(tree)
    assert english.live
    assert english.title == "Objectives and results by area 2009-2012"
    assert english.url.startswith("/en/monitoring/")
    response = client.get(english.url)
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert '<html lang="en"' in html
    table = BeautifulSoup(html, "html.parser").select_one("[data-testid=report-table]")
    headings = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headings[:2] == ["AREA", "Qualitative and quantitative objectives 2009-2011"]
    areas = [th.get_text(strip=True) for th in table.select("tbody th")]
    assert areas[0] == "TRANSNATIONAL GOVERNANCE"
    assert "Moldova, Egypt, Albania and Sri Lanka" in table.get_text(" ")
    # No Italian left: neither the areas nor the cells' texts.
    italian_rows = list(italian.rows.all())
    assert len(areas) == len(italian_rows) == 12
    for row in italian_rows:
        assert row.area not in areas, row.area
    text = table.get_text(" ")
    for phrase in (
        "Obiettivi quali",
        "Risultati previsti",
        "Azione di sistema Servizi alla Persona",
        "Realizzati i piani esecutivi",
        "Collocamento Mirato",
        "transizione pena",
    ):
        assert phrase not in text, phrase


def test_the_english_monitoring_index_lists_the_report(client, tree):
    _italian, english = _pages(tree)
    html = client.get(english.get_parent().url).content.decode()
    assert f'href="{english.url}"' in html


def test_the_translations_are_exactly_the_page_strings(tree):
    from wagtail_localize.models import StringSegment, TranslationSource

    italian, _english = _pages(tree)
    source = TranslationSource.objects.get_for_instance(italian)
    strings = set(
        StringSegment.objects.filter(source=source)
        .exclude(context__path="slug")
        .values_list("string__data", flat=True)
    )
    mapping = json.loads(demo.REPORT_EN.read_text(encoding="utf-8"))
    assert set(mapping) == strings
    assert all(english and english != text for text, english in mapping.items())


def test_loading_the_demo_again_adds_no_english_report(tree):
    _pages(tree)
    out = io.StringIO()
    demo.load(home=tree.home, stdout=out)
    assert ProgrammeReportPage.objects.filter(locale__language_code="en").count() == 1
    assert out.getvalue() == ""
