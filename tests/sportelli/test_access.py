"""Who gets what on every page, document and export of the job desks, with exact
status codes."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from sportelli.models import Agreement, DeskRole, ServiceCharter

pytestmark = pytest.mark.django_db

OK = HTTPStatus.OK
FOUND = HTTPStatus.FOUND  # anonymous: to the login page; POST: back after success
FORBIDDEN = HTTPStatus.FORBIDDEN
NOT_FOUND = HTTPStatus.NOT_FOUND

ACTORS = ["anonymous", "operator_a", "manager_a", "operator_b", "referente", "staff"]


def _url(network, name: str) -> str:
    desk_a, draft_a = network.desk_a, network.draft_a
    charter = ServiceCharter.objects.get(sportello=desk_a)
    draft_charter = ServiceCharter.objects.get(sportello=draft_a)
    agreement = Agreement.objects.get(sportello=desk_a)
    draft_agreement = Agreement.objects.get(sportello=draft_a)
    return {
        "directory": reverse("sportelli:directory"),
        "csv": reverse("sportelli:open_data_csv"),
        "json": reverse("sportelli:open_data_json"),
        "geojson": reverse("sportelli:open_data_geojson"),
        "detail_a": desk_a.get_absolute_url(),
        "detail_draft_a": draft_a.get_absolute_url(),
        "detail_b": network.desk_b.get_absolute_url(),
        "charter_a": charter.get_absolute_url(),
        "charter_draft_a": draft_charter.get_absolute_url(),
        "agreement_a": agreement.get_absolute_url(),
        "agreement_draft_a": draft_agreement.get_absolute_url(),
        "manage": reverse("sportelli:manage"),
        "create_a": reverse("sportelli:create", args=[network.org_a.pk]),
        "edit_a": reverse("sportelli:edit", args=[desk_a.slug]),
        "edit_draft_a": reverse("sportelli:edit", args=[draft_a.slug]),
        "roles_a": reverse("sportelli:roles", args=[desk_a.slug]),
        "roles_draft_a": reverse("sportelli:roles", args=[draft_a.slug]),
        "documents_a": reverse("sportelli:documents", args=[desk_a.slug]),
        "documents_draft_a": reverse("sportelli:documents", args=[draft_a.slug]),
    }[name]


# page -> expected status per actor, in the order of ACTORS
MATRIX = {
    "directory": [OK, OK, OK, OK, OK, OK],
    "csv": [OK, OK, OK, OK, OK, OK],
    "json": [OK, OK, OK, OK, OK, OK],
    "geojson": [OK, OK, OK, OK, OK, OK],
    "detail_a": [OK, OK, OK, OK, OK, OK],
    "detail_b": [OK, OK, OK, OK, OK, OK],
    "detail_draft_a": [NOT_FOUND, OK, OK, NOT_FOUND, OK, OK],
    "charter_a": [OK, OK, OK, OK, OK, OK],
    "agreement_a": [OK, OK, OK, OK, OK, OK],
    "charter_draft_a": [NOT_FOUND, OK, OK, NOT_FOUND, OK, OK],
    "agreement_draft_a": [NOT_FOUND, OK, OK, NOT_FOUND, OK, OK],
    "manage": [FOUND, OK, OK, OK, OK, OK],
    "create_a": [FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK],
    "edit_a": [FOUND, FORBIDDEN, OK, FORBIDDEN, OK, OK],
    "edit_draft_a": [FOUND, FORBIDDEN, OK, NOT_FOUND, OK, OK],
    "roles_a": [FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK],
    "roles_draft_a": [FOUND, FORBIDDEN, FORBIDDEN, NOT_FOUND, OK, OK],
    "documents_a": [FOUND, FORBIDDEN, OK, FORBIDDEN, OK, OK],
    "documents_draft_a": [FOUND, FORBIDDEN, OK, NOT_FOUND, OK, OK],
}


def _login(client, network, actor: str):
    if actor != "anonymous":
        client.force_login(getattr(network, actor))


@pytest.mark.parametrize("page", list(MATRIX))
def test_access_matrix(client, network, page):
    url = _url(network, page)
    got = []
    for actor in ACTORS:
        client.logout()
        _login(client, network, actor)
        got.append(client.get(url).status_code)
    assert got == MATRIX[page], dict(zip(ACTORS, got, strict=True))


def test_anonymous_is_sent_to_the_login_page(client, network):
    response = client.get(reverse("sportelli:edit", args=[network.desk_a.slug]))
    assert response.status_code == FOUND
    assert response["Location"].startswith(reverse("account_login"))


def test_a_suspended_administration_takes_its_desks_off_the_directory(client, network):
    network.org_a.status = "suspended"
    network.org_a.save()

    assert client.get(network.desk_a.get_absolute_url()).status_code == NOT_FOUND
    charter = ServiceCharter.objects.get(sportello=network.desk_a)
    assert client.get(charter.get_absolute_url()).status_code == NOT_FOUND
    data = client.get(reverse("sportelli:open_data_json")).json()
    assert [desk["id"] for desk in data["desks"]] == [network.desk_b.pk]
    client.force_login(network.manager_a)
    assert client.get(network.desk_a.get_absolute_url()).status_code == OK


def test_a_document_with_the_wrong_name_is_not_found(client, network):
    charter = ServiceCharter.objects.get(sportello=network.desk_a)
    url = reverse("sportelli:document", args=["carta", charter.pk, "altro.pdf"])
    assert client.get(url).status_code == NOT_FOUND
    url = reverse("sportelli:document", args=["verbale", charter.pk, charter.filename])
    assert client.get(url).status_code == NOT_FOUND


def test_documents_are_served_as_safe_pdf_downloads(client, network):
    charter = ServiceCharter.objects.get(sportello=network.desk_a)
    response = client.get(charter.get_absolute_url())
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("anonymous", FOUND),
        ("operator_a", FORBIDDEN),
        ("manager_a", FORBIDDEN),
        ("operator_b", FORBIDDEN),
        ("referente", FOUND),
        ("staff", FOUND),
    ],
)
def test_removing_a_role(client, network, actor, expected):
    desk_role = DeskRole.objects.get(sportello=network.desk_a, user=network.operator_a)
    _login(client, network, actor)
    url = reverse("sportelli:role_remove", args=[network.desk_a.slug, desk_role.pk])

    response = client.post(url)

    assert response.status_code == expected
    removed = not DeskRole.objects.filter(pk=desk_role.pk).exists()
    assert removed == (actor in {"referente", "staff"})
    assert client.get(url).status_code in {HTTPStatus.METHOD_NOT_ALLOWED, FOUND}


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("anonymous", FOUND),
        ("operator_a", FORBIDDEN),
        ("manager_a", FOUND),
        ("operator_b", FORBIDDEN),
        ("referente", FOUND),
        ("staff", FOUND),
    ],
)
def test_removing_an_agreement(client, network, actor, expected):
    agreement = Agreement.objects.get(sportello=network.desk_a)
    _login(client, network, actor)
    url = reverse(
        "sportelli:agreement_delete", args=[network.desk_a.slug, agreement.pk]
    )

    response = client.post(url)

    assert response.status_code == expected
    removed = not Agreement.objects.filter(pk=agreement.pk).exists()
    assert removed == (actor in {"manager_a", "referente", "staff"})


def test_a_role_of_another_desk_cannot_be_removed_through_this_one(client, network):
    desk_role = DeskRole.objects.get(sportello=network.desk_b)
    client.force_login(network.referente)
    url = reverse("sportelli:role_remove", args=[network.desk_a.slug, desk_role.pk])

    assert client.post(url).status_code == NOT_FOUND
    assert DeskRole.objects.filter(pk=desk_role.pk).exists()


def test_staff_without_the_group_has_no_desk_rights(client, network, make_user):
    plain_staff = make_user("redazione@esploralavoro.example", is_staff=True)
    client.force_login(plain_staff)

    assert client.get(_url(network, "edit_a")).status_code == FORBIDDEN
    assert client.get(_url(network, "detail_draft_a")).status_code == NOT_FOUND


def test_the_admin_listing_needs_the_manage_permission(client, network, make_user):
    editor = make_user("editor@esploralavoro.example")
    editor.user_permissions.add(
        Permission.objects.get(
            codename="access_admin", content_type__app_label="wagtailadmin"
        )
    )
    url = reverse("wagtailsnippets_sportelli_sportello:list")
    client.force_login(editor)
    assert client.get(url).status_code in {FOUND, FORBIDDEN}
    client.force_login(network.staff)
    response = client.get(url)
    assert response.status_code == OK
    assert network.desk_a.name in response.content.decode()
