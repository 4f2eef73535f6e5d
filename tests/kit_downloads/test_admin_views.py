"""The staff report of which release each administration is on."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from kit_downloads import selectors, services
from kit_downloads.models import DownloadEvent
from portal.accounts.models import Membership

from .conftest import add_release, make_organisation

pytestmark = pytest.mark.django_db

REPORT = "kit_downloads_admin:organisation_releases"


def _administration(make_user, ipa: str):
    organisation = make_organisation("approved", ipa)
    user = make_user(email=f"ref-{ipa}@example.org")
    Membership.objects.create(organisation=organisation, user=user, role="referente")
    return organisation, user


def _extra_file(release, name):
    return release.files.create(
        platform="ZIP", filename=name, size=1, sha256="c" * 64, file=f"x/{name}"
    )


def test_report_shows_the_last_release_and_who_is_behind(kit, make_user, visitor):
    old_file = _extra_file(kit.old, "old.zip")
    behind, behind_user = _administration(make_user, "c_behind")
    current, current_user = _administration(make_user, "c_current")
    services.download_record(file=kit.file, user=behind_user, organisation=behind)
    # Downloaded last, but it already has 1.10.0: still not behind 1.10.0.
    services.download_record(file=old_file, user=behind_user, organisation=behind)
    DownloadEvent.objects.filter(file=old_file).update(
        created_at=DownloadEvent.objects.get(file=kit.file).created_at.replace(
            year=2030
        )
    )
    security = add_release(kit.product, "1.11.0", security=True)
    services.download_record(
        file=_extra_file(security, "sec.zip"), user=current_user, organisation=current
    )
    add_release(kit.product, "1.12.0")  # newer, but not a security release

    staff, staff_user = visitor("staff")
    rows = selectors.organisation_release_report(user=staff_user)
    assert [
        (
            row.organisation.codice_ipa,
            row.last_release.version,
            row.newest_version,
            [release.version for release in row.missing_security],
        )
        for row in rows
    ] == [
        ("c_behind", "1.0.0", "1.10.0", ["1.11.0"]),
        ("c_current", "1.11.0", "1.11.0", []),
    ]

    response = staff.get(reverse(REPORT))
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Comune c_behind" in page
    assert "Comune c_current" in page
    assert page.count('data-behind="true"') == 1

    page = staff.get(reverse(REPORT), {"behind": "1"}).content.decode()
    assert "Comune c_behind" in page
    assert "Comune c_current" not in page


def test_report_is_in_the_kit_menu_of_kit_managers(kit, visitor):
    staff, _user = visitor("staff")
    dashboard = staff.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(REPORT) in dashboard


@pytest.mark.parametrize("kind", ["anonymous", "approved"])
def test_report_is_refused_outside_the_admin(kit, visitor, kind):
    client, _user = visitor(kind)
    response = client.get(reverse(REPORT))
    assert response.status_code == HTTPStatus.FOUND
    assert "Comune" not in response.content.decode()


def test_report_is_refused_to_editors_without_the_kit_permission(
    kit, make_user, client
):
    editor = make_user(email="editor@example.org")
    group = Group.objects.create(name="Solo admin")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    editor.groups.add(group)
    client.force_login(editor)
    services.download_record(
        file=kit.file, user=editor, organisation=make_organisation("approved", "c_x")
    )
    # Wagtail turns the PermissionDenied into a redirect to the dashboard.
    response = client.get(reverse(REPORT))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("wagtailadmin_home")
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(REPORT) not in dashboard
    with pytest.raises(PermissionDenied):
        selectors.organisation_release_report(user=editor)


def _downloads(make_user, kit, count: int, start: int):
    for index in range(start, start + count):
        organisation, user = _administration(make_user, f"c_{index:04d}")
        services.download_record(file=kit.file, user=user, organisation=organisation)


def test_report_queries_do_not_grow_with_the_list(
    kit, make_user, visitor, django_assert_max_num_queries
):
    staff, _user = visitor("staff")
    add_release(kit.product, "1.11.0", security=True)
    url = reverse(REPORT)
    staff.get(url)  # warm the caches of the admin (site, locales)
    _downloads(make_user, kit, 2, start=0)
    with django_assert_max_num_queries(25) as small:
        assert staff.get(url).content.decode().count('data-behind="true"') == 2
    _downloads(make_user, kit, 20, start=2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert staff.get(url).content.decode().count('data-behind="true"') == 22
