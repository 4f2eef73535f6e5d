import csv
import io
import json
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.practices.models import GoodPracticePage
from tests.practices import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(tree):
    return factories.practice_index(tree.home)


@pytest.fixture
def practices(index):
    placement = factories.topic()
    balance = factories.topic("conciliazione", "Conciliazione vita-lavoro")
    young = factories.target()
    return {
        "campania": factories.practice(
            index,
            title="Tirocini a Napoli",
            territories=["063"],
            topics=[placement],
            targets=[young],
            year_start=2011,
            year_end=None,
            status="ongoing",
            evidence_level="control_group",
        ),
        "puglia": factories.practice(
            index,
            title="Sportello a Bari",
            territories=["072"],
            topics=[balance],
            year_start=2009,
            year_end=2010,
        ),
        "lazio": factories.practice(
            index, title="Rete del Lazio", territories=["12"], topics=[placement]
        ),
        "draft": factories.practice(index, title="Bozza segreta", publish=False),
    }


def _titles(response) -> list[str]:
    return [card.page.title for card in response.context["browse"].cards]


def test_index_lists_live_practices_only(client, index, practices):
    response = client.get(index.url)

    assert response.status_code == HTTPStatus.OK
    assert sorted(_titles(response)) == [
        "Rete del Lazio",
        "Sportello a Bari",
        "Tirocini a Napoli",
    ]
    assert "Bozza segreta" not in response.content.decode()


def test_facets_show_counts(client, index, practices):
    facets = client.get(index.url).context["browse"].facets

    regions = {f.label: f.count for f in facets["region"]}
    assert regions == {"Campania": 1, "Lazio": 1, "Puglia": 1}
    assert {f.label: f.count for f in facets["topic"]} == {
        "Collocamento mirato": 2,
        "Conciliazione vita-lavoro": 1,
    }
    years = {f.label: f.count for f in facets["year"]}
    assert (years["2009"], years["2010"], years["2011"]) == (1, 2, 2)
    assert {f.value: f.count for f in facets["evidence"]} == {
        "control_group": 1,
        "monitored": 2,
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"region": "15"}, ["Tirocini a Napoli"]),
        ({"region": ["15", "16"]}, ["Sportello a Bari", "Tirocini a Napoli"]),
        ({"topic": "collocamento-mirato"}, ["Rete del Lazio", "Tirocini a Napoli"]),
        ({"topic": "collocamento-mirato", "region": "12"}, ["Rete del Lazio"]),
        ({"target": "giovani"}, ["Tirocini a Napoli"]),
        ({"year": "2009"}, ["Sportello a Bari"]),
        ({"year": "2025"}, ["Tirocini a Napoli"]),
        ({"evidence": "control_group"}, ["Tirocini a Napoli"]),
        ({"status": "ongoing"}, ["Tirocini a Napoli"]),
        ({"q": "Bari"}, ["Sportello a Bari"]),
    ],
)
def test_filters(client, index, practices, params, expected):
    response = client.get(index.url, params)

    assert sorted(_titles(response)) == expected


@pytest.mark.parametrize(
    "params",
    [
        {"region": "99"},
        {"year": "abc"},
        {"year": "99999"},
        {"topic": "<script>"},
        {"evidence": "excellent"},
        {"sort": "DROP TABLE"},
        {"page": "-1"},
        {"page": "9999"},
        {"q": '"((*:'},
    ],
)
def test_malformed_filters_are_ignored(client, index, practices, params):
    response = client.get(index.url, params)

    assert response.status_code == HTTPStatus.OK
    assert response.context["browse"].total >= 1


def test_sort_by_title(client, index, practices):
    response = client.get(index.url, {"sort": "title"})

    assert _titles(response) == [
        "Rete del Lazio",
        "Sportello a Bari",
        "Tirocini a Napoli",
    ]


def test_filter_state_is_in_the_links(client, index, practices):
    for number in range(15):
        factories.practice(index, title=f"Altra {number}", territories=["063"])

    html = client.get(index.url, {"region": "15"}).content.decode()

    assert "region=15&amp;page=2" in html
    assert 'value="15" id="f-region-15" checked' in html


@pytest.mark.parametrize("size", [10, 1000])
def test_index_query_count_does_not_grow(client, index, size):
    topic = factories.topic()
    for _number in range(10):
        factories.practice(index, topics=[topic], territories=["063"])
    factories.bulk_children(
        index,
        [
            GoodPracticePage(
                title=f"Copia {number}",
                slug=f"copia-{number}",
                summary="Copia",
                description="<p>x</p>",
                year_start=2011,
                status="ongoing",
                evidence_level="described",
            )
            for number in range(size - 10)
        ],
    )
    client.get(index.url)  # warm the vocabulary and navigation caches

    with CaptureQueriesContext(connection) as queries:
        response = client.get(index.url, {"region": "15", "sort": "title"})
    with CaptureQueriesContext(connection) as unfiltered:
        response = client.get(index.url)

    assert response.context["browse"].total == size
    assert len(unfiltered) <= 15
    assert len(queries) <= 15


def test_open_data_csv_and_json(client, index, practices):
    csv_response = client.get(index.url + "open-data/csv/")
    json_response = client.get(index.url + "open-data/json/")

    rows = list(csv.DictReader(io.StringIO(csv_response.content.decode())))
    data = json.loads(json_response.content)
    assert csv_response["Content-Type"].startswith("text/csv")
    assert {row["title"] for row in rows} == {
        "Tirocini a Napoli",
        "Sportello a Bari",
        "Rete del Lazio",
    }
    napoli = next(row for row in rows if row["title"] == "Tirocini a Napoli")
    assert napoli["territories"] == "063"
    assert napoli["topics"] == "collocamento-mirato"
    assert data["fields"][0] == "id"
    assert len(data["records"]) == 3


def test_feeds_list_live_practices(client, index, practices):
    rss = client.get(index.url + "feed/").content.decode()
    atom = client.get(index.url + "feed/atom/").content.decode()

    assert "<rss" in rss and "Tirocini a Napoli" in rss
    assert "Bozza segreta" not in rss
    assert 'xmlns="http://www.w3.org/2005/Atom"' in atom


def test_practice_page_has_schema_org_metadata(client, index, practices):
    html = client.get(practices["campania"].url).content.decode()

    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    data = json.loads(html[start : html.index("</script>", start)])
    assert data["@type"] == "Article"
    assert data["name"] == "Tirocini a Napoli"
    assert "Napoli (NA)" in data["spatialCoverage"]


def test_open_data_csv_neutralises_formulas(client, index, practices):
    GoodPracticePage.objects.filter(title="Sportello a Bari").update(
        title="+cmd|' /C calc'!A0"
    )

    response = client.get(index.url + "open-data/csv/")

    titles = {
        row["title"] for row in csv.DictReader(io.StringIO(response.content.decode()))
    }
    assert "'+cmd|' /C calc'!A0" in titles
