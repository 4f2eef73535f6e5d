"""Search relevance: nDCG@5 and zero-result share of the relevance set
(search/relevance/queries.json) on the demo content, per backend and stemmer.

Loads the demo into a throwaway database (SQLite; with DATABASE_URL set, a
database of its own on that PostgreSQL server, dropped afterwards), then for
each stemmer (SEARCH_STEMMER "light" and "snowball") rebuilds the index and
asks every query as the /cerca/ page does (``search.selectors.site_search``,
anonymous visitor, page 1, no facets). When osmem-server is installed, the same
again on the Elasticsearch path, once (osmem imitates Elasticsearch in memory;
it is not a real cluster, so its figures say little about Elasticsearch's own
ranking). BENCH_RELEVANCE_ELASTIC=0 skips it. SQLite and PostgreSQL each run
in a process of their own (Django's settings are per process).

nDCG@5: gain 2^grade - 1 (grades 2 = the answer, 1 = useful), discount
log2(rank + 1); the ideal ranking is the judged pages in grade order, so a
query whose expected pages are not indexed at all scores 0.

Per-query results (top 5 returned, expected, score) are written to
$BENCH_VAR_DIR/relevance-report-<vendor>.json (or a temporary directory: its path is
printed on stderr), with the worst queries on stderr.

Targets (issue "Search that answers"): nDCG@5 >= 0.8 on both embedded
backends, zero-result share < 5 %, SQLite and PostgreSQL within 0.05.
"""

import json
import math
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from common import ROOT, bench_environment, emit, prepare_database

QUERIES_FILE = ROOT / "search" / "relevance" / "queries.json"
CUTOFF = 5
STEMMERS = ("light", "snowball")
OSMEM = "Elasticsearch path (osmem)"


def load_queries() -> list[dict]:
    return json.loads(QUERIES_FILE.read_text(encoding="utf-8"))["queries"]


def dcg(grades: list[int]) -> float:
    return sum(
        (2**grade - 1) / math.log2(rank + 2)
        for rank, grade in enumerate(grades[:CUTOFF])
    )


def ndcg(returned: list[str], expected: dict[str, int]) -> float:
    ideal = dcg(sorted(expected.values(), reverse=True))
    if not ideal:
        return 0.0
    seen, grades = set(), []
    for url in returned:
        grades.append(0 if url in seen else expected.get(url, 0))
        seen.add(url)
    return dcg(grades) / ideal


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("", "", parts.path, "", ""))


def run_queries(queries: list[dict]) -> list[dict]:
    from django.contrib.auth.models import AnonymousUser
    from django.http import QueryDict
    from django.utils import translation

    from search.selectors import site_search

    rows = []
    for item in queries:
        with translation.override(item["language"]):
            outcome = site_search(
                user=AnonymousUser(),
                query=item["query"],
                params=QueryDict(""),
                language=item["language"],
                page=1,
            )
        results = outcome.results
        hits = [path_of(hit.url) for hit in results.hits] if results else []
        rows.append(
            {
                "id": item["id"],
                "language": item["language"],
                "query": item["query"],
                "ndcg": ndcg(hits, item["expected"]),
                "total": results.total if results else 0,
                "partial": outcome.partial,
                "suggestion": outcome.suggestion,
                "top": hits[:CUTOFF],
                "expected": item["expected"],
            }
        )
    return rows


def summarise(label: str, stemmer: str, rows: list[dict], elapsed: float) -> dict:
    case = f"{label}, {stemmer} stemmer"
    figures = {}
    for language in ("all", "it", "en"):
        chosen = [r for r in rows if language == "all" or r["language"] == language]
        if not chosen:
            continue
        mean = sum(r["ndcg"] for r in chosen) / len(chosen)
        zero = 100 * sum(1 for r in chosen if not r["total"]) / len(chosen)
        figures[language] = mean
        suffix = "" if language == "all" else f" ({language}, {len(chosen)} queries)"
        emit(
            "relevance",
            case,
            f"nDCG@5{suffix}",
            f"{mean:.3f}",  # three decimals: emit() would round to two
            "",
            ">= 0.8" if language == "all" and label != OSMEM else "",
        )
        emit(
            "relevance",
            case,
            f"zero-result queries{suffix}",
            zero,
            "%",
            "< 5" if language == "all" else "",
        )
    emit(
        "relevance",
        case,
        "partial-match fallback used",
        100 * sum(1 for r in rows if r["partial"]) / len(rows),
        "%",
    )
    emit("relevance", case, "queries", len(rows) / elapsed, "queries/s")
    return figures


def expected_not_indexed(queries: list[dict]) -> list[str]:
    """Expected paths that no document in the index has (missing content)."""
    from search.models import SearchDocument

    indexed = {
        path_of(url) for url in SearchDocument.objects.values_list("url", flat=True)
    }
    wanted = {path for item in queries for path in item["expected"]}
    return sorted(wanted - indexed)


def evaluate(label: str, queries: list[dict], report: dict) -> dict[str, dict]:
    from django.conf import settings

    from search import query as search_query
    from search.services import index_rebuild

    figures = {}
    for stemmer in STEMMERS:
        settings.SEARCH_STEMMER = stemmer
        search_query._stem.cache_clear()
        index_rebuild()
        began = time.perf_counter()
        rows = run_queries(queries)
        elapsed = time.perf_counter() - began
        figures[stemmer] = summarise(label, stemmer, rows, elapsed)
        report[f"{label}, {stemmer}"] = rows
    return figures


def create_postgres_database(url: str) -> tuple[str, str]:
    """A new, empty database on the server of ``url``: (its URL, its name)."""
    import psycopg

    parts = urlsplit(url)
    name = f"esplora_relevance_{uuid.uuid4().hex[:10]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), name


def drop_postgres_database(url: str, name: str) -> None:
    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def worst(report: dict, limit: int = 15) -> None:
    """The lowest mean scores across the runs, on stderr."""
    scores: dict[str, list[float]] = {}
    sample: dict[str, dict] = {}
    for rows in report.values():
        for row in rows:
            scores.setdefault(row["id"], []).append(row["ndcg"])
            sample.setdefault(row["id"], row)
    ranked = sorted(scores, key=lambda key: sum(scores[key]) / len(scores[key]))
    print("worst queries (mean nDCG@5 over the runs):", file=sys.stderr)
    for key in ranked[:limit]:
        row = sample[key]
        mean = sum(scores[key]) / len(scores[key])
        print(
            f"  {mean:.2f} [{row['language']}] {row['query']!r}: "
            f"top {row['top']} expected {row['expected']}",
            file=sys.stderr,
        )


def child(env: dict[str, str]) -> None:
    """One database: load the demo into it and measure (its rows on stdout)."""
    server_url = env.get("DATABASE_URL", "")
    database_name = ""
    if server_url.startswith("postgres"):
        env["DATABASE_URL"], database_name = create_postgres_database(server_url)
    try:
        if os.environ.get("BENCH_RELEVANCE_REUSE") != "1":
            prepare_database(env)
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        run(env)
    finally:
        if database_name:
            from django.db import connections

            connections.close_all()
            drop_postgres_database(server_url, database_name)


def main() -> None:
    """SQLite always; PostgreSQL too when DATABASE_URL is set (each in a
    process of its own, since Django's settings are per process); then how far
    apart the two are."""
    if os.environ.get("BENCH_RELEVANCE_CHILD"):
        child(bench_environment())
        return
    runs = {"SQLite": {"DATABASE_URL": ""}}
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        runs["PostgreSQL"] = {"DATABASE_URL": os.environ["DATABASE_URL"]}
    overall: dict[str, float] = {}  # nDCG@5 by case
    for label, extra in runs.items():
        env = dict(os.environ, BENCH_RELEVANCE_CHILD="1", **extra)
        # The embedded backend answers only without ELASTICSEARCH_URL; the
        # Elasticsearch path is measured apart, on osmem-server.
        env.pop("ELASTICSEARCH_URL", None)
        if label != "SQLite":
            # osmem answers the same whichever database built the documents.
            env["BENCH_RELEVANCE_ELASTIC"] = "0"
        if not extra["DATABASE_URL"]:
            env.pop("DATABASE_URL")
        result = subprocess.run(
            [sys.executable, __file__],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        print(result.stderr, file=sys.stderr)
        if result.returncode:
            raise SystemExit(f"{label}: failed")
        for line in result.stdout.splitlines():
            print(line, flush=True)
            if line.startswith("{"):
                row = json.loads(line)
                if row["metric"] == "nDCG@5":
                    overall[row["case"]] = float(row["value"])
    for stemmer in STEMMERS:
        sqlite = overall.get(f"SQLite, {stemmer} stemmer")
        postgres = overall.get(f"PostgreSQL, {stemmer} stemmer")
        if sqlite is not None and postgres is not None:
            emit(
                "relevance",
                f"SQLite vs PostgreSQL, {stemmer} stemmer",
                "nDCG@5 difference",
                f"{abs(sqlite - postgres):.3f}",
                "",
                "<= 0.05",
            )


def run(env: dict[str, str]) -> None:
    from django.db import connection
    from django.test import override_settings

    queries = load_queries()
    report: dict[str, list[dict]] = {}
    vendor = connection.vendor
    label = "PostgreSQL" if vendor == "postgresql" else "SQLite"
    missing = expected_not_indexed(queries)
    emit(
        "relevance",
        label,
        "expected pages not in the index",
        len(missing),
        "pages",
        "0",
    )
    evaluate(label, queries, report)
    if os.environ.get("BENCH_RELEVANCE_ELASTIC", "1") != "0":
        try:
            from osmem_server import OsmemServer
        except ImportError:
            emit("relevance", OSMEM, "skipped", 0, "osmem-server missing")
        else:
            with (
                OsmemServer.start(japanese=False) as server,
                override_settings(
                    ELASTICSEARCH_URL=server.url,
                    SEARCH_ELASTICSEARCH_PLAIN_JSON=True,
                    SEARCH_ELASTICSEARCH_REFRESH=True,
                    SEARCH_INDEX_PREFIX="relevance",
                ),
            ):
                evaluate(OSMEM, queries, report)
    path = Path(env["DJANGO_VAR_DIR"]) / f"relevance-report-{vendor}.json"
    path.write_text(
        json.dumps(
            {"not_indexed": missing, "runs": report}, ensure_ascii=False, indent=1
        ),
        encoding="utf-8",
    )
    print(f"per-query report: {path}", file=sys.stderr)
    print(f"expected pages not in the index: {missing}", file=sys.stderr)
    worst(report)


if __name__ == "__main__":
    main()
