from http import HTTPStatus

import pytest
from django.core import mail
from wagtail.models import WorkflowState

from portal.practices.models import GoodPracticePage
from portal.practices.services import editorial_workflow_ensure
from portal.taxonomy.models import Territory
from tests.practices import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(tree):
    index = factories.practice_index(tree.home)
    editorial_workflow_ensure(index_page=index)
    return index


def _proposal(**overrides):
    data = {
        "title": "Sportello lavoro di quartiere",
        "summary": "Uno sportello nei quartieri periferici",
        "territories": [Territory.objects.get(code="063").pk],
        "year_start": "2021",
        "year_end": "",
        "status": "ongoing",
        "description": "Primo paragrafo.\n\n<script>alert(1)</script> Secondo.",
        "results": "",
        "evidence_level": "described",
        "contact_name": "",
        "contact_email": "",
    }
    data.update(overrides)
    return data


def test_anonymous_visitors_are_sent_to_log_in(client, index):
    response = client.get(index.url + "proponi/")

    assert response.status_code == HTTPStatus.FOUND
    assert "/account/login/" in response["Location"]


def test_unverified_users_are_asked_to_verify_first(client, index, make_user):
    client.force_login(make_user(verified=False))

    response = client.get(index.url + "proponi/")

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].endswith("/account/email/")


def test_proposal_becomes_a_draft_in_moderation(client, index, make_user):
    user = make_user()
    client.force_login(user)

    response = client.post(index.url + "proponi/", _proposal())

    assert response.status_code == HTTPStatus.FOUND
    page = GoodPracticePage.objects.get(title="Sportello lavoro di quartiere")
    assert not page.live
    assert page.proposed_by == user
    assert "<script>" not in page.description
    assert "&lt;script&gt;" in page.description
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Moderazione buone pratiche"
    # Not visible to the public while in moderation.
    assert client.get(index.url).context["browse"].total == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"year_start": "2020", "year_end": "2019"}, "year_end"),
        ({"status": "concluded", "year_end": ""}, "year_end"),
        ({"year_start": "2999"}, "year_start"),
        ({"territories": []}, "territories"),
        ({"contact_email": "not-an-email"}, "contact_email"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_proposals_are_refused_with_a_message(
    client, index, make_user, overrides, field
):
    client.force_login(make_user())

    response = client.post(index.url + "proponi/", _proposal(**overrides))

    assert response.status_code == HTTPStatus.OK
    assert field in response.context["form"].errors
    assert not GoodPracticePage.objects.exists()


def test_proposer_is_emailed_when_published(
    client, index, make_user, django_capture_on_commit_callbacks
):
    proposer = make_user()
    reviewer = make_user(
        email="revisione@example.org", is_superuser=True, is_staff=True
    )
    client.force_login(proposer)
    client.post(index.url + "proponi/", _proposal())
    page = GoodPracticePage.objects.get()
    mail.outbox.clear()

    state = WorkflowState.objects.get(object_id=str(page.pk))
    with django_capture_on_commit_callbacks(execute=True):
        state.current_task_state.task.specific.on_action(
            state.current_task_state, reviewer, "approve"
        )

    page.refresh_from_db()
    assert page.live
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [proposer.email]
    assert "pubblicata" in mail.outbox[0].subject


def test_proposer_is_emailed_when_sent_back(
    client, index, make_user, django_capture_on_commit_callbacks
):
    proposer = make_user()
    reviewer = make_user(
        email="revisione@example.org", is_superuser=True, is_staff=True
    )
    client.force_login(proposer)
    client.post(index.url + "proponi/", _proposal())
    page = GoodPracticePage.objects.get()
    mail.outbox.clear()

    state = WorkflowState.objects.get(object_id=str(page.pk))
    with django_capture_on_commit_callbacks(execute=True):
        state.current_task_state.task.specific.on_action(
            state.current_task_state,
            reviewer,
            "reject",
            comment="Mancano i risultati.",
        )

    page.refresh_from_db()
    assert not page.live
    assert len(mail.outbox) == 1
    assert "Mancano i risultati." in mail.outbox[0].body


def test_editorial_groups_exist_with_their_rights(index):
    from django.contrib.auth.models import Group

    redazione = Group.objects.get(name="Redazione")
    revisione = Group.objects.get(name="Revisione")
    assert not redazione.page_permissions.filter(permission__codename="publish_page")
    assert revisione.page_permissions.filter(permission__codename="publish_page")
