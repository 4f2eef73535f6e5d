"""The public directory: filters, detail, JSON-LD, open data and query counts."""

import csv
import io
import json
import re
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from portal.accounts.models import Membership
from sportelli.models import Sportello

from .conftest import desk, municipality, organisation

pytestmark = pytest.mark.django_db


def _json_ld(html: str) -> dict:
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL
    )
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


def test_detail_page_shows_hours_contacts_services_charter_and_agreements(
    client, network
):
    response = client.get(network.desk_a.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == HTTPStatus.OK
    assert "Via Cavour 12" in html
    assert "0172 000 101" in html
    assert 'data-testid="hours"' in html
    assert "09:00–12:30, 14:30–17:00" in html
    assert 'data-testid="current-charter"' in html
    assert "Alba-Bra" in html
    assert "44.697700, 7.855300" in html
    assert 'data-testid="manage-links"' not in html


def test_detail_json_ld_is_a_government_office(client, network):
    html = client.get(network.desk_a.get_absolute_url()).content.decode()
    data = _json_ld(html)

    assert data["@type"] == "GovernmentOffice"
    assert data["name"] == "Sportello Lavoro di Bra"
    assert data["url"] == "http://localhost" + network.desk_a.get_absolute_url()
    assert data["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "Via Cavour 12",
        "postalCode": "12042",
        "addressLocality": "Bra",
        "addressRegion": "CN",
        "addressCountry": "IT",
    }
    assert data["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 44.6977,
        "longitude": 7.8553,
    }
    assert data["telephone"] == "0172 000 101"
    assert data["email"] == "sportello@comune.bra.example"
    assert data["openingHoursSpecification"] == [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": "https://schema.org/Monday",
            "opens": "09:00",
            "closes": "12:30",
        },
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": "https://schema.org/Monday",
            "opens": "14:30",
            "closes": "17:00",
        },
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": "https://schema.org/Wednesday",
            "opens": "09:00",
            "closes": "12:30",
        },
    ]


def test_a_draft_seen_by_its_people_carries_no_json_ld(client, network):
    client.force_login(network.operator_a)
    html = client.get(network.draft_a.get_absolute_url()).content.decode()
    assert "application/ld+json" not in html
    assert 'data-testid="not-public"' in html


def test_directory_filters_by_region_province_and_service(client, network):
    url = reverse("sportelli:directory")

    everything = client.get(url)
    by_region = client.get(url, {"region": "08"})
    by_province = client.get(url, {"province": "CN"})
    by_service = client.get(url, {"service": "incontro"})
    nonsense = client.get(url, {"region": "99", "service": "<script>"})

    assert everything.context["total"] == 2
    assert [d.pk for d in by_region.context["page_obj"]] == [network.desk_b.pk]
    assert [d.pk for d in by_province.context["page_obj"]] == [network.desk_a.pk]
    assert [d.pk for d in by_service.context["page_obj"]] == [network.desk_b.pk]
    assert nonsense.status_code == HTTPStatus.OK
    assert nonsense.context["total"] == 2
    assert 'data-testid="results-count"' in everything.content.decode()


def test_filter_options_list_only_places_with_public_desks(client, network):
    form = client.get(reverse("sportelli:directory")).context["form"]
    assert [value for value, _label in form.fields["province"].choices] == [
        "",
        "CN",
        "RA",
    ]


def test_geojson_is_a_feature_collection_in_lon_lat_order(client, network):
    response = client.get(reverse("sportelli:open_data_geojson"))
    data = response.json()

    assert response["Content-Type"].startswith("application/geo+json")
    assert data["type"] == "FeatureCollection"
    assert data["metadata"]["licence"] == "CC BY 4.0"
    feature = next(f for f in data["features"] if f["id"] == network.desk_a.pk)
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [7.8553, 44.6977]}
    assert feature["properties"]["istat_code"] == "004029"
    assert feature["properties"]["services"] == ["accoglienza", "orientamento"]
    assert feature["properties"]["opening_hours"] == (
        "Mo 09:00-12:30,14:30-17:00; We 09:00-12:30"
    )
    assert len(data["features"]) == 2


def test_json_names_its_fields_and_licence(client, network):
    data = client.get(reverse("sportelli:open_data_json")).json()
    assert data["licence_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert list(data["desks"][0]) == data["fields"]
    assert {desk["slug"] for desk in data["desks"]} == {
        network.desk_a.slug,
        network.desk_b.slug,
    }


def test_csv_neutralises_formulas(client, network):
    Sportello.objects.filter(pk=network.desk_a.pk).update(
        name='=HYPERLINK("http://evil.example","clic")', address="+39 trappola"
    )

    response = client.get(reverse("sportelli:open_data_csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'rel="license"' in response["Link"]
    row = next(r for r in rows if r["id"] == str(network.desk_a.pk))
    assert row["name"].startswith("'=HYPERLINK")
    assert row["address"] == "'+39 trappola"
    assert row["services"] == "accoglienza|orientamento"


def _many_desks(count: int, make_user) -> None:
    org = organisation("Comune di Bra")
    referente = make_user(f"ref{count}@bra.example")
    Membership.objects.create(organisation=org, user=referente, role="referente")
    other = municipality("001191", "Pinerolo", "TO", "Torino", "01")
    for number in range(count):
        desk(
            org=org,
            by=referente,
            name=f"Sportello {number}",
            municipality=other if number % 2 else municipality(),
        )


@pytest.mark.parametrize(
    "url_name",
    [
        "sportelli:directory",
        "sportelli:open_data_csv",
        "sportelli:open_data_json",
        "sportelli:open_data_geojson",
    ],
)
def test_queries_do_not_grow_with_the_number_of_desks(client, make_user, url_name):
    counts = []
    for size in (10, 50):
        Sportello.objects.all().delete()
        _many_desks(size, make_user)
        client.get(reverse(url_name))  # fills the navigation and site caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(url_name))
        assert response.status_code == HTTPStatus.OK
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 8


def test_the_directory_paginates(client, make_user):
    _many_desks(25, make_user)
    first = client.get(reverse("sportelli:directory"), {"province": "CN"})
    second = client.get(reverse("sportelli:directory"), {"province": "CN", "page": 2})

    assert first.context["total"] == 13
    assert len(first.context["page_obj"].object_list) == 13
    _many_desks(30, make_user)
    page = client.get(reverse("sportelli:directory"), {"page": 2})
    assert len(page.context["page_obj"].object_list) == 20
    assert second.status_code == HTTPStatus.OK  # past the last page: the last one
    assert "page=3" in page.content.decode()


def test_the_examples_are_announced(client, network):
    assert (
        'data-testid="examples-notice"'
        not in client.get(reverse("sportelli:directory")).content.decode()
    )
    Sportello.objects.filter(pk=network.desk_b.pk).update(is_example=True)
    html = client.get(reverse("sportelli:directory")).content.decode()
    assert 'data-testid="examples-notice"' in html
    assert 'data-testid="example-badge"' in html


def test_the_sitemap_declaration_lists_only_public_desks(network):
    from sportelli.sitemaps import SportelloSitemap

    locations = [
        SportelloSitemap().location(item) for item in SportelloSitemap().items()
    ]

    assert locations[0] == reverse("sportelli:directory")
    assert network.desk_a.get_absolute_url() in locations
    assert network.desk_b.get_absolute_url() in locations
    assert network.draft_a.get_absolute_url() not in locations


def test_the_directory_has_an_english_address(client, network):
    with translation.override("en"):
        url = reverse("sportelli:directory")
        detail = network.desk_a.get_absolute_url()
    assert url == "/en/job-desks/"
    assert client.get(url).status_code == HTTPStatus.OK
    assert client.get(detail).status_code == HTTPStatus.OK


def test_filters_stay_in_the_page_links_and_out_of_the_search_box(client, make_user):
    _many_desks(50, make_user)

    response = client.get(reverse("sportelli:directory"), {"province": "CN"})
    html = response.content.decode()

    assert "?province=CN&amp;page=2" in html
    assert 'value="province=CN"' not in html


def test_the_sitemap_lists_public_desks_in_both_languages(client, network, settings):
    from portal.services import site_sync

    settings.PORTAL_BASE_URL = "https://esplora.test"
    site_sync()

    body = client.get("/sitemap.xml", HTTP_HOST="localhost").content.decode()

    with translation.override("en"):
        english = network.desk_b.get_absolute_url()
    italian = network.desk_b.get_absolute_url()
    assert f"<loc>https://esplora.test{italian}</loc>" in body
    assert f"<loc>https://esplora.test{english}</loc>" in body
    assert 'hreflang="en"' in body
    assert network.draft_a.slug not in body
    assert "localhost" not in body
