"""API keys in the desk's front office: the desk manager, the referente and
staff create (the secret shown once), list and revoke keys; operators and
other desks' people cannot (exact status codes)."""

import hashlib
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import translation

from sportelli.models import ApiKey
from sportelli.services import api_keys

pytestmark = pytest.mark.django_db


def test_the_paths_are_translated():
    with translation.override("it"):
        assert reverse("sportelli:api_keys", args=["x"]) == (
            "/sportelli/gestione/x/chiavi-api/"
        )
    with translation.override("en"):
        assert reverse("sportelli:api_keys", args=["x"]) == (
            "/en/job-desks/manage/x/api-keys/"
        )


def test_who_may_see_the_keys_page(client, network, make_user):
    url = reverse("sportelli:api_keys", args=[network.desk_a.slug])
    assert client.get(url).status_code == HTTPStatus.FOUND  # to the login
    expected = [
        (network.manager_a, HTTPStatus.OK),
        (network.referente, HTTPStatus.OK),
        (network.staff, HTTPStatus.OK),
        (network.operator_a, HTTPStatus.FORBIDDEN),
        (network.operator_b, HTTPStatus.FORBIDDEN),
        (make_user("nobody@example.org"), HTTPStatus.FORBIDDEN),
    ]
    for user, status in expected:
        client.force_login(user)
        assert client.get(url).status_code == status, user
        response = client.post(url, {"name": "SILLA"})
        assert response.status_code == status, user
    # Only the three who may created a key.
    assert ApiKey.objects.count() == 3


def test_the_manager_creates_a_key_shown_once_and_revokes_it(client, network):
    client.force_login(network.manager_a)
    url = reverse("sportelli:api_keys", args=[network.desk_a.slug])
    response = client.post(url, {"name": "SILLA del Comune"})

    assert response.status_code == HTTPStatus.OK
    assert response["Cache-Control"] == "no-store"
    token = response.context["new_key"].token
    prefix, secret = token.split(".")
    key = ApiKey.objects.get()
    assert (key.prefix, key.name, key.created_by) == (
        prefix,
        "SILLA del Comune",
        network.manager_a,
    )
    assert key.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token in response.content.decode()
    # Listed afterwards by its prefix, never with the secret again.
    page = client.get(url).content.decode()
    assert prefix in page and secret not in page
    assert api_keys.api_key_authenticate(token) == key

    revoke = reverse("sportelli:api_key_revoke", args=[network.desk_a.slug, key.pk])
    client.force_login(network.operator_a)
    assert client.post(revoke).status_code == HTTPStatus.FORBIDDEN
    client.force_login(network.manager_a)
    assert client.get(revoke).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert client.post(revoke).status_code == HTTPStatus.FOUND
    key.refresh_from_db()
    assert key.revoked_at and key.revoked_by == network.manager_a
    assert api_keys.api_key_authenticate(token) is None
    # Another desk's key is not revoked through this desk's address.
    other = api_keys.api_key_create(
        sportello=network.draft_a, by=network.referente, name="x"
    ).key
    wrong = reverse("sportelli:api_key_revoke", args=[network.desk_a.slug, other.pk])
    assert client.post(wrong).status_code == HTTPStatus.NOT_FOUND


def test_a_key_needs_a_name(client, network):
    client.force_login(network.manager_a)
    url = reverse("sportelli:api_keys", args=[network.desk_a.slug])
    response = client.post(url, {"name": "  "})
    assert response.status_code == HTTPStatus.OK
    assert "name" in response.context["form"].errors
    assert not ApiKey.objects.exists()


def test_the_desk_list_links_the_keys_to_managers_only(client, network):
    client.force_login(network.manager_a)
    page = client.get(reverse("sportelli:manage")).content.decode()
    assert reverse("sportelli:api_keys", args=[network.desk_a.slug]) in page
    client.force_login(network.operator_a)
    page = client.get(reverse("sportelli:manage")).content.decode()
    assert 'data-testid="api-keys-link"' not in page
