import pytest

from portal.monitoring import importers, services
from portal.monitoring.demo import SEED_004
from portal.monitoring.models import ObjectivePage, ReportRow

from .factories import objective_page, report_page

pytestmark = pytest.mark.django_db

GOOD = (
    "code,description,type,planned_value,achieved_value\n"
    "F2,N. incontri di raccordo con Punti informativi,RISULTATO,1.0,0.0\n"
    "G3,N. controlli svolti (in %),,50.0,0.0\n"
)
BAD = GOOD + "G4,,RISULTATO,x,1\n"


def test_import_publishes_when_asked(tree, make_user):
    page = objective_page(tree.section, indicators=3)
    result = services.objective_import(
        page=page,
        kind="indicators",
        content=GOOD.encode(),
        filename="i.csv",
        user=make_user(is_superuser=True, is_staff=True),
        publish=True,
    )
    assert result.count == 2
    page = ObjectivePage.objects.get(pk=page.pk)
    assert [i.code for i in page.indicators.all()] == ["F2", "G3"]
    assert {i.locale_id for i in page.indicators.all()} == {page.locale_id}
    assert page.actions.count() == 2  # the other kind is left alone


def test_import_as_draft_leaves_the_live_page_alone(tree):
    page = objective_page(tree.section, indicators=3)
    result = services.objective_import(
        page=page, kind="indicators", content=GOOD.encode(), filename="i.csv"
    )
    assert not result.published
    page = ObjectivePage.objects.get(pk=page.pk)
    assert page.indicators.count() == 3
    assert page.has_unpublished_changes
    draft = page.get_latest_revision_as_object()
    assert [i.code for i in draft.indicators.all()] == ["F2", "G3"]


def test_a_bad_file_saves_nothing(tree):
    page = objective_page(tree.section, indicators=3)
    revisions = page.revisions.count()
    with pytest.raises(importers.ImportRejected) as error:
        services.objective_import(
            page=page,
            kind="indicators",
            content=BAD.encode(),
            filename="i.csv",
            publish=True,
        )
    assert {issue.row for issue in error.value.issues} == {4}
    page.refresh_from_db()
    assert page.indicators.count() == 3
    assert page.revisions.count() == revisions


def test_unknown_kind_is_a_programming_error(tree):
    page = objective_page(tree.section)
    with pytest.raises(ValueError):
        services.objective_import(page=page, kind="x", content=b"", filename="x.csv")


def test_report_import_from_the_seed(tree):
    page = report_page(tree.section)
    result = services.report_import(
        page=page, content=SEED_004.read_bytes(), filename="seed.tsv", publish=True
    )
    assert result.count == 12
    page.refresh_from_db()
    assert page.objectives_heading == "Obiettivi quali -quantitativi 2009-2011"
    rows = list(page.rows.all())
    assert len(rows) == 12
    assert rows[0].area == "GOVERNANCE TRANSNAZIONALE"
    assert rows[0].expected_results.startswith("<ul><li>Ampliamento degli accordi")


def test_bad_report_saves_nothing(tree):
    page = report_page(tree.section)
    services.report_import(
        page=page, content=SEED_004.read_bytes(), filename="seed.tsv", publish=True
    )
    bad = SEED_004.read_bytes() + b"\nAREA NUOVA\tsolo due colonne\n"
    with pytest.raises(importers.ImportRejected):
        services.report_import(page=page, content=bad, filename="x.tsv", publish=True)
    assert ReportRow.objects.filter(page=page).count() == 12
