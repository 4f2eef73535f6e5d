"""Limits on proposals: a few waiting for the editors, a few a day per user."""

from http import HTTPStatus

import pytest
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import WorkflowState

from portal.practices.models import GoodPracticePage
from portal.practices.services import editorial_workflow_ensure
from tests.practices import factories
from tests.practices.test_propose import _proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(tree):
    index = factories.practice_index(tree.home)
    editorial_workflow_ensure(index_page=index)
    return index


def _expected(msgid: str, count: int, language: str) -> str:
    with translation.override(language):
        return gettext(msgid) % {"count": count}


PENDING = (
    "You already have %(count)s proposals waiting for the editorial team, the most "
    "allowed. You can send a new one when they have been reviewed."
)
DAILY = (
    "You have already sent %(count)s proposals today, the most allowed. Please try "
    "again tomorrow."
)


def test_past_five_pending_proposals_the_form_says_why_and_keeps_the_text(
    client, index, make_user
):
    client.force_login(make_user())
    for number in range(5):
        response = client.post(index.url + "proponi/", _proposal(title=f"P {number}"))
        assert response.status_code == HTTPStatus.FOUND

    response = client.post(
        index.url + "proponi/", _proposal(title="Sesta proposta da non perdere")
    )

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    language = index.locale.language_code
    expected = _expected(PENDING, 5, language)
    assert response.context["form"].non_field_errors() == [expected]
    page = response.content.decode()
    assert 'value="Sesta proposta da non perdere"' in page
    assert GoodPracticePage.objects.count() == 5


def test_sent_back_proposals_no_longer_count_as_pending(
    client, index, make_user, settings
):
    settings.PRACTICES_MAX_PENDING_PROPOSALS = 1
    proposer = make_user()
    reviewer = make_user(
        email="revisione@example.org", is_superuser=True, is_staff=True
    )
    client.force_login(proposer)
    client.post(index.url + "proponi/", _proposal(title="Prima"))
    refused = client.post(index.url + "proponi/", _proposal(title="Seconda"))
    assert refused.status_code == HTTPStatus.TOO_MANY_REQUESTS

    state = WorkflowState.objects.get()
    state.current_task_state.task.specific.on_action(
        state.current_task_state, reviewer, "reject", comment="Da rivedere."
    )
    response = client.post(index.url + "proponi/", _proposal(title="Seconda"))

    assert response.status_code == HTTPStatus.FOUND
    assert GoodPracticePage.objects.count() == 2


def test_daily_cap_per_user(client, index, make_user, settings):
    settings.PRACTICES_MAX_PENDING_PROPOSALS = 0
    settings.PRACTICES_MAX_PROPOSALS_PER_DAY = 2
    client.force_login(make_user())
    for number in range(2):
        client.post(index.url + "proponi/", _proposal(title=f"P {number}"))

    response = client.post(index.url + "proponi/", _proposal(title="Terza"))

    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    expected = _expected(DAILY, 2, index.locale.language_code)
    assert response.context["form"].non_field_errors() == [expected]
    assert GoodPracticePage.objects.count() == 2
    client.force_login(make_user(email="altra@example.org"))
    other = client.post(index.url + "proponi/", _proposal(title="Terza"))
    assert other.status_code == HTTPStatus.FOUND
