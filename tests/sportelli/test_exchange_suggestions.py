# ruff: noqa: F811
"""Match suggestions both ways: the ranking, the explanation, what the network
does not share, and the number of queries (the same at two sizes)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from sportelli.models import Municipality, ProfileView, SharingConsent
from sportelli.selectors.exchange import (
    haversine_km,
    suggestions_for_candidature,
    suggestions_for_vacancy,
)

from .conftest import municipality, vacancy
from .test_exchange_fixtures import ex, make_candidature  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_haversine():
    assert haversine_km(44.6977, 7.8553, 44.6977, 7.8553) == 0
    # Bra - Faenza, about 280 km as the crow flies.
    assert 270 < haversine_km(44.6977, 7.8553, 44.2856, 11.8833) < 330


def _codes(rows):
    return [row.item.reference_code for row in rows]


def test_for_a_vacancy_best_first_with_reasons(ex):
    net = ex.network
    bra = Municipality.objects.get(istat_code="004029")
    alba = municipality("004003", "Alba", "CN", "Cuneo", "01")
    torino = municipality("001272", "Torino", "TO", "Torino", "01")
    waiters = vacancy(
        sportello=net.desk_a, by=net.operator_a, title="Cameriere", isco_code="5131"
    )
    # Asks: qualifica, English A2, licence B; 2 positions in Bra (CN).
    make_candidature(
        sportello=net.desk_b, code="U-ALBA", isco=("5131",), place=alba, languages=[]
    )
    make_candidature(sportello=net.desk_b, code="M-BRA", isco=("5132",), place=bra)
    make_candidature(
        sportello=net.desk_b,
        code="U-TO",
        isco=("5131",),
        place=torino,
        education_level="media",
        driving_licence="",
    )
    make_candidature(sportello=net.desk_b, code="U-FAE", isco=("5131", "5120"))
    make_candidature(sportello=net.desk_b, code="OTHER", isco=("7212",), place=bra)
    make_candidature(
        sportello=net.desk_b, code="NOCONSENT", isco=("5131",), place=bra, scope=None
    )
    # A's own candidature: never suggested for A's vacancy.
    make_candidature(sportello=net.desk_a, code="OWN", isco=("5131",), place=bra)
    rows = suggestions_for_vacancy(vacancy=waiters, user=net.operator_a)
    assert _codes(rows) == ["U-ALBA", "U-TO", "U-FAE", "M-BRA"]
    why = {row.item.reference_code: row.explanation for row in rows}
    assert why["U-ALBA"].startswith("same occupation, same province")
    assert "missing languages: English" in why["U-ALBA"]
    assert why["U-TO"].startswith("same occupation, same region")
    assert "education below the required" in why["U-TO"]
    assert "no licence B" in why["U-TO"]
    assert why["U-FAE"].startswith("same occupation, in Ravenna")
    assert "languages covered" in why["U-FAE"]
    assert why["M-BRA"].startswith("related occupation, same municipality")

    # Distances once the municipalities carry their centres.
    Municipality.objects.filter(pk="004029").update(latitude=44.6977, longitude=7.8553)
    Municipality.objects.filter(pk="004003").update(latitude=44.7003, longitude=8.0353)
    waiters.municipality.refresh_from_db()
    rows = suggestions_for_vacancy(vacancy=waiters, user=net.operator_a)
    assert rows[0].explanation.startswith("same occupation, same province (14 km)")


def test_nothing_for_those_outside_the_vacancy_desk(ex):
    for user in (ex.network.operator_b, ex.operator_c):
        assert suggestions_for_vacancy(vacancy=ex.vacancy_a, user=user) == []
    assert suggestions_for_vacancy(vacancy=ex.vacancy_a, user=ex.network.staff)


def test_for_a_candidature_best_vacancies_first(ex):
    net = ex.network
    faenza = Municipality.objects.get(istat_code="039010")
    bra = Municipality.objects.get(istat_code="004029")
    ravenna = municipality("039014", "Ravenna", "RA", "Ravenna", "08")
    waiter = make_candidature(
        sportello=net.desk_b, code="W-FAE", isco=("5131",), place=faenza
    )
    vacancy(
        sportello=net.desk_a,
        by=net.operator_a,
        title="Barista",
        isco_code="5132",
        municipality=bra,
    )
    vacancy(
        sportello=net.desk_a,
        by=net.operator_a,
        title="Cameriere di rete",
        isco_code="5131",
        visibility="network",
        municipality=bra,
    )
    vacancy(
        sportello=ex.desk_c,
        by=ex.operator_c,
        title="Kellner",
        isco_code="5131",
        municipality=ex.desk_c.municipality,
        languages=(("de", "B2"),),
    )
    vacancy(
        sportello=ex.desk_c,
        by=ex.operator_c,
        title="Cameriere a Ravenna",
        isco_code="5131",
        municipality=ravenna,
    )
    # B's own vacancy next door, a draft, a cook: never suggested.
    vacancy(sportello=net.desk_b, by=net.operator_b, isco_code="5131")
    vacancy(sportello=net.desk_a, by=net.operator_a, publish=False, isco_code="5131")
    rows = suggestions_for_candidature(candidature=waiter, user=net.operator_b)
    assert [row.item.title for row in rows] == [
        "Cameriere a Ravenna",
        "Cameriere di rete",
        "Kellner",
        "Barista",
    ]
    why = {row.item.title: row.explanation for row in rows}
    assert why["Cameriere a Ravenna"].startswith("same occupation, same province")
    assert "missing languages: German" in why["Kellner"]
    assert why["Barista"].startswith("related occupation")
    assert suggestions_for_candidature(candidature=waiter, user=net.operator_a) == []


def _queries(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def test_queries_pinned_and_bounded(ex):
    net = ex.network
    user = net.operator_a

    def for_vacancy():
        rows = suggestions_for_vacancy(vacancy=ex.vacancy_a, user=user, limit=5)
        [row.explanation for row in rows]
        return rows

    def for_candidature():
        rows = suggestions_for_candidature(
            candidature=ex.candidature_b, user=net.operator_b, limit=5
        )
        [row.explanation for row in rows]
        return rows

    ex.vacancy_a.municipality  # noqa: B018 - loaded like the page does
    ex.candidature_b.municipality  # noqa: B018
    for_vacancy(), for_candidature()  # the first call loads the desks once
    small = (_queries(for_vacancy), _queries(for_candidature))
    for number in range(8):
        make_candidature(sportello=net.desk_b, code=f"MORE-{number}")
        vacancy(sportello=ex.desk_c, by=ex.operator_c, title=f"Cuoco {number}")
    assert len(for_vacancy()) == 5
    assert len(for_candidature()) == 5
    assert (_queries(for_vacancy), _queries(for_candidature)) == small
    # access check (2) + ranked rows + their occupations
    assert small[0] <= 4


def test_suggestion_page_logs_the_profiles_shown(ex):
    net = ex.network
    client = Client()
    client.force_login(net.operator_a)
    url = reverse(
        "sportelli:vacancy_suggestions", args=[net.desk_a.slug, ex.vacancy_a.pk]
    )
    response = client.get(url)
    assert b"FAE-0001" in response.content
    assert b"FAE-0002" in response.content  # shared with the network
    view = ProfileView.objects.get(reference_code="FAE-0001")
    assert view.via == "suggestion"
    assert view.viewer_sportello == net.desk_a
    assert view.owner_sportello == net.desk_b
    SharingConsent.objects.filter(reference_code="FAE-0002").update(
        ended_reason="withdrawn"
    )
    assert b"FAE-0002" not in client.get(url).content
