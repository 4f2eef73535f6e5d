from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import GroupPagePermission

from portal.monitoring.demo import SEED_004
from portal.monitoring.models import ObjectivePage, ProgrammeReportPage

from ..conftest import PASSWORD
from .factories import objective_page, report_page

pytestmark = pytest.mark.django_db

GOOD = (
    b"code,description,type,planned_value,achieved_value\n"
    b"F2,N. incontri di raccordo,RISULTATO,1,0\n"
)
BAD = GOOD + b"G3,,RISULTATO,cinquanta,0\n"


@pytest.fixture
def editor(make_user):
    """A member of an editors group that may edit, not publish, pages."""
    user = make_user(email="redazione@example.org")
    group = Group.objects.create(name="Redazione monitoraggio")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    from wagtail.models import Page

    GroupPagePermission.objects.create(
        group=group,
        page=Page.get_first_root_node(),
        permission=Permission.objects.get(codename="change_page"),
    )
    user.groups.add(group)
    return user


@pytest.fixture
def admin_user(make_user):
    return make_user(email="admin@example.org", is_superuser=True, is_staff=True)


def login(client, user):
    assert client.login(email=user.email, password=PASSWORD)


def url(page) -> str:
    return reverse("monitoring_import", args=[page.pk])


def test_anonymous_visitor_is_sent_to_login(client, tree):
    page = objective_page(tree.section)
    response = client.get(url(page))
    assert response.status_code == HTTPStatus.FOUND
    assert "login" in response["Location"]


def test_user_without_admin_access_cannot_import(client, tree, make_user):
    page = objective_page(tree.section)
    login(client, make_user())
    response = client.post(url(page), {"kind": "indicators", "file": _file(GOOD)})
    assert response.status_code in (HTTPStatus.FOUND, HTTPStatus.FORBIDDEN)
    assert page.indicators.count() == 2


def test_admin_user_without_edit_permission_is_refused(client, tree, make_user):
    page = objective_page(tree.section)
    user = make_user(email="lettore@example.org")
    group = Group.objects.create(name="Solo admin")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    login(client, user)
    # Wagtail's admin turns PermissionDenied into a redirect to the dashboard.
    response = client.post(url(page), {"kind": "indicators", "file": _file(GOOD)})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("wagtailadmin_home")
    assert page.get_latest_revision_as_object().indicators.count() == 2


def test_other_page_types_have_no_import(client, tree, admin_user):
    login(client, admin_user)
    response = client.get(url(tree.section))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("wagtailadmin_home")
    assert client.get(reverse("monitoring_import", args=[999999])).status_code == (
        HTTPStatus.NOT_FOUND
    )


def _file(content: bytes, name: str = "indicatori.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_editor_imports_a_draft(client, tree, editor):
    page = objective_page(tree.section)
    login(client, editor)
    form = client.get(url(page))
    assert form.status_code == HTTPStatus.OK
    assert b'name="publish"' not in form.content  # may not publish
    response = client.post(url(page), {"kind": "indicators", "file": _file(GOOD)})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    page = ObjectivePage.objects.get(pk=page.pk)
    assert page.indicators.count() == 2  # live page unchanged until published
    draft = page.get_latest_revision_as_object()
    assert [i.code for i in draft.indicators.all()] == ["F2"]


def test_bad_file_lists_each_problem_and_changes_nothing(client, tree, admin_user):
    page = objective_page(tree.section)
    revisions = page.revisions.count()
    login(client, admin_user)
    response = client.post(
        url(page),
        {"kind": "indicators", "file": _file(BAD), "publish": "on"},
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    # The admin speaks the editor's language: Italian by default.
    assert "Riga 3, colonna “description”" in html
    assert "Riga 3, colonna “planned_value”" in html
    assert page.revisions.count() == revisions
    assert page.indicators.count() == 2


def test_wrong_extension_is_a_form_error(client, tree, admin_user):
    page = objective_page(tree.section)
    login(client, admin_user)
    response = client.post(
        url(page), {"kind": "indicators", "file": _file(GOOD, "indicatori.pdf")}
    )
    assert response.status_code == HTTPStatus.OK
    assert page.indicators.count() == 2


def test_admin_imports_and_publishes_a_report(client, tree, admin_user):
    page = report_page(tree.section)
    login(client, admin_user)
    response = client.post(
        url(page),
        {"file": _file(SEED_004.read_bytes(), "report.tsv"), "publish": "on"},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert ProgrammeReportPage.objects.get(pk=page.pk).rows.count() == 12


def test_page_header_offers_the_import(client, tree, admin_user):
    page = objective_page(tree.section)
    login(client, admin_user)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert url(page).encode() in response.content
