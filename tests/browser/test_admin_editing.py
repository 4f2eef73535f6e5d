"""An editor in a real browser: approves a proposal with one click on
"Approva e pubblica", and sees the page in the preview panel."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client

from portal.practices.models import GoodPracticePage
from portal.practices.services import editorial_workflow_ensure, practice_propose
from portal.taxonomy.models import Territory
from tests.conftest import build_tree, existing_tree
from tests.practices import factories
from tests.practices.test_approval import PROPOSAL

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def site(live_server, make_user):
    tree = existing_tree() or build_tree()
    index = factories.practice_index(tree.home)
    editorial_workflow_ensure(index_page=index)
    proposer = make_user("proponente@example.org")
    data = {**PROPOSAL, "territories": Territory.objects.filter(code="063")}
    proposal = practice_propose(index_page=index, user=proposer, data=data)
    editor = make_user("revisione@example.org", first_name="Rita")
    editor.groups.add(Group.objects.get(name="Revisione"))
    mail.outbox.clear()
    return live_server.url, proposal, editor


def _log_in(page, base_url, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )


def _watch(page) -> dict[str, list]:
    seen: dict[str, list] = {"errors": [], "statuses": []}
    page.on(
        "console",
        lambda message: (
            seen["errors"].append(message.text) if message.type == "error" else None
        ),
    )
    page.on(
        "response",
        lambda response: seen["statuses"].append((response.status, response.url)),
    )
    return seen


def test_one_click_on_approve_and_publish(page, site):
    base_url, proposal, editor = site
    _log_in(page, base_url, editor)
    seen = _watch(page)
    page.goto(f"{base_url}/admin/pages/{proposal.pk}/edit/")

    approve = page.get_by_role("button", name="Approva e pubblica")
    if not approve.is_visible():
        # The workflow actions sit in the footer's drop-down.
        page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    with page.expect_navigation():
        approve.click()

    assert not [status for status, _url in seen["statuses"] if status >= 500]
    published = GoodPracticePage.objects.get(pk=proposal.pk)
    assert published.live
    assert not published.has_unpublished_changes
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["proponente@example.org"]
    page.goto(base_url + published.url)
    assert page.locator("h1").inner_text().strip() == published.title


def test_the_preview_panel_shows_the_page(page, site):
    base_url, proposal, editor = site
    _log_in(page, base_url, editor)
    seen = _watch(page)
    page.goto(f"{base_url}/admin/pages/{proposal.pk}/edit/")

    page.get_by_role("button", name="Attiva/disattiva anteprima").click()
    frame = page.frame_locator("iframe.w-preview__iframe").last

    heading = frame.locator("h1")
    heading.wait_for()
    assert heading.inner_text().strip() == proposal.title
    assert not [error for error in seen["errors"] if "frame-ancestors" in error]
    preview = [url for status, url in seen["statuses"] if "/preview/" in url]
    assert preview
