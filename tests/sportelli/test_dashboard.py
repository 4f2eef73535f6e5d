"""The network dashboard: figures on a small fixture, small-cell suppression,
pinned query counts, the open data, the page cache and who sees what."""

import csv
import datetime
import io
import json
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from sportelli.models import (
    Candidature,
    Proposal,
    ProposalEvent,
    ProposalStatus,
    Vacancy,
)
from sportelli.selectors import dashboard as selectors
from sportelli.selectors.dashboard import DashboardFilters, _suppress

from .conftest import municipality, vacancy

pytestmark = pytest.mark.django_db

DASHBOARD = "sportelli:dashboard"
TZ = timezone.get_default_timezone()
NOW = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=TZ)


def at(month: int, day: int, year: int = 2026) -> datetime.datetime:
    return datetime.datetime(year, month, day, 10, 0, tzinfo=TZ)


def _dated(item: Vacancy, *, published, closed=None, reason="", deadline=None):
    """Move a vacancy's dates (and closing) to the fixture's calendar."""
    Vacancy.objects.filter(pk=item.pk).update(
        published_at=published,
        closed_at=closed,
        status=Vacancy.Status.CLOSED if reason else item.status,
        close_reason=reason,
        deadline=deadline or datetime.date(2026, 12, 31),
    )
    item.refresh_from_db()
    return item


def _candidature(sportello, number: int) -> Candidature:
    return Candidature.objects.create(
        sportello=sportello,
        reference_code=f"REF-{sportello.pk}-{number}",
        municipality=sportello.municipality,
        expires_on=datetime.date(2027, 12, 31),
    )


def _proposals(item: Vacancy, *, from_desk, count: int, when, hired: int = 0):
    """``count`` proposals for ``item`` made at ``when``; the first ``hired``
    of them hired the day after."""
    start = Candidature.objects.count()
    for number in range(count):
        proposal = Proposal.objects.create(
            vacancy=item,
            vacancy_sportello=item.sportello,
            candidature=_candidature(from_desk, start + number),
            candidature_sportello=from_desk,
            reference_code=f"REF-{start + number}",
            status=ProposalStatus.HIRED if number < hired else ProposalStatus.PROPOSED,
        )
        Proposal.objects.filter(pk=proposal.pk).update(created_at=when)
        if number < hired:
            event = ProposalEvent.objects.create(
                proposal=proposal,
                from_status=ProposalStatus.INTERVIEW,
                to_status=ProposalStatus.HIRED,
                by_sportello=item.sportello,
            )
            ProposalEvent.objects.filter(pk=event.pk).update(
                at=when + datetime.timedelta(days=1)
            )


def _month(dashboard, label: str):
    return next(row for row in dashboard.months if row.label == label)


@pytest.fixture
def calendar(network):
    """Desk A (Bra, CN): a cook published in March and filled in May, a
    network-only welder published in April, a draft, a waiter published in June
    and open. Desk B (Faenza, RA): a nurse published in April that expired at the
    start of May, and a vacancy closed before the dashboard's 12 months."""
    by = network.operator_a
    faenza = municipality("039010", "Faenza", "RA", "Ravenna", "08")
    cook = _dated(
        vacancy(sportello=network.desk_a, by=by),
        published=at(3, 10),
        closed=at(5, 20),
        reason="filled",
    )
    welder = _dated(
        vacancy(
            sportello=network.desk_a,
            by=by,
            title="Saldatore",
            isco_code="7212",
            ateco_code="25.11",
            visibility="network",
        ),
        published=at(4, 2),
    )
    vacancy(sportello=network.desk_a, by=by, publish=False, title="Bozza")
    waiter = _dated(
        vacancy(sportello=network.desk_a, by=by, title="Cameriere", isco_code="5131"),
        published=at(6, 1),
    )
    nurse = _dated(
        vacancy(
            sportello=network.desk_b,
            by=network.operator_b,
            title="Infermiere",
            isco_code="2221",
            ateco_code="86.10",
            municipality=faenza,
        ),
        published=at(4, 5),
        closed=at(5, 1),
        reason="expired",
        deadline=datetime.date(2026, 4, 30),
    )
    _dated(
        vacancy(sportello=network.desk_b, by=network.operator_b, municipality=faenza),
        published=at(1, 5, 2025),
        closed=at(3, 1, 2025),
        reason="withdrawn",
    )
    return {"cook": cook, "welder": welder, "waiter": waiter, "nurse": nurse}


# --- Figures --------------------------------------------------------------------


def test_the_months_are_the_last_twelve_up_to_the_current_one():
    periods = selectors.months_until(NOW)

    assert [period.first_day.isoformat()[:7] for period in periods][::11] == [
        "2025-07",
        "2026-06",
    ]
    assert len(periods) == 12
    assert periods[-1].current and not periods[0].current
    assert periods[1].last_day == datetime.date(2025, 8, 31)


def test_a_vacancy_published_in_march_and_filled_in_may_counts_where_it_should(
    calendar,
):
    dashboard = selectors.network_dashboard(now=NOW)
    march, april, may, june = (
        _month(dashboard, label)
        for label in ("2026-03", "2026-04", "2026-05", "2026-06")
    )

    assert (march.published, march.open_at_end, march.filled) == (1, 1, 0)
    # April: the cook still open, the nurse published (the network-only welder
    # is not public); the nurse's date passed on the 30th, the last day: open.
    assert (april.published, april.open_at_end) == (1, 2)
    assert (may.published, may.open_at_end, may.filled, may.expired) == (0, 0, 1, 1)
    assert (june.published, june.open_at_end) == (1, 1)
    assert _month(dashboard, "2026-02").published == 0
    assert sum(row.withdrawn for row in dashboard.months) == 0  # closed in 2025


def test_provinces_and_occupation_groups_sum_the_twelve_months(calendar):
    dashboard = selectors.network_dashboard(now=NOW)
    provinces = {row.province: row for row in dashboard.provinces}
    groups = {row.isco_major: row for row in dashboard.occupations}

    assert set(provinces) == {"CN", "RA"}
    bra, faenza = provinces["CN"], provinces["RA"]
    assert (bra.published, bra.open_at_end, bra.filled) == (2, 1, 1)
    assert (faenza.published, faenza.open_at_end, faenza.expired) == (1, 0, 1)
    assert faenza.region_code == "08"
    assert set(groups) == {"2", "5"}
    assert (groups["5"].published, groups["5"].filled) == (2, 1)
    assert groups["2"].expired == 1


def test_the_desk_dashboard_counts_its_network_only_vacancies_too(calendar, network):
    dashboard = selectors.network_dashboard(sportello=network.desk_a, now=NOW)

    april = _month(dashboard, "2026-04")
    assert (april.published, april.open_at_end) == (1, 2)  # welder; cook, welder
    assert {row.province for row in dashboard.provinces} == {"CN"}
    assert {row.isco_major for row in dashboard.occupations} == {"5", "7"}


def test_the_filters_restrict_to_a_region_or_a_province(calendar):
    by_region = selectors.network_dashboard(
        filters=DashboardFilters(region="08"), now=NOW
    )
    by_province = selectors.network_dashboard(
        filters=DashboardFilters(province="CN"), now=NOW
    )

    assert [row.province for row in by_region.provinces] == ["RA"]
    assert [row.province for row in by_province.provinces] == ["CN"]
    assert sum(row.published for row in by_province.months) == 2


def test_unknown_filter_values_are_ignored():
    from django.http import QueryDict

    filters = selectors.dashboard_filters(QueryDict("region=99&province=<script>"))
    assert filters == DashboardFilters()
    assert selectors.dashboard_filters(QueryDict("region=08&province=ra")) == (
        DashboardFilters(region="08", province="RA")
    )


# --- Small cells ----------------------------------------------------------------


def test_small_cells_are_withheld_and_no_group_has_a_single_one():
    cells = _suppress([7, 3, 9], ["all"] * 3)
    assert [(cell.value, cell.suppressed) for cell in cells] == [
        (7, True),  # secondary: the smallest shown one
        (3, True),  # primary
        (9, False),
    ]
    by_region = _suppress([3, 8, 6, 12, 0], ["01", "01", "08", "08", "08"])
    assert [cell.suppressed for cell in by_region] == [True, True, True, False, True]
    assert [str(cell) for cell in _suppress([0, 5, 9], ["all"] * 3)] == [
        "< 5",
        "< 5",
        "9",
    ]
    assert _suppress([12, 5], ["all", "all"])[1].shown == 5


def test_proposals_and_hires_under_five_are_never_shown(calendar, network, client):
    # Bra: 6 proposals in April for the cook, 2 of them hired; Faenza: 2.
    _proposals(
        calendar["cook"], from_desk=network.desk_b, count=6, when=at(4, 3), hired=2
    )
    _proposals(calendar["nurse"], from_desk=network.desk_a, count=2, when=at(4, 8))

    dashboard = selectors.network_dashboard(now=NOW)
    provinces = {row.province: row for row in dashboard.provinces}
    april = _month(dashboard, "2026-04")
    assert (april.proposals.value, april.proposals.suppressed) == (8, False)
    assert april.hires.suppressed  # 2
    assert provinces["CN"].proposals.shown == 6
    assert provinces["RA"].proposals.shown is None
    assert all(row.hires.suppressed for row in dashboard.months + dashboard.provinces)
    assert dashboard.any_withheld

    exact = selectors.network_dashboard(sportello=network.desk_a, now=NOW)
    assert _month(exact, "2026-04").hires.shown == 2  # the desk's own figures

    html = client.get(reverse(DASHBOARD)).content.decode()
    start = html.index('data-testid="province-RA"')
    row = html[start : html.index("</tr>", start)]
    assert '<td data-measure="proposals"><abbr' in row
    assert "&lt; 5" in row
    assert 'data-testid="suppression-note"' in html


def test_the_open_data_leaves_withheld_cells_empty_and_names_them(
    calendar, network, client
):
    _proposals(calendar["nurse"], from_desk=network.desk_a, count=2, when=at(4, 8))
    response = client.get(reverse("sportelli:dashboard_csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    faenza = next(
        row for row in rows if row["table"] == "province" and row["province"] == "RA"
    )
    assert faenza["proposals"] == ""
    assert faenza["suppressed"] == "proposals|hires"

    data = json.loads(client.get(reverse("sportelli:dashboard_json")).content)
    faenza = next(
        row
        for row in data["figures"]
        if row["table"] == "province" and row["province"] == "RA"
    )
    assert faenza["proposals"] is None and faenza["hires"] is None
    assert data["small_cell_threshold"] == 5


# --- Pages and open data --------------------------------------------------------


def test_the_public_dashboard_shows_accessible_tables(calendar, client):
    response = client.get(reverse(DASHBOARD))

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    for table in ("months", "provinces", "occupations"):
        start = html.index(f'data-testid="dashboard-{table}"')
        section = html[start : html.index("</table>", start)]
        assert "<caption>" in section
        assert '<th scope="col">' in section and '<th scope="row">' in section
    assert "Saldatore" not in html  # no vacancy titles, counts only
    assert reverse("sportelli:dashboard_csv") in html
    assert reverse("sportelli:dashboard_json") in html


def test_the_open_data_links_carry_the_filters(calendar, client):
    html = client.get(reverse(DASHBOARD), {"region": "08"}).content.decode()
    assert f"{reverse('sportelli:dashboard_csv')}?region=08" in html


@pytest.mark.parametrize("name", ["sportelli:directory", "sportelli:vacancies"])
def test_the_directory_and_the_job_board_link_the_dashboard(client, network, name):
    html = client.get(reverse(name)).content.decode()
    assert f'href="{reverse(DASHBOARD)}" data-testid="dashboard-link"' in html


def test_the_csv_follows_the_open_data_conventions(calendar, client):
    response = client.get(reverse("sportelli:dashboard_csv"), {"province": "RA"})

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'inline; filename="cruscotto-rete-sportelli-ra.csv"'
    )
    assert response["Access-Control-Allow-Origin"] == "*"
    text = response.content.decode("utf-8")
    assert not text.startswith("\ufeff")
    header = text.split("\r\n", 1)[0]
    assert header == ",".join(selectors.DASHBOARD_OPEN_DATA_FIELDS)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["table"] for row in rows].count("month") == 12
    province = next(row for row in rows if row["table"] == "province")
    assert province["province_name"] == "Ravenna"
    assert province["period_end"] == timezone.localdate().isoformat()
    month = rows[0]
    datetime.date.fromisoformat(month["period_start"])
    assert month["period_start"].endswith("-01")


def test_the_csv_neutralises_formulas(network, client):
    place = municipality("999001", "Altrove", "ZZ", '=HYPERLINK("x")', "01")
    vacancy(sportello=network.desk_a, by=network.operator_a, municipality=place)

    text = client.get(reverse("sportelli:dashboard_csv")).content.decode()
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text


def test_the_json_has_metadata_fields_and_figures(calendar, client):
    response = client.get(reverse("sportelli:dashboard_json"))

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        'inline; filename="cruscotto-rete-sportelli.json"'
    )
    data = json.loads(response.content)
    assert data["licence"] == "CC BY 4.0"
    assert data["fields"] == selectors.DASHBOARD_OPEN_DATA_FIELDS
    assert list(data["figures"][0]) == selectors.DASHBOARD_OPEN_DATA_FIELDS
    current = [row for row in data["figures"] if row["table"] == "month"][-1]
    assert current["period_end"] == timezone.localdate().isoformat()


@pytest.mark.parametrize(
    "name",
    ["sportelli:dashboard", "sportelli:dashboard_csv", "sportelli:dashboard_json"],
)
def test_the_public_pages_are_stored_by_the_page_cache(
    calendar, client, settings, name
):
    settings.PAGE_CACHE_ENABLED = True
    first = client.get(reverse(name))
    second = client.get(reverse(name))

    assert first["X-Cache"] == "MISS"
    assert second["X-Cache"] == "HIT"
    assert not first.cookies
    assert b"csrfmiddlewaretoken" not in first.content


# --- Query counts ---------------------------------------------------------------


def _many_vacancies(network, count: int) -> None:
    now = timezone.now()
    places = [
        municipality(),
        municipality("039010", "Faenza", "RA", "Ravenna", "08"),
    ]
    Vacancy.objects.bulk_create(
        Vacancy(
            sportello=(network.desk_a, network.desk_b)[number % 2],
            title=f"Offerta {number}",
            isco_code=("5120", "7212", "9333", "2512")[number % 4],
            isco_major=("5", "7", "9", "2")[number % 4],
            ateco_code="56.11",
            ateco_section="I",
            contract_type="determinato",
            working_time="full",
            municipality=places[number % 2],
            description="Descrizione",
            how_to_apply="Allo sportello",
            employer_name="Impresa",
            status=(Vacancy.Status.PUBLISHED, Vacancy.Status.CLOSED)[number % 3 == 0],
            close_reason=("", "filled")[number % 3 == 0],
            closed_at=now if number % 3 == 0 else None,
            visibility=("public", "network")[number % 5 == 0],
            published_at=now - datetime.timedelta(days=number * 9),
            deadline=datetime.date.today() + datetime.timedelta(days=10),
        )
        for number in range(count)
    )


@pytest.mark.parametrize(
    "name",
    [
        "sportelli:dashboard",
        "sportelli:dashboard_csv",
        "sportelli:dashboard_json",
        "sportelli:desk_dashboard",
    ],
)
def test_query_counts_are_the_same_for_3_and_30_vacancies(
    client, network, settings, name
):
    settings.PAGE_CACHE_ENABLED = False
    args = [network.desk_a.slug] if name == "sportelli:desk_dashboard" else []
    if args:
        client.force_login(network.operator_a)
    url = reverse(name, args=args)
    client.get(url)  # warm the caches of the page's frame
    counts = []
    for size in (3, 30):
        Vacancy.objects.all().delete()
        _many_vacancies(network, size)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"region": "01"} if not args else {})
        assert response.status_code == HTTPStatus.OK
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # Vacancies, proposals, hires; on the page the filters' provinces (the
    # frame's Wagtail site comes from the cache); logged in: session, user, the
    # desk, the user's and groups' permissions, membership and desk role.
    expected = {
        "sportelli:dashboard": 3 + 1,
        "sportelli:dashboard_csv": 3,
        "sportelli:dashboard_json": 3,
        "sportelli:desk_dashboard": 3 + 7,
    }[name]
    assert counts[0] == expected, [q["sql"][:80] for q in queries.captured_queries]


# --- Access ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["sportelli:dashboard", "sportelli:dashboard_csv", "sportelli:dashboard_json"],
)
def test_the_public_dashboard_is_open_to_anonymous_visitors(client, network, name):
    assert client.get(reverse(name)).status_code == HTTPStatus.OK


@pytest.mark.parametrize(
    ("who", "desk", "status"),
    [
        ("anonymous", "desk_a", HTTPStatus.FOUND),
        ("operator_a", "desk_a", HTTPStatus.OK),
        ("manager_a", "desk_a", HTTPStatus.OK),
        ("referente", "desk_a", HTTPStatus.OK),
        ("staff", "desk_a", HTTPStatus.OK),
        ("operator_b", "desk_a", HTTPStatus.FORBIDDEN),
        ("operator_b", "desk_b", HTTPStatus.OK),
        ("operator_a", "desk_b", HTTPStatus.FORBIDDEN),
        ("operator_b", "draft_a", HTTPStatus.NOT_FOUND),  # not public, not theirs
        ("operator_a", "draft_a", HTTPStatus.OK),
        ("anonymous", "draft_a", HTTPStatus.FOUND),
    ],
)
def test_the_desk_dashboard_is_for_the_desks_people_and_staff(
    client, network, who, desk, status
):
    sportello = getattr(network, desk)
    url = reverse("sportelli:desk_dashboard", args=[sportello.slug])
    if who != "anonymous":
        client.force_login(getattr(network, who))

    response = client.get(url)

    assert response.status_code == status
    if status == HTTPStatus.FOUND:
        assert response["Location"].startswith(reverse("account_login"))
        assert "next=" in response["Location"]


def test_the_desk_dashboard_answers_post_with_405(client, network):
    client.force_login(network.operator_a)
    url = reverse("sportelli:desk_dashboard", args=[network.desk_a.slug])
    assert client.post(url).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_the_figures_are_listed_in_the_open_data_catalogue(network):
    from sportelli.datasets import sportelli_datasets

    dataset = next(
        item
        for item in sportelli_datasets()
        if item.identifier == "sportelli-cruscotto-rete"
    )
    addresses = [distribution.url for distribution in dataset.distributions]
    with translation.override("it"):
        assert addresses == [
            reverse("sportelli:dashboard_csv"),
            reverse("sportelli:dashboard_json"),
        ]
