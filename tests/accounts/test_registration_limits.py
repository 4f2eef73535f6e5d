"""Limits on registering administrations: one waiting for approval, a few a day."""

from http import HTTPStatus

import pytest
from django.utils import translation
from django.utils.translation import gettext

from portal.accounts import services
from portal.accounts.models import Organisation
from portal.accounts.validators import codice_fiscale_check_digit
from tests.accounts.test_registration import VALID, _url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commit_hooks")]


def _another(number: int) -> dict:
    first_ten = f"8001501{number:03d}"
    return {
        **VALID,
        "name": f"Comune numero {number}",
        "codice_ipa": f"c_x{number:03d}",
        "codice_fiscale": first_ten + str(codice_fiscale_check_digit(first_ten)),
    }


@pytest.fixture
def applicant(client, make_user):
    user = make_user(email="anna@comune.bari.it")
    client.force_login(user)
    return user


def test_a_second_pending_administration_is_refused_and_the_form_kept(
    client, applicant
):
    assert client.post(_url(), VALID).status_code == HTTPStatus.FOUND

    response = client.post(_url(), _another(1))

    assert response.status_code == HTTPStatus.OK
    with translation.override("en"):
        expected = gettext(
            "You have already registered an administration that is waiting "
            "for approval. You can register another one once it has been "
            "reviewed."
        )
    assert response.context["form"].non_field_errors() == [expected]
    assert expected in response.content.decode()
    # What the user typed is still in the form.
    assert 'value="Comune numero 1"' in response.content.decode()
    assert list(Organisation.objects.values_list("codice_ipa", flat=True)) == ["c_a662"]


def test_once_reviewed_another_administration_can_be_registered(
    client, applicant, make_user
):
    client.post(_url(), VALID)
    staff = make_user(email="staff@example.org", is_staff=True, is_superuser=True)
    services.organisation_review(
        organisation=Organisation.objects.get(), decision="approve", by=staff
    )

    response = client.post(_url(), _another(1))

    assert response.status_code == HTTPStatus.FOUND
    assert Organisation.objects.count() == 2


def test_daily_cap_counts_registrations_and_join_requests(
    client, applicant, make_user, settings
):
    settings.ACCOUNTS_MAX_PENDING_REGISTRATIONS = 0
    settings.ACCOUNTS_MAX_REGISTRATIONS_PER_DAY = 2
    client.post(_url(), VALID)
    client.post(_url(), _another(1))

    response = client.post(_url(), _another(2))

    assert response.status_code == HTTPStatus.OK
    with translation.override("en"):
        expected = gettext(
            "You have already sent %(count)s registrations today, the most "
            "allowed. Please try again tomorrow."
        ) % {"count": 2}
    assert response.context["form"].non_field_errors() == [expected]
    assert Organisation.objects.count() == 2
    # Another user is not affected by this user's limit.
    client.force_login(make_user(email="marco@comune.bari.it"))
    assert client.post(_url(), _another(2)).status_code == HTTPStatus.FOUND


def test_a_refused_registration_is_not_counted(client, applicant, settings):
    settings.ACCOUNTS_MAX_REGISTRATIONS_PER_DAY = 2
    client.post(_url(), VALID)
    # Refused twice by the pending limit: nothing saved, nothing counted.
    client.post(_url(), _another(1))
    client.post(_url(), _another(2))
    Organisation.objects.update(status=Organisation.Status.APPROVED)

    response = client.post(_url(), _another(3))

    assert response.status_code == HTTPStatus.FOUND
    assert Organisation.objects.count() == 2
