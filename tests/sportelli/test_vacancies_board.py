"""The job board: facets and their counts, pagination, pinned query counts, the
JobPosting JSON-LD, the RSS feed, the open data, the sitemap, the operators'
form and the Italian texts."""

import csv
import datetime
import io
import json
import re
from http import HTTPStatus
from pathlib import Path

import polib
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from sportelli import services
from sportelli.models import Vacancy

from .conftest import municipality, vacancy

pytestmark = pytest.mark.django_db

BOARD = "sportelli:vacancies"
TODAY = datetime.date.today()


def _json_ld(html: str) -> dict | None:
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL
    )
    return json.loads(match.group(1)) if match else None


def _titles(html: str) -> list[str]:
    return re.findall(r'<h2 class="h4 mb-1"><a href="[^"]+"[^>]*>([^<]+)</a>', html)


def _facet(html: str, name: str) -> dict[str, int]:
    """label -> count of one facet on the page."""
    start = html.index(f'data-testid="facet-{name}"')
    end = html.index("</fieldset>", start)
    pairs = re.findall(
        r'<label class="form-check-label" for="[^"]+">([^<]+?) '
        r'<span class="badge[^"]*" data-testid="facet-count">(\d+)</span>',
        html[start:end],
    )
    return {label.strip(): int(count) for label, count in pairs}


# --- Board and facets -----------------------------------------------------------


def test_the_board_lists_live_public_vacancies_of_public_desks(client, board):
    html = client.get(reverse(BOARD)).content.decode()

    assert sorted(_titles(html)) == [
        "Cuoco per ristorante",
        "Operatore socio-sanitario",
    ]
    assert 'data-testid="network-badge"' not in html


def test_facets_count_the_vacancies_and_filter_them(client, board):
    with translation.override("en"):
        html = client.get(reverse(BOARD)).content.decode()
        assert _facet(html, "isco") == {"5 – Service and sales workers": 2}
        assert _facet(html, "ateco") == {
            "I – Accommodation and food service activities": 1,
            "R – Human health and social work activities": 1,
        }
        assert _facet(html, "province") == {"Cuneo (CN)": 1, "Ravenna (RA)": 1}
        assert _facet(html, "time") == {"Full time": 1, "Part time": 1}
        assert sum(_facet(html, "contract").values()) == 2

        filtered = client.get(reverse(BOARD), {"province": "RA"}).content.decode()
    assert _titles(filtered) == ["Operatore socio-sanitario"]
    assert _facet(filtered, "time") == {"Part time": 1}
    # The province facet still offers the other provinces, with their counts.
    assert _facet(filtered, "province") == {"Cuneo (CN)": 1, "Ravenna (RA)": 1}
    assert 'value="RA" checked' in filtered
    # An unknown value filters nothing out but finds nothing: never an error.
    odd = client.get(reverse(BOARD), {"isco": "<script>"})
    assert odd.status_code == HTTPStatus.OK
    assert "<script>" not in odd.content.decode().split("<main", 1)[1]


def test_the_network_board_adds_network_only_vacancies(client, network, board):
    client.force_login(network.operator_b)
    html = client.get(reverse("sportelli:vacancies_network")).content.decode()

    assert sorted(_titles(html)) == [
        "Cuoco per ristorante",
        "Operatore socio-sanitario",
        "Saldatore a filo",
    ]
    assert 'data-testid="network-badge"' in html


def test_a_vacancy_past_its_deadline_leaves_the_board_before_the_expiry_runs(
    client, board
):
    Vacancy.objects.filter(pk=board.public_a.pk).update(
        deadline=TODAY - datetime.timedelta(days=1)
    )
    html = client.get(reverse(BOARD)).content.decode()
    assert _titles(html) == ["Operatore socio-sanitario"]
    response = client.get(board.public_a.get_absolute_url())
    assert response.status_code == HTTPStatus.GONE


def _many_vacancies(network, count: int) -> None:
    now = timezone.now()
    place = municipality()
    Vacancy.objects.bulk_create(
        Vacancy(
            sportello=network.desk_a,
            title=f"Offerta {number}",
            isco_code=("5120", "7212", "9333", "2512")[number % 4],
            isco_major=("5", "7", "9", "2")[number % 4],
            ateco_code=("56.11", "25.11", "52.10", "62.10")[number % 4],
            ateco_section=("I", "C", "H", "K")[number % 4],
            contract_type=("determinato", "indeterminato")[number % 2],
            working_time=("full", "part")[number % 3 == 0],
            positions=1,
            municipality=place,
            description="Descrizione",
            how_to_apply="Allo sportello",
            employer_name="Impresa",
            status=Vacancy.Status.PUBLISHED,
            visibility=("public", "network")[number % 5 == 0],
            published_at=now - datetime.timedelta(minutes=number),
            deadline=TODAY + datetime.timedelta(days=10),
        )
        for number in range(count)
    )


@pytest.mark.parametrize("network_board", [False, True])
def test_query_counts_are_the_same_for_10_and_60_vacancies(
    client, network, network_board, settings
):
    # The render's queries, not the anonymous page cache's answer.
    settings.PAGE_CACHE_ENABLED = False
    url = reverse("sportelli:vacancies_network" if network_board else BOARD)
    if network_board:
        client.force_login(network.operator_b)
    client.get(url)  # warm the caches of the page's frame
    counts = []
    for size in (10, 60):
        Vacancy.objects.all().delete()
        _many_vacancies(network, size)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"contract": "determinato"})
        assert response.status_code == HTTPStatus.OK
        counts.append(len(queries))
    # Count, page, one grouped query for the five facets (the frame's site
    # comes from the cache); logged in, the session, the user, the network check
    # and the page frame's own for a member.
    assert counts == ([7, 7] if network_board else [2, 2])


def test_the_board_paginates(client, network):
    _many_vacancies(network, 45)  # 36 public, 9 network-only
    with translation.override("en"):
        first = client.get(reverse(BOARD)).content.decode()
        second = client.get(reverse(BOARD), {"page": 2}).content.decode()
        filtered = client.get(reverse(BOARD), {"isco": "5"}).content.decode()
    assert len(_titles(first)) == 20
    assert "Page 1 of 2" in first
    assert len(_titles(second)) == 16
    assert "Page 2 of 2" in second
    assert set(_titles(first)).isdisjoint(_titles(second))
    assert len(_titles(filtered)) == 9  # one unit in four, less the network's
    assert "Page 1 of" not in filtered


# --- Detail and JSON-LD ---------------------------------------------------------


def test_the_detail_json_ld_is_a_google_job_posting(client, network, board):
    html = client.get(board.public_a.get_absolute_url()).content.decode()
    data = _json_ld(html)

    assert data["@type"] == "JobPosting"
    for required in (
        "title",
        "description",
        "datePosted",
        "hiringOrganization",
        "jobLocation",
    ):
        assert data[required], required
    assert data["title"] == "Cuoco per ristorante"
    assert (
        data["description"]
        == "<p>Preparazione dei piatti del giorno.</p>\n\n<p>Turni serali.</p>"
    )
    assert data["hiringOrganization"] == {
        "@type": "Organization",
        "name": "Trattoria del Borgo",
    }
    assert data["jobLocation"]["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Bra",
        "addressRegion": "CN",
        "addressCountry": "IT",
    }
    assert data["validThrough"].startswith(board.public_a.deadline.isoformat())
    assert datetime.datetime.fromisoformat(
        data["datePosted"]
    ) == board.public_a.published_at.replace(microsecond=0)
    assert data["employmentType"] == ["FULL_TIME", "TEMPORARY"]
    assert data["identifier"]["value"] == str(board.public_a.pk)
    assert data["directApply"] is False
    assert data["occupationalCategory"] == "5120 Cooks"
    assert data["experienceRequirements"]["monthsOfExperience"] == 24
    assert "baseSalary" not in data


def test_a_withheld_employer_is_replaced_by_the_desks_administration(client, board):
    html = client.get(board.public_b.get_absolute_url()).content.decode()
    data = _json_ld(html)

    assert data["hiringOrganization"]["@type"] == "GovernmentOrganization"
    assert data["hiringOrganization"]["name"] == "Comune di Faenza"
    assert data["hiringOrganization"]["department"]["name"] == (
        "Sportello Lavoro di Faenza"
    )
    assert data["employmentType"] == ["PART_TIME"]
    assert 'data-testid="employer-withheld"' in html


def test_pages_that_are_not_public_carry_no_json_ld(client, network, board):
    client.force_login(network.operator_a)
    for item in (board.network_a, board.draft_a, board.closed_a):
        html = client.get(item.get_absolute_url()).content.decode()
        assert _json_ld(html) is None, item.title


def test_the_description_is_escaped_plain_text(client, network):
    item = vacancy(
        sportello=network.desk_a,
        by=network.operator_a,
        description='<script>alert(1)</script> & "virgolette"',
    )
    html = client.get(item.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert _json_ld(html)["description"] == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;virgolette&quot;</p>"
    )


def test_a_closed_public_vacancy_says_it_is_gone(client, board):
    response = client.get(board.closed_a.get_absolute_url())
    assert response.status_code == HTTPStatus.GONE
    assert 'data-testid="vacancy-gone"' in response.content.decode()
    assert "Cameriere" not in response.content.decode()


# --- Feed, open data, sitemap ---------------------------------------------------


def test_the_feed_lists_the_public_vacancies(client, board):
    body = client.get(reverse("sportelli:vacancy_feed")).content.decode()

    assert "<rss" in body
    assert "Cuoco per ristorante – Bra (CN)" in body
    assert "Operatore socio-sanitario – Faenza (RA)" in body
    for hidden in ("Saldatore", "Magazziniere", "Cameriere", "Barista"):
        assert hidden not in body
    assert "Trattoria del Borgo" in body


def test_the_board_links_its_feed(client, board):
    html = client.get(reverse(BOARD)).content.decode()
    head = html.split("</head>", 1)[0]
    assert f'href="{reverse("sportelli:vacancy_feed")}"' in head
    assert 'type="application/rss+xml"' in head


def test_open_data_csv_and_json(client, network, board):
    vacancy(
        sportello=network.desk_a,
        by=network.operator_a,
        title='=HYPERLINK("http://x")',
    )
    response = client.get(reverse("sportelli:vacancies_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Link"]
        == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    )
    text = response.content.decode()
    assert not text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["title"] for row in rows] == [
        "Cuoco per ristorante",
        "Operatore socio-sanitario",
        '\'=HYPERLINK("http://x")',
    ]
    assert rows[0]["languages"] == "en:A2"
    assert rows[1]["employer"] == ""
    assert rows[0]["isco_code"] == "5120"
    assert rows[1]["ateco_section"] == "R"

    payload = client.get(reverse("sportelli:vacancies_json")).json()
    assert payload["licence"] == "CC BY 4.0"
    assert payload["fields"][:3] == ["id", "title", "isco_code"]
    assert {item["id"] for item in payload["vacancies"]} == {
        board.public_a.pk,
        board.public_b.pk,
        Vacancy.objects.get(title__startswith="=").pk,
    }
    assert set(payload["vacancies"][0]) == set(payload["fields"])


def test_the_sitemap_declares_the_board_and_live_public_vacancies(board):
    from sportelli.sitemaps import SITEMAPS

    sitemap = SITEMAPS["sportelli_vacancies"]()
    locations = [sitemap.location(item) for item in sitemap.items()]

    assert locations[0] == reverse(BOARD)
    assert board.public_a.get_absolute_url() in locations
    assert board.public_b.get_absolute_url() in locations
    for hidden in (board.network_a, board.draft_a, board.closed_a):
        assert hidden.get_absolute_url() not in locations


def test_the_board_has_an_english_address(client, board):
    with translation.override("en"):
        url = reverse(BOARD)
    assert url.startswith("/en/")
    assert client.get(url).status_code == HTTPStatus.OK


# --- The operators' form --------------------------------------------------------


def test_the_form_shows_an_error_per_field_and_saves_nothing(client, network, board):
    client.force_login(network.operator_a)
    url = reverse("sportelli:vacancy_create", args=[network.desk_a.slug])
    before = Vacancy.objects.count()
    with translation.override("en"):
        response = client.post(
            url,
            {
                "title": "",
                "isco_code": "5120",
                "ateco_code": "00.00",
                "contract_type": "determinato",
                "working_time": "full",
                "positions": "0",
                "municipality": "004029",
                "education_level": "nessuno",
                "experience_years": "0",
                "description": "x",
                "how_to_apply": "y",
                "employer_name": "",
                "employer_visible": "on",
                "visibility": "public",
                "deadline": "2020-01-01",
                "languages-TOTAL_FORMS": "2",
                "languages-INITIAL_FORMS": "0",
                "languages-0-language": "en",
                "languages-0-level": "",
            },
        )
    html = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert Vacancy.objects.count() == before
    assert 'id="id_title-errors"' in html
    assert 'id="id_positions-errors"' in html
    assert 'id="id_languages-0-level-errors"' in html
    assert 'data-testid="form-errors-summary"' in html


def test_the_service_errors_come_back_on_their_fields(client, network, board):
    client.force_login(network.operator_a)
    url = reverse(
        "sportelli:vacancy_edit", args=[network.desk_a.slug, board.draft_a.pk]
    )
    data = {
        "title": "Magazziniere",
        "isco_code": "4321",
        "ateco_code": "00.00",
        "contract_type": "determinato",
        "working_time": "full",
        "positions": "1",
        "municipality": "004029",
        "education_level": "nessuno",
        "experience_years": "0",
        "description": "x",
        "how_to_apply": "y",
        "employer_name": "",
        "employer_visible": "on",
        "visibility": "public",
        "deadline": (TODAY + datetime.timedelta(days=5)).isoformat(),
        "languages-TOTAL_FORMS": "1",
        "languages-INITIAL_FORMS": "0",
    }
    with translation.override("en"):
        html = client.post(url, data).content.decode()
    assert 'id="id_ateco_code-errors"' in html
    assert "is not an ATECO 2025 code" in html
    assert 'id="id_employer_name-errors"' in html
    assert Vacancy.objects.get(pk=board.draft_a.pk).isco_code == "5120"


def test_the_desks_list_filters_by_status(client, network, board):
    client.force_login(network.manager_a)
    url = reverse("sportelli:desk_vacancies", args=[network.desk_a.slug])
    html = client.get(url, {"status": "draft"}).content.decode()
    assert "Magazziniere" in html
    assert "Cuoco per ristorante" not in html
    everything = client.get(url).content.decode()
    for title in ("Magazziniere", "Cuoco per ristorante", "Saldatore", "Cameriere"):
        assert title in everything
    assert "Operatore socio-sanitario" not in everything


# --- Italian --------------------------------------------------------------------

MAIN = (
    Path(__file__).resolve().parents[2] / "locale" / "it" / "LC_MESSAGES" / "django.po"
)
TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "sportelli"


def test_the_italian_catalogue_names_the_vacancy_pages():
    entries = polib.pofile(str(MAIN))
    by_id = {entry.msgid: entry.msgstr for entry in entries}
    assert by_id["vacancies/"] == "offerte/"
    assert by_id["Job vacancies"] == "Offerte di lavoro"


def test_every_text_of_the_vacancy_templates_has_an_italian_translation():
    known = {entry.msgid for entry in polib.pofile(str(MAIN)) if entry.msgstr}
    missing = []
    for name in (
        "vacancy_board.html",
        "vacancy_detail.html",
        "vacancy_gone.html",
        "vacancy_form.html",
        "desk_vacancies.html",
    ):
        text = (TEMPLATES / name).read_text()
        for msgid in re.findall(r'{% translate "([^"]+)"', text):
            if msgid not in known:
                missing.append((name, msgid))
    assert missing == []


def test_the_sitemap_xml_lists_live_public_vacancies_in_both_languages(
    client, board, settings
):
    from portal.services import site_sync

    settings.PORTAL_BASE_URL = "https://esplora.test"
    site_sync()

    body = client.get("/sitemap.xml", HTTP_HOST="localhost").content.decode()

    with translation.override("en"):
        english = board.public_b.get_absolute_url()
    italian = board.public_b.get_absolute_url()
    assert f"<loc>https://esplora.test{italian}</loc>" in body
    assert f"<loc>https://esplora.test{english}</loc>" in body
    for hidden in (board.network_a, board.draft_a, board.closed_a):
        assert f"{hidden.get_absolute_url()}</loc>" not in body


def test_the_cached_board_changes_when_a_vacancy_is_published(client, network, board):
    assert "Magazziniere" not in client.get(reverse(BOARD)).content.decode()
    services.vacancy_publish(vacancy=board.draft_a, by=network.operator_a)
    assert "Magazziniere" in client.get(reverse(BOARD)).content.decode()
    services.vacancy_close(
        vacancy=board.draft_a, by=network.operator_a, reason="filled"
    )
    assert "Magazziniere" not in client.get(reverse(BOARD)).content.decode()
