"""Two "Approve and publish" requests on one page at the same time (PostgreSQL).

The second request arrives while the first has published but not yet committed:
without the page lock it acts on the stale draft (a 500, or the page back to
draft after the proposer was told it is live).
"""

import threading
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from wagtail import hooks
from wagtail.signals import page_published

from portal.practices.models import GoodPracticePage
from portal.practices.services import editorial_workflow_ensure, practice_propose
from portal.taxonomy.models import Territory
from tests.conftest import build_tree
from tests.practices import factories
from tests.practices.test_approval import PROPOSAL, approve_payload

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="true concurrent requests need PostgreSQL (SQLite serialises writes)",
    ),
]


def test_simultaneous_approvals_publish_once_and_email_once(make_user):
    tree = build_tree()
    index = factories.practice_index(tree.home)
    editorial_workflow_ensure(index_page=index)
    proposer = make_user("proponente@example.org")
    data = {**PROPOSAL, "territories": Territory.objects.filter(code="063")}
    proposal = practice_propose(index_page=index, user=proposer, data=data)
    editor = make_user("revisione@example.org")
    editor.groups.add(Group.objects.get(name="Revisione"))
    clients = [Client(raise_request_exception=False) for _ in range(2)]
    for client in clients:
        client.force_login(editor)
    payload = approve_payload(clients[0], proposal)
    url = reverse("wagtailadmin_pages:edit", args=[proposal.pk])
    mail.outbox.clear()

    first_published = threading.Event()
    second_started = threading.Event()
    responses: dict[str, int] = {}
    errors: list[BaseException] = []

    def hold_the_first_publication(sender, **kwargs):
        # The first request has published, uncommitted; give the second one
        # time to load the page before this one commits.
        if threading.current_thread().name == "first":
            first_published.set()
            second_started.wait(timeout=3)

    def note_the_second(request, page):
        if threading.current_thread().name == "second":
            second_started.set()

    def approve(name, client):
        try:
            if name == "second":
                first_published.wait(timeout=30)
            responses[name] = client.post(url, payload).status_code
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    page_published.connect(hold_the_first_publication)
    try:
        with hooks.register_temporarily("before_edit_page", note_the_second):
            workers = [
                threading.Thread(target=approve, args=(name, client), name=name)
                for name, client in zip(["first", "second"], clients, strict=True)
            ]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
    finally:
        page_published.disconnect(hold_the_first_publication)

    assert errors == []
    assert responses == {"first": HTTPStatus.FOUND, "second": HTTPStatus.FOUND}
    page = GoodPracticePage.objects.get(pk=proposal.pk)
    assert page.live
    assert not page.has_unpublished_changes
    assert page.first_published_at == page.last_published_at
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["proponente@example.org"]
