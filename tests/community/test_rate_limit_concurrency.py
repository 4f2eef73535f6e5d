"""Twenty replies sent at once by one user: exactly the limit is accepted
(PostgreSQL only; SQLite serialises writers, so it cannot show a race)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from community import services
from community.models import Post
from tests.community.factories import add_member, make_group

REQUESTS = 20
LIMIT = 10

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="true concurrent writers need PostgreSQL (SQLite serialises writes)",
    ),
]


def test_parallel_replies_accept_exactly_the_limit(make_user, settings):
    # A day-long window: the 20 requests cannot straddle a window boundary.
    settings.COMMUNITY_RATE_LIMIT_POSTS = LIMIT
    settings.COMMUNITY_RATE_LIMIT_WINDOW = 24 * 60 * 60
    owner = make_user("owner@example.org")
    writer = make_user("writer@example.org")
    group = make_group()
    add_member(group, owner)
    add_member(group, writer)
    thread = services.thread_create(author=owner, group=group, title="t", body="via")
    barrier = threading.Barrier(REQUESTS)
    accepted: list[int] = []
    refused: list[str] = []
    errors: list[BaseException] = []

    def reply(number: int) -> None:
        try:
            barrier.wait()
            post = services.post_create(
                author=writer, thread=thread, body=f"risposta {number}"
            )
            accepted.append(post.pk)
        except ValidationError as error:
            refused.append(error.code)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=reply, args=(n,)) for n in range(REQUESTS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    assert len(accepted) == LIMIT
    assert refused == ["rate_limited"] * (REQUESTS - LIMIT)
    assert Post.objects.filter(author=writer).count() == LIMIT
    thread.refresh_from_db()
    assert thread.reply_count == LIMIT
