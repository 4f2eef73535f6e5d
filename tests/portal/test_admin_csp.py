"""The admin frames its own previews; nobody else frames the admin or the site."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.practices import factories
from tests.practices.test_approval import edit_form_data

pytestmark = pytest.mark.django_db

CSP = "Content-Security-Policy"


@pytest.fixture
def editor_client(client, make_user):
    client.force_login(make_user("admin@example.org", is_superuser=True))
    return client


def _directives(response) -> dict[str, str]:
    policy = response[CSP]
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
        for part in policy.split(";")
        if part.strip()
    }


def test_public_pages_cannot_be_framed(client, tree):
    response = client.get(tree.section.url)

    assert response.status_code == HTTPStatus.OK
    assert _directives(response)["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"


def test_admin_pages_may_be_framed_by_the_admin_only(editor_client, tree):
    response = editor_client.get(reverse("wagtailadmin_home"))

    assert response.status_code == HTTPStatus.OK
    assert _directives(response)["frame-ancestors"] == "'self'"


def test_the_preview_panel_may_frame_the_preview(editor_client, tree):
    # A page whose edit form is plain HTML fields (no StreamField widgets).
    page = factories.practice(factories.practice_index(tree.home), title="Sportello")
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    data = edit_form_data(editor_client, page)
    data["title"] = ["Sportello in anteprima"]

    stored = editor_client.post(url, data)
    response = editor_client.get(url, {"in_preview_panel": "true", "mode": ""})

    assert stored.json()["is_valid"] is True
    assert response.status_code == HTTPStatus.OK
    assert "Sportello in anteprima" in response.content.decode()
    directives = _directives(response)
    assert directives["frame-ancestors"] == "'self'"
    # Otherwise the public page's policy: no inline script in the preview either.
    assert directives["script-src"] == "'self'"
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_the_draft_view_may_be_framed_by_the_admin(editor_client, tree):
    response = editor_client.get(
        reverse("wagtailadmin_pages:view_draft", args=[tree.section.pk])
    )

    assert response.status_code == HTTPStatus.OK
    assert _directives(response)["frame-ancestors"] == "'self'"
