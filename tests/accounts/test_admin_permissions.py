"""Rights come from the admin groups a Wagtail administrator assigns in the user
form, never from ``is_staff`` (which that form cannot set)."""

from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from portal.accounts.models import Organisation

pytestmark = pytest.mark.django_db

GROUPS = ["Revisione registrazioni", "Gestione kit", "Moderazione globale"]
PASSWORD = "a-long-admin-password-42"


@pytest.fixture
def organisation():
    return Organisation.objects.create(
        name="Comune di Prova", kind="comune", codice_ipa="c_prova", status="pending"
    )


def _url_for(group_name: str, organisation: Organisation) -> str:
    return {
        "Revisione registrazioni": reverse(
            "accounts_admin:review", args=[organisation.pk]
        ),
        "Gestione kit": reverse("kit_downloads_admin:files"),
        "Moderazione globale": reverse("community:moderation_global"),
    }[group_name]


def _refused(response) -> bool:
    """A 403, or the admin's answer to a refused admin view: back to the admin
    home (with an error message) or, without admin access, to its login."""
    if response.status_code == HTTPStatus.FORBIDDEN:
        return True
    if response.status_code != HTTPStatus.FOUND:
        return False
    location = response["Location"]
    return location == reverse("wagtailadmin_home") or location.startswith(
        reverse("wagtailadmin_login")
    )


def _create_through_admin_form(client, *, email: str, groups: list[Group]):
    """What a superuser does in Impostazioni > Utenti > Aggiungi un utente."""
    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": email,
            "first_name": "Giulia",
            "last_name": "Verdi",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "groups": [group.pk for group in groups],
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
    return get_user_model().objects.get(email=email)


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user("admin@example.org", is_superuser=True))
    return client


def test_the_admin_groups_exist_with_admin_access():
    for name in GROUPS:
        group = Group.objects.get(name=name)
        assert group.permissions.filter(codename="access_admin").exists()


@pytest.mark.parametrize("group_name", GROUPS)
def test_a_user_created_in_the_admin_gets_the_groups_rights(
    admin_client, client_factory, organisation, group_name
):
    user = _create_through_admin_form(
        admin_client,
        email="giulia.verdi@example.org",
        groups=[Group.objects.get(name=group_name)],
    )
    assert not user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == [group_name]
    colleague = client_factory()
    colleague.force_login(user)

    for name in GROUPS:
        response = colleague.get(_url_for(name, organisation))
        if name == group_name:
            assert response.status_code == HTTPStatus.OK, name
        else:
            assert _refused(response), name


@pytest.mark.parametrize("group_name", GROUPS)
def test_a_user_without_the_group_is_refused(
    admin_client, client_factory, organisation, group_name
):
    user = _create_through_admin_form(
        admin_client, email="senza.gruppo@example.org", groups=[]
    )
    visitor = client_factory()
    visitor.force_login(user)

    response = visitor.get(_url_for(group_name, organisation))

    assert _refused(response)


def test_the_review_button_and_kit_menu_follow_the_permission(
    admin_client, client_factory, organisation
):
    reviewer = _create_through_admin_form(
        admin_client,
        email="revisore@example.org",
        groups=[Group.objects.get(name="Revisione registrazioni")],
    )
    visitor = client_factory()
    visitor.force_login(reviewer)

    listing = visitor.get(reverse("wagtailsnippets_accounts_organisation:list"))
    dashboard = visitor.get(reverse("wagtailadmin_home"))

    assert listing.status_code == HTTPStatus.OK
    assert _url_for("Revisione registrazioni", organisation) in listing.content.decode()
    assert reverse("kit_downloads_admin:files") not in dashboard.content.decode()


@pytest.fixture
def client_factory():
    from django.test import Client

    return Client
