import csv
import io
import json
from decimal import Decimal
from http import HTTPStatus

import pytest
from wagtail.models import PageViewRestriction

from portal.monitoring import selectors

from .factories import objective_page, report_page

pytestmark = pytest.mark.django_db


def en_url(page) -> str:
    return "/en" + page.url if not page.url.startswith("/en/") else page.url


def test_objective_page_shows_tables_chart_and_statuses(client, tree):
    page = objective_page(tree.section, actions=2, indicators=2)
    indicator = page.indicators.last()
    indicator.achieved_value = Decimal(1)
    indicator.save()
    response = client.get(page.url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert html.count("<caption>") == 2
    assert 'scope="col"' in html and 'scope="row"' in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in html
    assert 'aria-labelledby="indicator-chart-title indicator-chart-desc"' in html
    assert '<desc id="indicator-chart-desc">' in html
    # Status by text as well as colour.
    assert 'data-status="red"' in html and 'data-status="green"' in html
    assert '<g data-code="I1" data-status="red">' in html
    assert "application/ld+json" in html


def test_objective_page_in_english_uses_english_labels(client, tree):
    page = objective_page(tree.section, actions=1, indicators=1)
    from django.utils import translation

    with translation.override("en"):
        detail = selectors.objective_detail(page=page)
        assert detail.indicators[0].status_label == "Target met"
        assert detail.actions[0].status_label == "On time"


@pytest.mark.parametrize("size", [2, 40])
def test_objective_page_query_count_does_not_grow(
    client, tree, size, django_assert_max_num_queries
):
    page = objective_page(
        tree.section, slug=f"obiettivo-{size}", actions=size, indicators=size
    )
    client.get(page.url)  # warm caches (site root paths, navigation)
    with django_assert_max_num_queries(14):
        response = client.get(page.url)
    assert response.status_code == HTTPStatus.OK
    assert response.content.decode().count("<tr data-code=") == 2 * size


def test_query_count_is_the_same_at_two_sizes(client, tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (3, 30):
        page = objective_page(
            tree.section,
            slug=f"o-{size}",
            code=f"C{size}",
            actions=size,
            indicators=size,
        )
        client.get(page.url)
        with CaptureQueriesContext(connection) as queries:
            client.get(page.url)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_indicator_exports_have_stable_fields(client, tree):
    page = objective_page(tree.section, actions=1, indicators=2)
    response = client.get(page.url + "dati/indicatori/csv/")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == selectors.INDICATOR_FIELDS
    assert rows[0] == {
        "objective_code": "2023_3504",
        "code": "I0",
        "description": "N. incontri 0",
        "type": "RISULTATO",
        "planned_value": "4",
        "achieved_value": "4",
        "unit": "",
        "status": "green",
    }
    data = json.loads(client.get(page.url + "dati/indicatori/json/").content)
    assert data["fields"] == selectors.INDICATOR_FIELDS
    assert data["objective"]["code"] == "2023_3504"
    assert [row["code"] for row in data["indicators"]] == ["I0", "I1"]


def test_action_exports(client, tree):
    page = objective_page(tree.section, actions=2, indicators=0)
    data = json.loads(client.get(page.url + "dati/azioni/json/").content)
    assert data["fields"] == selectors.ACTION_FIELDS
    assert data["actions"][0]["planned_start"] == "2023-01-01"
    assert data["actions"][0]["status"] == "green"
    response = client.get(page.url + "dati/azioni/csv/")
    header = response.content.decode().splitlines()[0]
    assert header == ",".join(selectors.ACTION_FIELDS)


def test_exports_of_a_draft_or_restricted_objective_are_not_served(client, tree):
    draft = objective_page(tree.section, live=False)
    assert (
        client.get(f"/buone-pratiche/{draft.slug}/dati/indicatori/csv/").status_code
        == HTTPStatus.NOT_FOUND
    )
    page = objective_page(tree.section, slug="riservato", code="R1")
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get(page.url + "dati/indicatori/json/")
    assert response.status_code == HTTPStatus.FOUND
    assert "login" in response["Location"] or "account" in response["Location"]


def test_json_ld_cannot_break_out_of_its_script(tree):
    page = objective_page(tree.section, title="</script><script>alert(1)</script>")
    script = selectors.objective_json_ld(page=page, request=None, indicators=[])
    assert "</script><script>" not in script
    assert script.count("</script>") == 1


def test_report_page_renders_the_table(client, tree):
    from portal.monitoring import services
    from portal.monitoring.demo import SEED_004

    page = report_page(tree.section)
    services.report_import(
        page=page, content=SEED_004.read_bytes(), filename="s.tsv", publish=True
    )
    response = client.get(page.url)
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert html.count('<th scope="row">') == 12
    assert html.count('<th scope="col">') == 5
    assert "<caption>" in html
    assert "<li>Realizzare 1 rete di servizi Italia estero" in html
    assert '"@type": "Report"' in html
    assert "list-style-type" not in html


def test_csv_exports_neutralise_formulas(client, tree):
    page = objective_page(tree.section, actions=1, indicators=0)
    page.actions.update(description="@SUM(A1:A9)")

    response = client.get(page.url + "dati/azioni/csv/")

    (row,) = csv.DictReader(io.StringIO(response.content.decode()))
    assert row["description"] == "'@SUM(A1:A9)"
