"""Pages as deployed: gunicorn (4 sync workers) with the production settings on
the demo content, each page uncached (page cache off) and cached (on), beside the
Django floor (benchmarks/floor_app.py: one view returning 20 KB, same gunicorn).

Printed per page and language: requests/s, p50 and p99, CPU ms per request of the
gunicorn workers (from /proc), SQL queries of one uncached render, and the
cached/floor ratio. Load comes from ``wrk`` when it is installed (apt-get install
wrk), else from the Python loader of common.py (slower: the figures then say so).

Targets (issue "Speed as deployed"): cached >= 50 % of the floor's requests/s;
queries <= 15 per page; uncached CPU per request at most half of bakerydemo's
equivalent page on the same machine, measured in the same run.

bakerydemo (Wagtail's reference site) is run beside the portal when a checkout of
it is given with ``--bakerydemo PATH`` or ``BAKERYDEMO_DIR``. None of its code
is in this repository; make the checkout yourself, at the commit these figures
were taken with (its requirements name Wagtail 7.4 / Django 6.0, but it runs
unchanged on the Wagtail and Django of this portal, which are what it is given)::

    git clone https://github.com/wagtail/bakerydemo var/bench/bakerydemo
    git -C var/bench/bakerydemo checkout 8e2b625755d8942412d5b7627b146a795933b8b2
    BAKERYDEMO_DIR=var/bench/bakerydemo .venv/bin/python benchmarks/bench_pages.py

The benchmark then makes it a virtualenv of its own in ``var/bench/`` (this
portal's Django, Wagtail and gunicorn versions plus bakerydemo's other
requirements, from the package index), its own SQLite database there filled by
its ``load_initial_data``, collects its static files, and serves it with its
production settings (DEBUG off, no Redis, so Django's cache is its local-memory
default; it has no page cache) under the same gunicorn settings as the portal.
Its home, blog index, blog post and search are compared with the portal's home,
practice list, practice detail and search: CPU ms per request of the workers
(process CPU time, not wall time) and the ratio. Both servers run at once and
are loaded in turns (theirs, then ours in each language; ``BENCH_ROUNDS`` rounds
of ``BENCH_TURN_SECONDS``), and the median of the turns' ratios is printed: on a
shared machine the speed of a core changes from minute to minute, and pages
measured minutes apart were compared with a different machine.

``--pages "home,practice list"`` limits the portal's pages (for profiling runs).
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import (
    ROOT,
    bench_environment,
    emit,
    free_port,
    load,
    prepare_database,
    wait_for_port,
)

WORKERS = 4
DURATION = int(os.environ.get("BENCH_SECONDS", "8"))
# Beside bakerydemo: turns of this many seconds, this many rounds.
TURN = int(os.environ.get("BENCH_TURN_SECONDS", "4"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
HOST = "esplora.test"
BENCH_DIR = ROOT / "var" / "bench"
# bakerydemo's own requirements besides Django, Wagtail and the server, which
# are this portal's versions (read from this virtualenv) so both run the same.
BAKERYDEMO_EXTRA = (
    "wagtail-font-awesome-svg>=1,<2",
    "django-debug-toolbar>=4.2,<5",
    "django-extensions>=4.1,<5",
    "django-csp>=3.8,<4",
    "dj-database-url>=3.1.0,<4",
    "python-dotenv>=1.2.1,<2",
)
# The portal's page each bakerydemo page stands beside.
BAKERYDEMO_EQUIVALENTS = {
    "home": "home",
    "blog index": "practice list",
    "blog post": "practice detail",
    "search": "search",
}


def production_environment(env: dict[str, str]) -> dict[str, str]:
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "DJANGO_SECRET_KEY": "bench-" + "k" * 60,
        "PORTAL_BASE_URL": f"https://{HOST}",
        "DJANGO_ALLOWED_HOSTS": f"{HOST},127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "PORTAL_TRUSTED_PROXY_COUNT": "0",
    }


def with_redis(env: dict[str, str]) -> dict[str, str]:
    """Production keeps its caches in Redis: use the local one when it answers
    (an emptied database of its own), else the file cache, and say which."""
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        client.flushdb()
    except Exception:  # noqa: BLE001 - no Redis here: the embedded default
        emit("pages", "caches", "file cache (no Redis answered)", 0, "")
        return env
    emit("pages", "caches", f"Redis {url}", 0, "")
    return {**env, "REDIS_URL": url}


def pages(env: dict[str, str]) -> dict[str, str]:
    """The addresses of each page type in both languages, read from the demo."""
    script = r"""
import json
from wagtail.models import Page
from community.models import Thread
from kit_downloads.models import KitProductPage
from portal.practices.models import GoodPracticePage, PracticeIndexPage

def first(model, code):
    pages = model.objects.live().filter(locale__language_code=code)
    page = pages.order_by("path").first()
    return page.url if page else None

out = {}
for code, prefix in (("it", ""), ("en", " (en)")):
    out["home" + prefix] = "/" if code == "it" else "/en/"
    out["practice list" + prefix] = first(PracticeIndexPage, code)
    out["practice detail" + prefix] = first(GoodPracticePage, code)
    out["kit product" + prefix] = first(KitProductPage, code)
out["search"] = "/cerca/?q=osservatorio"
out["search (en)"] = "/en/search/?q=observatory"
thread = Thread.objects.filter(group__visibility="open").order_by("pk").first()
out["thread"] = thread.get_absolute_url() if thread else None
print(json.dumps({k: v for k, v in out.items() if v}))
"""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def queries(env: dict[str, str], paths: dict[str, str]) -> None:
    script = r"""
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.test.utils import override_settings
paths = PATHS
client = Client(HTTP_HOST="esplora.test", HTTP_X_FORWARDED_PROTO="https")
out = {}
with override_settings(PAGE_CACHE_ENABLED=False):
    for case, path in paths.items():
        client.get(path)
        with CaptureQueriesContext(connection) as ctx:
            status = client.get(path).status_code
        out[case] = [status, len(ctx.captured_queries)]
print(json.dumps(out))
""".replace("PATHS", repr(paths))
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    for case, (status, count) in json.loads(
        result.stdout.strip().splitlines()[-1]
    ).items():
        emit("pages", case, "SQL queries (uncached)", count, "queries", "<= 15")
        if status != 200:
            emit("pages", case, "status", status, "", "200")


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        found += [int(child) for child in children]
    return found


def cpu_seconds(master: int) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in [master, *_children(master)]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def run_load(port: int, path: str, duration: int = DURATION) -> dict[str, float]:
    wrk = shutil.which("wrk")
    if wrk is None:
        result = load(port, path, requests=1200, concurrency=8)
        result["requests"] = 1200 - result["errors"]
        return result
    output = subprocess.run(
        [
            wrk,
            "--latency",
            "-t2",
            "-c8",
            f"-d{duration}s",
            "-H",
            f"Host: {HOST}",
            "-H",
            "X-Forwarded-Proto: https",
            f"http://127.0.0.1:{port}{path}",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout

    def latency(label: str) -> float:
        value, unit = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", output).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    total = int(re.search(r"(\d+) requests in", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "errors": int(errors.group(1)) if errors else 0,
        "requests": total,
    }


def serve(app: str, env: dict[str, str], chdir: Path = ROOT, python=sys.executable):
    port = free_port()
    server = subprocess.Popen(
        [
            str(python),
            "-m",
            "gunicorn",
            app,
            "--chdir",
            str(chdir),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--graceful-timeout",
            "10",
            "--log-level",
            "warning",
        ],
        cwd=chdir,
        env=env,
    )
    wait_for_port(port)
    return server, port


def stop(server) -> None:
    server.terminate()  # graceful: requests wrk left in flight finish first
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def measure(server, port: int, path: str, duration: int = DURATION) -> dict[str, float]:
    load(port, path, requests=40, concurrency=2)  # warm the workers and the cache
    before = cpu_seconds(server.pid)
    result = run_load(port, path, duration)
    used = cpu_seconds(server.pid) - before
    result["cpu_ms"] = used * 1000 / max(result["requests"], 1)
    return result


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def bakerydemo_environment(checkout: Path) -> tuple[dict[str, str], Path]:
    """A virtualenv and a database of bakerydemo's own in var/bench/, made once;
    returns its environment (production settings) and its Python."""
    venv = BENCH_DIR / "bakerydemo-venv"
    python = venv / "bin" / "python"
    database = BENCH_DIR / "bakerydemo.sqlite3"
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if not python.exists():
        base = getattr(sys, "_base_executable", sys.executable)
        subprocess.run([base, "-m", "venv", str(venv)], check=True)
        wanted = [
            f"Django=={_version('django')}",
            f"wagtail=={_version('wagtail')}",
            f"gunicorn=={_version('gunicorn')}",
            f"whitenoise=={_version('whitenoise')}",
            *BAKERYDEMO_EXTRA,
        ]
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", *wanted],
            check=True,
            capture_output=True,
        )
    skipped = ("DJANGO_", "DATABASE_", "REDIS_", "ELASTICSEARCH_", "PORTAL_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(skipped)}
    env.update(
        DJANGO_SETTINGS_MODULE="bakerydemo.settings.production",
        DJANGO_SECRET_KEY="bench-" + "b" * 60,
        DJANGO_ALLOWED_HOSTS=f"{HOST},127.0.0.1",
        DJANGO_LOG_LEVEL="WARNING",
        SECURE_SSL_REDIRECT="false",  # as the portal's run: no TLS on loopback
        # Through DATABASE_URL its settings keep connections (conn_max_age), as
        # the portal's production settings do.
        DATABASE_URL=f"sqlite:///{database}",
    )

    def manage(*args: str) -> str:
        return subprocess.run(
            [str(python), "manage.py", *args],
            cwd=checkout,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    if not database.exists():
        try:
            manage("migrate", "--noinput", "-v0")
            manage("load_initial_data")
        except subprocess.CalledProcessError:
            database.unlink(missing_ok=True)
            raise
    manage("collectstatic", "--noinput", "-v0")
    return env, python


def bakerydemo_pages(checkout: Path, env: dict[str, str], python: Path):
    """bakerydemo's pages (address, SQL queries of one render, status)."""
    script = r"""
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from bakerydemo.blog.models import BlogIndexPage, BlogPage

paths = {
    "home": "/",
    "blog index": BlogIndexPage.objects.live().order_by("path").first().url,
    "blog post": BlogPage.objects.live().order_by("path").first().url,
    "search": "/search/?q=bread",
}
client = Client(HTTP_HOST="BENCH_HOST", HTTP_X_FORWARDED_PROTO="https")
out = {}
for case, path in paths.items():
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(path).status_code
    out[case] = [path, status, len(ctx.captured_queries)]
print(json.dumps(out))
""".replace("BENCH_HOST", HOST)
    result = subprocess.run(
        [str(python), "manage.py", "shell", "-c", script],
        cwd=checkout,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_bakerydemo(
    checkout: Path, served: dict[str, str], paths: dict[str, str]
) -> None:
    """bakerydemo's pages beside the portal's uncached equivalents, measured in
    turns (theirs, then ours in each language, ROUNDS times) while both servers
    run, so that both meet the same moments of a shared machine; the ratio of
    each round is kept and their median printed."""
    env, python = bakerydemo_environment(checkout)
    found = bakerydemo_pages(checkout, env, python)
    emit("pages/bakerydemo", "versions", f"Wagtail {_version('wagtail')}", 0, "")
    theirs, their_port = serve("bakerydemo.wsgi", env, chdir=checkout, python=python)
    ours, our_port = serve("portal.wsgi", {**served, "PORTAL_PAGE_CACHE": "false"})
    try:
        for their_case, mine in BAKERYDEMO_EQUIVALENTS.items():
            cases = [c for c in (mine, f"{mine} (en)") if c in paths]
            if not cases:
                continue
            path, status, count = found[their_case]
            emit("pages/bakerydemo", their_case, "SQL queries", count, "queries")
            if status != 200:
                emit("pages/bakerydemo", their_case, "status", status, "", "200")
            rounds: list[dict[str, dict[str, float]]] = []
            for _ in range(ROUNDS):
                turn = {"theirs": measure(theirs, their_port, path, TURN)}
                for case in cases:
                    turn[case] = measure(ours, our_port, paths[case], TURN)
                rounds.append(turn)
            _compare(their_case, cases, rounds)
    finally:
        stop(theirs)
        stop(ours)


def _compare(their_case: str, cases: list[str], rounds: list[dict]) -> None:
    def median(values: list[float]) -> float:
        return statistics.median(values)

    their_cpu = median([turn["theirs"]["cpu_ms"] for turn in rounds])
    emit("pages/bakerydemo", their_case, "CPU per request", their_cpu, "ms")
    emit(
        "pages/bakerydemo",
        their_case,
        "throughput",
        median([turn["theirs"]["rps"] for turn in rounds]),
        "req/s",
    )
    for case in cases:
        label = f"{case} / bakerydemo {their_case}"
        ratios = [turn["theirs"]["cpu_ms"] / turn[case]["cpu_ms"] for turn in rounds]
        emit(
            "pages/vs bakerydemo",
            label,
            "CPU per request, portal",
            median([turn[case]["cpu_ms"] for turn in rounds]),
            "ms",
        )
        emit(
            "pages/vs bakerydemo",
            label,
            f"CPU ms, bakerydemo / portal (median of {len(rounds)} turns)",
            median(ratios),
            "x",
            ">= 2",
        )
        emit(
            "pages/vs bakerydemo",
            label,
            "CPU ratio of each turn",
            0,
            " ".join(f"{ratio:.2f}" for ratio in ratios),
        )
        emit(
            "pages/vs bakerydemo",
            label,
            "req/s, portal / bakerydemo",
            median([t[case]["rps"] / t["theirs"]["rps"] for t in rounds]),
            "x",
        )


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--bakerydemo",
        type=Path,
        default=os.environ.get("BAKERYDEMO_DIR") or None,
        help="a checkout of wagtail/bakerydemo to run beside the portal",
    )
    parser.add_argument("--pages", help="only these portal pages (comma-separated)")
    parser.add_argument(
        "--modes", default="uncached,cached", help="uncached, cached or both"
    )
    return parser.parse_args()


def main() -> None:
    options = arguments()
    env = production_environment(bench_environment())
    database = Path(env["DJANGO_VAR_DIR"]) / "db.sqlite3"
    if os.environ.get("BENCH_VAR_DIR") and database.exists():
        # A database left by an earlier run (BENCH_VAR_DIR): migrated, not refilled.
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    else:
        prepare_database(env)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    paths = pages(env)
    if options.pages:
        wanted = {name.strip() for name in options.pages.split(",")}
        paths = {case: path for case, path in paths.items() if case in wanted}
    queries(env, paths)

    floor, port = serve("floor_app:application", env, chdir=ROOT / "benchmarks")
    try:
        base = measure(floor, port, "/")
    finally:
        stop(floor)
    emit("pages/floor", "20 KB view", "throughput", base["rps"], "req/s")
    emit("pages/floor", "20 KB view", "CPU per request", base["cpu_ms"], "ms")

    figures: dict[str, dict[str, dict[str, float]]] = {}
    served = with_redis(env)
    wanted_modes = options.modes.split(",")
    modes = {"uncached": "false", "cached": "true"}
    modes = {m: on for m, on in modes.items() if m in wanted_modes}
    floors: dict[str, dict[str, float]] = {}
    for mode, enabled in modes.items():
        server, port = serve("portal.wsgi", {**served, "PORTAL_PAGE_CACHE": enabled})
        if mode == "cached":  # the floor again beside each cached page, in turns
            floor, floor_port = serve(
                "floor_app:application", env, chdir=ROOT / "benchmarks"
            )
            load(floor_port, "/", requests=400, concurrency=8)  # all workers up
        try:
            for case, path in paths.items():
                if mode == "cached":
                    floors[case] = measure(floor, floor_port, "/")
                figures.setdefault(case, {})[mode] = measure(server, port, path)
        finally:
            stop(server)
            if mode == "cached":
                stop(floor)
    for case, modes in figures.items():
        for mode, result in modes.items():
            name = f"pages/{mode}"
            target = ">= 50 % of floor" if mode == "cached" else ""
            emit(name, case, "throughput", result["rps"], "req/s", target)
            emit(name, case, "latency p50", result["p50_ms"], "ms")
            emit(name, case, "latency p99", result["p99_ms"], "ms")
            emit(name, case, "CPU per request", result["cpu_ms"], "ms")
            if result["errors"]:
                emit(name, case, "errors", result["errors"], "requests", "0")
        if "cached" not in modes:
            continue
        emit(
            "pages/cached",
            case,
            "floor measured just before, throughput",
            floors[case]["rps"],
            "req/s",
        )
        emit(
            "pages/cached",
            case,
            "cached / floor (floor just before)",
            100 * modes["cached"]["rps"] / floors[case]["rps"],
            "%",
            ">= 50",
        )
    if options.bakerydemo:
        run_bakerydemo(options.bakerydemo.resolve(), served, paths)
    if shutil.which("wrk") is None:
        emit("pages", "load generator", "python threads (install wrk)", 0, "")


if __name__ == "__main__":
    started = time.monotonic()
    main()
    emit("pages", "benchmark", "wall time", time.monotonic() - started, "s")
