"""Home page and a content page: in-process render time and SQL queries, then
requests/s, p50 and p99 served by gunicorn on a loopback port.

Targets (issue "Foundation"): under 15 ms in-process and at most 15 SQL queries per
page; about twice bakerydemo's 26-57 requests/s with gunicorn.
"""

import os
import subprocess
import sys
import time

from common import (
    ROOT,
    bench_environment,
    emit,
    free_port,
    load,
    percentile,
    prepare_database,
    wait_for_port,
)

PAGES = {"home": "/", "content page": "/buone-pratiche/", "home (en)": "/en/"}
RENDERS = 200


def in_process(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    for case, path in PAGES.items():
        assert client.get(path).status_code == 200  # warm the caches
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
        emit(
            "pages", case, "CPU per render p50", percentile(timings, 0.5), "ms", "< 15"
        )
        emit("pages", case, "SQL queries", len(queries), "queries", "<= 15")


def gunicorn(env: dict[str, str]) -> None:
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
        env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings.dev"},
    )
    try:
        wait_for_port(port)
        for case, path in PAGES.items():
            load(port, path, requests=40, concurrency=2)  # warm up
            result = load(port, path, requests=600, concurrency=4)
            emit("pages/gunicorn", case, "throughput", result["rps"], "req/s", ">= 60")
            emit("pages/gunicorn", case, "latency p50", result["p50_ms"], "ms")
            emit("pages/gunicorn", case, "latency p99", result["p99_ms"], "ms")
            if result["errors"]:
                emit(
                    "pages/gunicorn", case, "errors", result["errors"], "requests", "0"
                )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    environment = bench_environment()
    prepare_database(environment)
    gunicorn(environment)
    in_process(environment)
