"""The referente's and desk managers' own pages: forms, formset, uploads."""

from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from sportelli.models import DeskRole, ServiceCharter, Sportello

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db


def _form_data(**overrides):
    data = {
        "name": "Sportello Lavoro di Bra - Centro",
        "municipality": "004029",
        "address": "Via Vittorio Emanuele 5",
        "postcode": "12042",
        "latitude": "44.698",
        "longitude": "7.856",
        "phone": "0172 000 999",
        "email": "centro@comune.bra.example",
        "pec": "",
        "description": "",
        "services": ["accoglienza", "cv"],
        "status": "active",
        "hours-TOTAL_FORMS": "3",
        "hours-INITIAL_FORMS": "0",
        "hours-MIN_NUM_FORMS": "0",
        "hours-MAX_NUM_FORMS": "28",
        "hours-0-weekday": "0",
        "hours-0-opens": "09:00",
        "hours-0-closes": "12:30",
        "hours-1-weekday": "0",
        "hours-1-opens": "14:00",
        "hours-1-closes": "17:00",
        "hours-2-weekday": "",
        "hours-2-opens": "",
        "hours-2-closes": "",
    }
    data.update(overrides)
    return data


def test_referente_creates_an_active_desk_with_hours(client, network):
    client.force_login(network.referente)
    url = reverse("sportelli:create", args=[network.org_a.pk])

    page = client.get(url)
    response = client.post(url, _form_data())

    assert page.status_code == HTTPStatus.OK
    assert 'data-testid="hours-formset"' in page.content.decode()
    assert response.status_code == HTTPStatus.FOUND, response.context["form"].errors
    sportello = Sportello.objects.get(name="Sportello Lavoro di Bra - Centro")
    assert response["Location"] == sportello.get_absolute_url()
    assert sportello.status == Sportello.Status.ACTIVE
    assert sportello.opening_hours.count() == 2
    assert sorted(sportello.services.values_list("service", flat=True)) == [
        "accoglienza",
        "cv",
    ]


def test_bad_form_input_is_shown_per_field_and_nothing_is_saved(client, network):
    client.force_login(network.referente)
    url = reverse("sportelli:create", args=[network.org_a.pk])
    before = Sportello.objects.count()

    with translation.override("en"):
        response = client.post(
            url,
            _form_data(
                postcode="12",
                latitude="123",
                phone="telefonare",
                **{"hours-1-opens": "13:00", "hours-1-closes": "12:00"},
            ),
            HTTP_ACCEPT_LANGUAGE="en",
        )

    assert response.status_code == HTTPStatus.OK
    form = response.context["form"]
    assert "latitude" in form.errors
    assert response.context["formset"].forms[1].errors["closes"]
    assert Sportello.objects.count() == before


def test_overlapping_hours_are_refused_with_the_other_errors(client, network):
    client.force_login(network.referente)
    url = reverse("sportelli:create", args=[network.org_a.pk])
    before = Sportello.objects.count()

    response = client.post(
        url,
        _form_data(
            postcode="12", **{"hours-1-opens": "11:00", "hours-1-closes": "13:00"}
        ),
    )

    assert response.status_code == HTTPStatus.OK
    assert "postcode" in response.context["form"].errors
    assert response.context["formset"].non_form_errors()
    assert Sportello.objects.count() == before


def test_service_errors_reach_the_form(client, network):
    client.force_login(network.referente)
    url = reverse("sportelli:create", args=[network.org_a.pk])
    before = Sportello.objects.count()

    response = client.post(url, _form_data(longitude=""))

    assert response.status_code == HTTPStatus.OK
    assert "longitude" in response.context["form"].errors
    assert Sportello.objects.count() == before


def test_edit_keeps_the_slug_and_changes_hours(client, network):
    client.force_login(network.manager_a)
    url = reverse("sportelli:edit", args=[network.desk_a.slug])
    page = client.get(url)
    assert page.context["form"].initial["services"] == ["accoglienza", "orientamento"]

    response = client.post(
        url,
        _form_data(
            name="Sportello Lavoro di Bra",
            **{
                "hours-TOTAL_FORMS": "1",
                "hours-0-weekday": "4",
                "hours-0-opens": "08:30",
                "hours-0-closes": "12:00",
                "hours-1-weekday": "",
            },
        ),
    )

    assert response.status_code == HTTPStatus.FOUND
    network.desk_a.refresh_from_db()
    assert network.desk_a.slug == "sportello-lavoro-di-bra"
    assert list(network.desk_a.opening_hours.values_list("weekday", flat=True)) == [4]


def test_referente_gives_a_role_only_to_members(client, network, make_user):
    client.force_login(network.referente)
    url = reverse("sportelli:roles", args=[network.desk_a.slug])
    outsider = make_user("esterno@altrove.example")

    refused = client.post(url, {"user": outsider.pk, "role": "operator"})
    accepted = client.post(url, {"user": network.operator_a.pk, "role": "manager"})

    assert refused.status_code == HTTPStatus.OK
    assert "user" in refused.context["form"].errors
    assert accepted.status_code == HTTPStatus.FOUND
    assert (
        DeskRole.objects.get(sportello=network.desk_a, user=network.operator_a).role
        == "manager"
    )


def test_manager_uploads_a_charter_and_a_fake_pdf_is_refused(client, network):
    client.force_login(network.manager_a)
    url = reverse("sportelli:documents", args=[network.desk_a.slug])

    fake = client.post(
        url,
        {
            "action": "charter",
            "charter-version": "2.0",
            "charter-valid_from": "2024-01-15",
            "charter-file": SimpleUploadedFile("carta.pdf", b"MZ\x90\x00 exe"),
        },
    )
    good = client.post(
        url,
        {
            "action": "charter",
            "charter-version": "2.0",
            "charter-valid_from": "2024-01-15",
            "charter-file": pdf_upload("carta-2.pdf"),
        },
    )

    assert fake.status_code == HTTPStatus.OK
    assert "file" in fake.context["charter_form"].errors
    assert good.status_code == HTTPStatus.FOUND
    assert ServiceCharter.objects.filter(sportello=network.desk_a).count() == 2
    detail = client.get(network.desk_a.get_absolute_url())
    assert detail.context["info"].current_charter.version == "2.0"
    assert [c.version for c in detail.context["info"].earlier_charters] == ["1.0"]


def test_manager_records_an_agreement(client, network):
    client.force_login(network.manager_a)
    url = reverse("sportelli:documents", args=[network.desk_a.slug])

    response = client.post(
        url,
        {
            "action": "agreement",
            "agreement-partner_name": "Associazione artigiani di Cuneo",
            "agreement-kind": "associazione",
            "agreement-signed_on": "2013-05-20",
            "agreement-valid_until": "2015-12-31",
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    assert network.desk_a.agreements.count() == 2


def test_my_desks_lists_roles_and_creation_links(client, network):
    client.force_login(network.referente)
    response = client.get(reverse("sportelli:manage"))
    assert len(response.context["desks"]) == 2
    assert response.context["organisations"] == [network.org_a]

    client.force_login(network.operator_a)
    response = client.get(reverse("sportelli:manage"))
    assert {item.role for item in response.context["desks"]} == {"operator"}
    assert response.context["organisations"] == []


def test_the_administration_and_profile_pages_link_to_the_desks(client, network):
    client.force_login(network.referente)

    administration = client.get(reverse("kit_downloads:organisation"))
    profile = client.get(reverse("account_profile"))

    assert 'data-testid="job-desks-link"' in administration.content.decode()
    assert 'data-testid="job-desks-link"' in profile.content.decode()
