"""Small builders for community tests (no factory library: plain functions)."""

from itertools import count

from django.utils import timezone

from community import services
from community.models import Group, GroupMembership, Post, Thread
from community.sanitize import sanitize_post

_numbers = count(1)


def make_group(visibility=Group.Visibility.OPEN, **fields) -> Group:
    number = next(_numbers)
    fields.setdefault("name", f"Gruppo {number}")
    fields.setdefault("slug", f"gruppo-{number}")
    return Group.objects.create(visibility=visibility, **fields)


def add_member(group, user, role="member", status="active") -> GroupMembership:
    return GroupMembership.objects.create(
        group=group, user=user, role=role, status=status
    )


def make_thread(group, author, title="Una discussione", body="Primo messaggio"):
    return services.thread_create(author=author, group=group, title=title, body=body)


def bulk_threads(group, author, n: int) -> None:
    now = timezone.now()
    threads = Thread.objects.bulk_create(
        Thread(
            group=group,
            title=f"Discussione {i}",
            author=author,
            last_post_author=author,
            last_post_at=now,
        )
        for i in range(n)
    )
    Post.objects.bulk_create(
        Post(thread=thread, author=author, body="<p>Testo</p>") for thread in threads
    )


def bulk_replies(thread, authors, n: int) -> None:
    Post.objects.bulk_create(
        Post(
            thread=thread,
            author=authors[i % len(authors)],
            body=sanitize_post(f"Risposta numero {i} https://example.org/{i}"),
        )
        for i in range(n)
    )
    Thread.objects.filter(pk=thread.pk).update(reply_count=n)
