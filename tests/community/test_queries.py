"""List pages take the same number of queries whatever the size of the list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community import services
from tests.community.factories import (
    add_member,
    bulk_replies,
    bulk_threads,
    make_group,
    make_thread,
)

pytestmark = pytest.mark.django_db

# Includes the two queries that load a signed-in user's permissions (their own
# and their groups'), once per request.
MAX_QUERIES = 14


def count_queries(client, url) -> int:
    client.get(url)  # first visit creates the read marker
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("visitor", ["anonymous", "member", "moderator"])
def test_thread_page_queries_do_not_grow_with_replies(
    client, make_user, tree, django_assert_max_num_queries, visitor
):
    author = make_user("autore@example.org")
    group = make_group()
    add_member(group, author, role="moderator" if visitor == "moderator" else "member")
    services.profile_get_or_create(user=author)
    small = make_thread(group, author, title="Piccola")
    large = make_thread(group, author, title="Grande")
    others = [make_user(f"u{i}@example.org") for i in range(5)]
    bulk_replies(small, others, 10)
    bulk_replies(large, others, 1000)
    if visitor != "anonymous":
        client.force_login(author)

    small_count = count_queries(client, small.get_absolute_url())
    large_count = count_queries(client, large.get_absolute_url())
    last_page = count_queries(client, large.get_absolute_url() + "?page=last")

    assert small_count == large_count == last_page
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(large.get_absolute_url() + "?page=20")


@pytest.mark.parametrize("visitor", ["anonymous", "member"])
def test_group_page_queries_do_not_grow_with_threads(
    client, make_user, tree, django_assert_max_num_queries, visitor
):
    author = make_user("autore@example.org")
    small = make_group()
    large = make_group()
    for group in (small, large):
        add_member(group, author)
    bulk_threads(small, author, 10)
    bulk_threads(large, author, 1000)
    if visitor == "member":
        client.force_login(author)

    small_count = count_queries(client, small.get_absolute_url())
    large_count = count_queries(client, large.get_absolute_url())

    assert small_count == large_count
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(large.get_absolute_url() + "?page=30")


def test_group_list_queries_do_not_grow_with_groups(
    client, make_user, tree, django_assert_max_num_queries
):
    user = make_user()
    client.force_login(user)
    for _ in range(3):
        add_member(make_group(), user)
    few = count_queries(client, "/en/community/")
    for _ in range(30):
        add_member(make_group(), user)

    assert count_queries(client, "/en/community/") == few
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get("/en/community/")


def test_thread_page_queries_do_not_grow_with_authors_and_administrations(
    client, make_user, tree
):
    """Each post shows its author's administration, @mentions become links and
    quotes name their author: still a fixed number of queries per page."""
    from portal.accounts.models import Membership, Organisation

    group = make_group()
    opener = make_user("apre@example.org")
    add_member(group, opener)
    small = make_thread(group, opener, title="Piccola")
    large = make_thread(group, opener, title="Grande")

    def authors(prefix: str, n: int) -> list:
        people = []
        for i in range(n):
            user = make_user(f"{prefix}{i}@example.org", first_name=f"N{i}")
            add_member(group, user)
            services.profile_get_or_create(user=user)
            organisation = Organisation.objects.create(
                name=f"Comune {prefix}{i}",
                kind="comune",
                codice_ipa=f"c_{prefix}{i}",
                status=Organisation.Status.APPROVED,
            )
            Membership.objects.create(organisation=organisation, user=user)
            people.append(user)
        return people

    for thread, people in ((small, authors("a", 2)), (large, authors("b", 15))):
        quoted = thread.posts.get()
        for user in people:
            handle = user.community_profile.handle
            services.post_create(
                author=user, thread=thread, body=f"Ciao @{handle}", quote=quoted
            )

    small_count = count_queries(client, small.get_absolute_url())
    large_count = count_queries(client, large.get_absolute_url())

    assert small_count == large_count
    page = client.get(large.get_absolute_url()).content.decode()
    assert page.count('data-testid="post-organisation"') == 15
    assert page.count('class="mention"') == 15
