"""Candidature pages: the create and edit forms (per-field errors, the consent,
nothing half-saved), the lists with their query counts pinned at two sizes,
and the demo's forty profiles."""

from http import HTTPStatus
from io import StringIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from sportelli import classifications, demo
from sportelli.demo import candidatures as demo_candidatures
from sportelli.models import Candidature, ProfileView, SharingConsent
from sportelli.services.candidatures import profile_view_record

from .test_candidatures_services import TODAY, candidature

pytestmark = pytest.mark.django_db


def _form_data(network, **overrides) -> dict:
    data = {
        "reference_code": "BRA-2026-0100",
        "occupations": ["5120", "9412"],
        "municipality": str(network.desk_a.municipality_id),
        "mobility": "km",
        "mobility_km": "25",
        "availability": "subito",
        "working_time": "",
        "education_level": "qualifica",
        "driving_licence": "B",
        "experience_years": "3",
        "skills": "HACCP, cucina piemontese,  ",
        "summary": "Cuoco di linea.",
        "external_id": "",
        "languages-TOTAL_FORMS": "3",
        "languages-INITIAL_FORMS": "0",
        "languages-MIN_NUM_FORMS": "0",
        "languages-MAX_NUM_FORMS": "8",
        "languages-0-language": "en",
        "languages-0-level": "B1",
        "consent-consent_given_on": TODAY.isoformat(),
        "consent-consent_scope": "proposals",
        "consent-consent_confirmed": "on",
    }
    data.update(overrides)
    return data


def test_an_operator_creates_a_profile_with_its_consent(client, network):
    client.force_login(network.operator_a)
    url = reverse("sportelli:candidature_create", args=[network.desk_a.slug])
    assert client.get(url).status_code == HTTPStatus.OK

    response = client.post(url, _form_data(network))

    item = Candidature.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse(
        "sportelli:candidature_edit", args=[network.desk_a.slug, item.pk]
    )
    assert item.skills == ["HACCP", "cucina piemontese"]
    assert item.languages == [{"language": "en", "level": "B1"}]
    assert item.working_time == ""
    consent = SharingConsent.objects.get()
    assert (consent.candidature, consent.scope, consent.given_on) == (
        item,
        "proposals",
        TODAY,
    )
    assert consent.recorded_by == network.operator_a

    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="consent"' in page
    assert network.operator_a.get_full_name() in page  # recorded by


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"summary": "Tel. 333 1234567"}, "summary", "phone number"),
        ({"reference_code": "RSSMRA85T10A562S"}, "reference_code", "fiscal code"),
        ({"skills": "Excel, mario@example.org"}, "skills", "email address"),
        ({"occupations": ["5120", "9999"]}, "occupations", "9999"),
        ({"mobility_km": ""}, "mobility_km", "distance in km"),
        # Django's own "required" message, in the page's language.
        ({"consent-consent_confirmed": ""}, "consent_confirmed", ""),
        ({"consent-consent_scope": ""}, "consent_scope", ""),
    ],
)
def test_the_form_shows_each_error_and_saves_nothing(
    client, network, overrides, field, fragment
):
    client.force_login(network.operator_a)
    with translation.override("en"):
        # The English address: the messages are read in English.
        url = reverse("sportelli:candidature_create", args=[network.desk_a.slug])
        response = client.post(
            url, _form_data(network, **overrides), HTTP_ACCEPT_LANGUAGE="en"
        )
        form = response.context["form"]
        consent_form = response.context["consent_form"]
        errors = {**form.errors, **consent_form.errors}
        messages = " ".join(str(message) for message in errors.get(field, []))
    assert response.status_code == HTTPStatus.OK
    assert messages, errors
    assert fragment in messages, errors
    assert b'data-testid="form-errors-summary"' in response.content
    assert not Candidature.objects.exists()
    assert not SharingConsent.objects.exists()


def test_editing_keeps_the_consent_and_changes_the_profile(client, network):
    item = candidature(sportello=network.desk_a, by=network.operator_a)
    client.force_login(network.manager_a)
    url = reverse("sportelli:candidature_edit", args=[network.desk_a.slug, item.pk])
    page = client.get(url)
    assert page.context["form"].initial["occupations"] == ["5120", "9412"]
    assert page.context["consent_form"] is None

    data = _form_data(network, reference_code="BRA-2026-0001", skills="Excel")
    response = client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND
    item.refresh_from_db()
    assert item.skills == ["Excel"]
    assert item.updated_by == network.manager_a
    assert SharingConsent.objects.count() == 1


# --- Query counts, at two list sizes ----------------------------------------------


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return len(queries)


def _more(network, start: int, count: int):
    for number in range(start, start + count):
        sportello, by = (
            (network.desk_a, network.operator_a)
            if number % 2
            else (network.desk_b, network.operator_b)
        )
        candidature(
            sportello=sportello,
            by=by,
            reference_code=f"Q-{number}",
            occupations=("5120", "9412", "5131"),
        )


def test_list_pages_cost_the_same_whatever_their_length(client, network):
    pages = {
        "network": (network.operator_b, reverse("sportelli:network_candidatures")),
        "network_filtered": (
            network.operator_b,
            reverse("sportelli:network_candidatures") + "?isco=5&region=01",
        ),
        "desk": (
            network.operator_a,
            reverse("sportelli:candidatures", args=[network.desk_a.slug]),
        ),
        "views": (
            network.operator_a,
            reverse("sportelli:candidature_views", args=[network.desk_a.slug]),
        ),
    }
    _more(network, 1, 2)
    for item in Candidature.objects.filter(sportello=network.desk_a):
        profile_view_record(candidature=item, viewer=network.operator_b)
    small = {}
    for name, (user, url) in pages.items():
        client.force_login(user)
        client.get(url)  # warm the caches (navigation, site)
        small[name] = _count_queries(client, url)
    _more(network, 3, 16)
    for item in Candidature.objects.filter(sportello=network.desk_a):
        profile_view_record(candidature=item, viewer=network.operator_b)
        profile_view_record(candidature=item, viewer=network.staff)
    large = {}
    for name, (user, url) in pages.items():
        client.force_login(user)
        client.get(url)
        large[name] = _count_queries(client, url)
    assert large == small
    # Each: session, user and the page frame's own two queries (5 in all
    # with the network check, counted once a request); the network list: count,
    # page, occupations, filter options; the desk list: the desk and its access
    # (3), count, page, occupations, consents with who recorded them; the view
    # log: the desk and its access (3), count, page, ended consents.
    assert small == {"network": 9, "network_filtered": 9, "desk": 11, "views": 10}
    assert ProfileView.objects.count() == 18  # 1 + 8 new of B (one an hour), 9 of staff


# --- Demo -------------------------------------------------------------------------


def test_the_demo_loads_forty_example_candidatures_once(client, tree):
    out = StringIO()
    demo.load(home=tree.home, stdout=out)
    assert "40 new example candidatures" in out.getvalue()
    assert demo_candidatures.load(stdout=StringIO()) == 0

    items = Candidature.objects.all()
    assert items.count() == 40
    assert not items.filter(is_example=False).exists()
    assert items.values("sportello").distinct().count() == 8
    assert SharingConsent.objects.count() == 40
    for item in items.prefetch_related("occupations"):
        codes = [occupation.isco_code for occupation in item.occupations.all()]
        assert 1 <= len(codes) <= 5
        assert all(classifications.isco_unit(code) for code in codes), codes
    assert items.filter(status="suspended").count() >= 3

    staff_like = items.first().sportello.roles.filter(role="operator").first().user
    client.force_login(staff_like)
    response = client.get(reverse("sportelli:network_candidatures"))
    assert response.status_code == HTTPStatus.OK
    assert response.context["total"] == items.filter(status="active").count()
