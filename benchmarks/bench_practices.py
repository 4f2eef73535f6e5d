"""The good-practice index (unfiltered and with two facets) and a practice page,
with 10,000 practices in the database: requests/s, p50 and p99 through gunicorn,
and SQL queries per request.

Target (issue "Content"): the index issues the same number of queries (at most 15)
whatever the number of practices.
"""

import os
import subprocess
import sys

from common import (
    ROOT,
    bench_environment,
    emit,
    free_port,
    load,
    prepare_database,
    wait_for_port,
)

PRACTICES = 10_000


def add_practices(env: dict[str, str]) -> dict[str, str]:
    """Insert PRACTICES practices under the demo index; return the paths to hit."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test import override_settings

    from portal.practices.models import GoodPracticePage, PracticeIndexPage
    from portal.taxonomy.models import Territory, Topic

    index = PracticeIndexPage.objects.get(locale__language_code="it")
    topics = list(Topic.objects.filter(locale=index.locale))
    provinces = list(Territory.objects.filter(kind="province"))
    existing = index.numchild
    no_indexing = override_settings(
        WAGTAILSEARCH_BACKENDS={
            "default": {
                "BACKEND": "wagtail.search.backends.database",
                "AUTO_UPDATE": False,
            }
        },
        WAGTAIL_REFERENCE_INDEX_ENABLED=False,
    )
    with no_indexing, transaction.atomic():
        for number in range(PRACTICES - existing):
            page = GoodPracticePage(
                title=f"Pratica generata {number}",
                slug=f"pratica-generata-{number}",
                summary="Pratica generata per il benchmark",
                description="<p>Descrizione.</p>",
                year_start=2005 + number % 18,
                year_end=None if number % 3 else 2024,
                status="ongoing" if number % 3 else "concluded",
                evidence_level=("control_group", "monitored", "described")[number % 3],
                depth=index.depth + 1,
                path=GoodPracticePage._get_path(
                    index.path, index.depth + 1, existing + number + 1
                ),
                url_path=f"{index.url_path}pratica-generata-{number}/",
                locale_id=index.locale_id,
                live=True,
            )
            page.save(clean=False)
            page.topics.set([topics[number % len(topics)]])
            page.territories.set([provinces[number % len(provinces)]])
            page.save(clean=False)
        PracticeIndexPage.objects.filter(pk=index.pk).update(numchild=PRACTICES)
    connection.close()
    first = GoodPracticePage.objects.child_of(index).order_by("pk").first()
    return {
        "index": index.url,
        "index, 2 facets": f"{index.url}?region=15&topic={topics[0].slug}",
        "practice page": first.url,
    }


def count_queries(paths: dict[str, str]) -> None:
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    for case, path in paths.items():
        assert client.get(path).status_code == 200
        queries: list[str] = []

        def count(execute, sql, *args, log=queries):
            log.append(sql)
            return execute(sql, *args)

        with connection.execute_wrapper(count):
            client.get(path)
        emit("practices", case, "SQL queries", len(queries), "queries", "<= 15")


def serve(env: dict[str, str], paths: dict[str, str]) -> None:
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for_port(port)
        for case, path in paths.items():
            load(port, path, requests=20, concurrency=2)
            result = load(port, path, requests=300, concurrency=4)
            emit("practices/gunicorn", case, "throughput", result["rps"], "req/s")
            emit("practices/gunicorn", case, "latency p50", result["p50_ms"], "ms")
            emit("practices/gunicorn", case, "latency p99", result["p99_ms"], "ms")
            if result["errors"]:
                emit(
                    "practices/gunicorn",
                    case,
                    "errors",
                    result["errors"],
                    "requests",
                    "0",
                )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    environment = bench_environment()
    prepare_database(environment)
    targets = add_practices(environment)
    count_queries(targets)
    serve(environment, targets)
