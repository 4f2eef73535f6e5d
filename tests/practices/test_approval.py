"""An editor approves an operator's proposal in the Wagtail page editor.

The browser can send the workflow action twice (a double click, or autosave
racing the action): the practice is published once and the proposer is emailed
once, after the publication is committed.
"""

from html.parser import HTMLParser
from http import HTTPStatus

import pytest
from django.contrib import messages
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from wagtail.models import WorkflowState

from portal.practices.models import GoodPracticePage
from portal.practices.services import editorial_workflow_ensure, practice_propose
from portal.taxonomy.models import Territory
from tests.practices import factories

pytestmark = pytest.mark.django_db

PROPOSAL = {
    "title": "Sportello lavoro di quartiere",
    "summary": "Uno sportello nei quartieri periferici",
    "year_start": 2021,
    "year_end": None,
    "status": "ongoing",
    "description": "Primo paragrafo.\n\nSecondo paragrafo.",
    "results": "",
    "evidence_level": "described",
    "contact_name": "",
    "contact_email": "",
}


class _EditForm(HTMLParser):
    """The fields of Wagtail's page edit form, as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._in_form = False
        self._textarea: str | None = None
        self._select: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "page-edit-form":
            self._in_form = True
        if not self._in_form or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.fields.append(
                (
                    name,
                    attrs.get("value", "on" if kind in {"checkbox", "radio"} else ""),
                )
            )
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, self._text))
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self._text += data


def edit_form_data(client, page) -> dict[str, list[str]]:
    """Fetch the page's edit view and return its form as a POST payload."""
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == HTTPStatus.OK
    parser = _EditForm()
    parser.feed(response.content.decode())
    data: dict[str, list[str]] = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    assert "title" in data, "the edit form was not found"
    return data


def approve_payload(client, page) -> dict[str, list[str]]:
    """What the editor's click on "Approve and publish" sends."""
    data = edit_form_data(client, page)
    data["action-workflow-action"] = ["true"]
    data["workflow-action-name"] = ["approve"]
    data["workflow-action-extra-data"] = ["{}"]
    return data


@pytest.fixture
def proposal(tree, make_user):
    index = factories.practice_index(tree.home)
    editorial_workflow_ensure(index_page=index)
    proposer = make_user("proponente@example.org")
    data = {**PROPOSAL, "territories": Territory.objects.filter(code="063")}
    page = practice_propose(index_page=index, user=proposer, data=data)
    mail.outbox.clear()
    return page


@pytest.fixture
def editor(make_user):
    user = make_user("revisione@example.org")
    user.groups.add(Group.objects.get(name="Revisione"))
    return user


def test_approving_twice_publishes_once_and_emails_once(
    client, proposal, editor, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    payload = approve_payload(client, proposal)

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(
            reverse("wagtailadmin_pages:edit", args=[proposal.pk]), payload
        )
    revisions_after_first = proposal.revisions.count()
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(
            reverse("wagtailadmin_pages:edit", args=[proposal.pk]), payload
        )

    assert first.status_code == HTTPStatus.FOUND
    assert second.status_code == HTTPStatus.FOUND
    assert second["Location"] == reverse("wagtailadmin_pages:edit", args=[proposal.pk])
    page = GoodPracticePage.objects.get(pk=proposal.pk)
    assert page.live
    assert not page.has_unpublished_changes
    # The second click neither publishes again nor saves a stray draft.
    assert page.revisions.count() == revisions_after_first
    assert page.live_revision == page.latest_revision
    assert page.first_published_at == page.last_published_at
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_APPROVED
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["proponente@example.org"]
    assert "pubblicata" in mail.outbox[0].subject
    # The second request says why it did nothing.
    notices = [
        str(message)
        for message in get_messages(second.wsgi_request)
        if message.level == messages.INFO
    ]
    assert any(page.title in notice for notice in notices)


def test_a_failed_publication_emails_nobody(
    client, proposal, editor, django_capture_on_commit_callbacks, monkeypatch
):
    """A request that fails after publishing is rolled back, email included."""
    from wagtail import hooks

    def explode(request, page):
        raise RuntimeError("the disk is full")

    client.force_login(editor)
    payload = approve_payload(client, proposal)
    client.raise_request_exception = False

    with hooks.register_temporarily("after_edit_page", explode):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = client.post(
                reverse("wagtailadmin_pages:edit", args=[proposal.pk]), payload
            )

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert callbacks == []
    assert mail.outbox == []
    page = GoodPracticePage.objects.get(pk=proposal.pk)
    assert not page.live
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS


def test_an_autosave_after_the_approval_keeps_the_page_live(
    client, proposal, editor, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    payload = approve_payload(client, proposal)
    autosave = edit_form_data(client, proposal)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("wagtailadmin_pages:edit", args=[proposal.pk]), payload)
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[proposal.pk]),
            autosave,
            headers={"Accept": "application/json"},
        )

    assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR
    page = GoodPracticePage.objects.get(pk=proposal.pk)
    assert page.live
    assert page.first_published_at == page.last_published_at
    assert len(mail.outbox) == 1
