"""Who may do what in the kit area: every kind of visitor against every resource."""

from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import translation

from kit_downloads.models import DownloadEvent

from .conftest import FILE_BYTES, VISITORS

pytestmark = pytest.mark.django_db

OK = HTTPStatus.OK
FOUND = HTTPStatus.FOUND
FORBIDDEN = HTTPStatus.FORBIDDEN

# resource -> status per visitor, in the order of VISITORS:
# anonymous, no organisation, unverified, pending, rejected, suspended, approved, staff
MATRIX = {
    "catalogue": [OK] * 8,
    "release notes": [OK] * 8,
    "file download": [FOUND] + [FORBIDDEN] * 5 + [OK, OK],
    "latest link": [FOUND] * 8,
    "SHA256SUMS": [OK] * 8,
    "admin": [FOUND] * 7 + [OK],
}


def _url(kit, resource):
    return {
        "catalogue": kit.product.url,
        "release notes": kit.final.url,
        "file download": reverse(
            "kit_downloads:file", args=[kit.file.pk, kit.file.filename]
        ),
        "latest link": kit.product.url + "latest/",
        "SHA256SUMS": reverse("kit_downloads:sha256sums", args=[kit.final.pk]),
        "admin": reverse("kit_downloads_admin:install_base"),
    }[resource]


@pytest.mark.parametrize("kind", VISITORS)
def test_access_matrix(kit, visitor, kind):
    """One visitor against every resource (one page tree per visitor keeps the
    suite fast); the expected codes are the MATRIX column for that visitor."""
    client, _user = visitor(kind)
    index = VISITORS.index(kind)
    got = {}  # resource -> status code
    for resource in MATRIX:
        response = client.get(_url(kit, resource))
        got[resource] = response.status_code
        if resource == "file download" and response.status_code == OK:
            assert b"".join(response.streaming_content) == FILE_BYTES
        if resource == "latest link":
            assert response["Location"] == kit.final.url  # newest final, not beta
    assert got == {resource: statuses[index] for resource, statuses in MATRIX.items()}


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("no_organisation", "Register your administration"),
        ("unverified", "Verify your email address"),
        ("pending", "waiting for approval"),
        ("rejected", "was not approved"),
        ("suspended", "is suspended"),
    ],
)
def test_refused_download_says_why_and_what_to_do(kit, visitor, kind, message):
    client, _user = visitor(kind)
    with translation.override("en"):
        url = reverse("kit_downloads:file", args=[kit.file.pk, kit.file.filename])
    response = client.get(url)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert message in response.content.decode()
    assert not DownloadEvent.objects.exists()


def test_anonymous_is_sent_to_login_and_back(kit, visitor):
    client, _user = visitor("anonymous")
    url = reverse("kit_downloads:file", args=[kit.file.pk, kit.file.filename])
    response = client.get(url)
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=" in response["Location"]


@pytest.mark.parametrize(("kind", "links"), [("approved", True), ("pending", False)])
def test_release_page_links_files_only_for_those_allowed(kit, visitor, kind, links):
    client, _user = visitor(kind)
    html = client.get(kit.final.url).content.decode()
    download_url = reverse("kit_downloads:file", args=[kit.file.pk, kit.file.filename])
    assert (download_url in html) is links
    assert kit.file.sha256 in html  # checksums are public
    assert f'data-reason="{kind}"' in html


def test_files_of_unpublished_releases_are_hidden_from_administrations(kit, visitor):
    kit.final.unpublish()
    url = reverse("kit_downloads:file", args=[kit.file.pk, kit.file.filename])
    approved, _user = visitor("approved")
    staff, _staff = visitor("staff")
    assert approved.get(url).status_code == HTTPStatus.NOT_FOUND
    assert staff.get(url).status_code == HTTPStatus.OK


def test_download_is_recorded_for_the_administration(kit, visitor):
    client, user = visitor("approved")
    url = reverse("kit_downloads:file", args=[kit.file.pk, kit.file.filename])
    b"".join(client.get(url).streaming_content)
    event = DownloadEvent.objects.get()
    assert event.user == user
    assert event.organisation == user.memberships.get().organisation
    assert event.file == kit.file
    assert event.version == "1.10.0"
