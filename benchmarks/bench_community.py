"""Community: a thread page with 1,000 replies and a group page with 1,000 threads.

In-process render time (CPU, p50) and SQL queries per page, for an anonymous
visitor and a logged-in member. Target (issue "Community"): at most 12 queries,
the same as with 10 rows.
"""

import os
import sys
import time

from common import ROOT, bench_environment, emit, percentile, prepare_database

RENDERS = 50
ROWS = 1000


def build():
    from django.utils import timezone

    from community import services
    from community.models import Group, GroupMembership, Post, Thread
    from portal.accounts.models import User

    user, _ = User.objects.get_or_create(
        email="bench@esploralavoro.example", defaults={"first_name": "Bench"}
    )
    group, created = Group.objects.get_or_create(
        slug="bench-1000", defaults={"name": "Benchmark", "visibility": "open"}
    )
    GroupMembership.objects.get_or_create(group=group, user=user)
    services.profile_get_or_create(user=user)
    if created:
        now = timezone.now()
        threads = Thread.objects.bulk_create(
            Thread(
                group=group,
                title=f"Discussione {i}",
                author=user,
                last_post_author=user,
                last_post_at=now,
            )
            for i in range(ROWS)
        )
        Post.objects.bulk_create(
            Post(thread=t, author=user, body="<p>Testo</p>") for t in threads
        )
        big = threads[0]
        Post.objects.bulk_create(
            Post(thread=big, author=user, body=f"<p>Risposta {i}</p>")
            for i in range(ROWS)
        )
        Thread.objects.filter(pk=big.pk).update(reply_count=ROWS)
    big = Thread.objects.filter(group=group).order_by("id").first()
    return user, group, big


def measure(client, case, path):
    from django.db import connection

    assert client.get(path).status_code == 200
    queries: list[str] = []

    def count(execute, sql, *args, log=queries):
        log.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        client.get(path)
    timings = []
    for _ in range(RENDERS):
        start = time.process_time()
        client.get(path)
        timings.append((time.process_time() - start) * 1000)
    emit("community", case, "CPU per render p50", percentile(timings, 0.5), "ms")
    emit("community", case, "SQL queries", len(queries), "queries", "<= 12")


def main(env):
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    user, group, big = build()
    anonymous = Client(HTTP_HOST="127.0.0.1")
    member = Client(HTTP_HOST="127.0.0.1")
    member.force_login(user)
    thread_url = big.get_absolute_url()
    for who, client in (("anonymous", anonymous), ("member", member)):
        measure(client, f"thread 1,000 replies, page 1 ({who})", thread_url)
        measure(
            client, f"thread 1,000 replies, page 50 ({who})", thread_url + "?page=50"
        )
        measure(client, f"group 1,000 threads ({who})", group.get_absolute_url())


if __name__ == "__main__":
    environment = bench_environment()
    prepare_database(environment)
    main(environment)
