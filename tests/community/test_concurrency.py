"""Twenty writers replying at the same time into one thread (PostgreSQL only)."""

import threading

import pytest
from django.db import connection, connections

from community import services
from community.models import Post, Thread, WatchLevel
from tests.community.factories import add_member, make_group

WRITERS = 20
REPLIES_EACH = 50

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="true concurrent writers need PostgreSQL (SQLite serialises writes)",
    ),
]


def test_concurrent_replies_keep_counters_exact(make_user, settings):
    settings.COMMUNITY_RATE_LIMIT_POSTS = 0  # 50 posts each within seconds
    owner = make_user("owner@example.org")
    group = make_group()
    add_member(group, owner)
    thread = services.thread_create(author=owner, group=group, title="t", body="via")
    services.watch_set(user=owner, thread=thread, level=WatchLevel.MUTED)
    writers = [make_user(f"writer{i}@example.org") for i in range(WRITERS)]
    for writer in writers:
        add_member(group, writer)
    barrier = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def write(user):
        try:
            barrier.wait()
            for number in range(REPLIES_EACH):
                services.post_create(
                    author=user, thread=thread, body=f"{user.email} {number}"
                )
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=write, args=(user,)) for user in writers]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    thread.refresh_from_db()
    replies = Post.objects.filter(thread=thread).exclude(author=owner)
    last = Post.objects.filter(thread=thread).order_by("-id").first()
    assert replies.count() == WRITERS * REPLIES_EACH
    assert thread.reply_count == WRITERS * REPLIES_EACH
    assert thread.last_post_id == last.pk
    assert thread.last_post_author_id == last.author_id
    assert thread.last_post_at == last.created_at
    assert Thread.objects.get(pk=thread.pk).reply_count == replies.count()
