"""The public archive of sent issues, its feed and the issue pages."""

from http import HTTPStatus

import pytest

from portal.newsletters import services
from portal.newsletters.models import Dispatch

from .factories import issue_with_pulled_pages, make_issue, translate_issue

pytestmark = pytest.mark.django_db


def _mark_sent(issue):
    services.issue_send(issue=issue, enqueue=False)


def test_archive_lists_sent_issues_only(client, archive):
    sent = make_issue(archive, slug="uno", title="Numero uno")
    make_issue(archive, slug="due", title="Numero due non inviato")
    make_issue(archive, slug="tre", title="Bozza", publish=False)
    _mark_sent(sent)
    response = client.get(archive.url)
    assert response.status_code == HTTPStatus.OK
    text = response.content.decode()
    assert "Numero uno" in text
    assert "Numero due non inviato" not in text and "Bozza" not in text
    assert 'data-testid="subscribe-form"' in text
    assert "Iscriviti alla newsletter" in text


def test_feed_lists_sent_issues(client, archive):
    sent = make_issue(archive, slug="uno", title="Numero uno")
    make_issue(archive, slug="due", title="Numero due non inviato")
    _mark_sent(sent)
    response = client.get(archive.url + "feed/")
    assert response.status_code == HTTPStatus.OK
    feed = response.content.decode()
    assert feed.count("<item>") == 1
    assert "<title>Numero uno</title>" in feed


def test_unpublished_issue_leaves_archive_and_feed(client, archive):
    sent = make_issue(archive, slug="uno", title="Numero uno")
    _mark_sent(sent)
    sent.unpublish()
    assert "Numero uno" not in client.get(archive.url).content.decode()
    assert "Numero uno" not in client.get(archive.url + "feed/").content.decode()


def test_english_archive_shows_the_english_issue(client, tree, archive):
    from portal.services import page_translate

    archive_en = page_translate(
        page=archive,
        language_code="en",
        strings={"Newsletter": "Newsletter", "Lavoro Informa": "Lavoro Informa"},
    )
    issue = issue_with_pulled_pages(tree.home, archive)
    english = translate_issue(issue)
    _mark_sent(issue)
    response = client.get(archive_en.url)
    text = response.content.decode()
    assert "Lavoro Informa no. 1" in text and "Subscribe to the newsletter" in text
    page = client.get(english.url).content.decode()
    assert "Highlights" in page and "Worth reading" in page


def test_issue_page_shows_pulled_pages_but_not_unpublished_ones(client, tree, archive):
    issue = issue_with_pulled_pages(tree.home, archive)
    practice = issue.body[2].value["page"]
    text = client.get(issue.url).content.decode()
    assert "Collocamento mirato ICF" in text and "Da leggere" in text
    practice.unpublish()
    issue.refresh_from_db()
    text = client.get(issue.url).content.decode()
    assert "Collocamento mirato ICF" not in text


@pytest.mark.parametrize("count", [2, 20])
def test_archive_query_count_does_not_grow(
    client, archive, count, django_assert_max_num_queries
):
    for number in range(count):
        issue = make_issue(archive, slug=f"n{number}", title=f"Numero {number}")
        Dispatch.objects.create(
            translation_key=issue.translation_key, issue=issue, status="done"
        )
    client.get(archive.url)  # warm the navigation cache
    with django_assert_max_num_queries(13):
        response = client.get(archive.url)
    assert response.status_code == HTTPStatus.OK
