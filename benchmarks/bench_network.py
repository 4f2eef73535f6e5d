"""The job-desk network at scale, on PostgreSQL: 1,000 desks, 100,000 vacancies
and 100,000 candidatures (issue 12, "Numbers").

Measures, in process through Django's test client (the real views, the page
cache off so every request renders), p50 and p95 over REQUESTS requests of:

- the public job board with two facets (occupation group and province, values
  drawn at random among those with vacancies), and unfiltered;
- the public network dashboard, unfiltered and filtered by region;
- the match suggestions of ``sportelli.selectors.exchange.suggestions_for_vacancy``
  for random published vacancies (when that function exists);

and the SQL queries of each page on a database of 100 vacancies and on the one
of 100,000 (they must be equal).

Targets (issue 12): job board p95 < 150 ms with two facets; suggestions p95
< 200 ms.

Databases: ``DATABASE_URL`` (default
postgres://postgres@127.0.0.1:5432/bench_network) for the large dataset and the
same name with ``_small`` for 100 vacancies; both are created when missing,
and a rerun reuses a dataset already there. ``--explain`` prints EXPLAIN ANALYZE
of the job board's queries on stderr.

Prints JSON lines (``benchmarks/run.py``'s format) on stdout.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from common import ROOT, emit, percentile

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_network"
SIZES = {
    "large": {"desks": 1_000, "vacancies": 100_000, "candidatures": 100_000},
    "small": {"desks": 10, "vacancies": 100, "candidatures": 100},
}
REQUESTS = 60
WARMUP = 5
SEED = 20260312
BENCH = "network"

# The job board's indexes (migration sportelli 0005 creates them; the bench
# database migrates). ``--indexes drop`` removes them to measure the board
# without them, ``create`` puts them back.
PROPOSED_INDEXES = {
    "vacancy_live_facets": (
        "ON sportelli_vacancy (visibility, deadline) INCLUDE (id, sportello_id, "
        "municipality_id, isco_major, ateco_section, contract_type, working_time) "
        "WHERE status = 'published'"
    ),
    "vacancy_live_recent": (
        "ON sportelli_vacancy (published_at DESC, id DESC) WHERE status = 'published'"
    ),
    "vacancy_live_place": (
        "ON sportelli_vacancy (municipality_id, deadline) WHERE status = 'published'"
    ),
}

# Share of vacancies by ISCO-08 major group (roughly the Italian demand the CPI
# see: services and sales, elementary occupations and crafts first).
ISCO_MAJOR_WEIGHTS = {
    "1": 2,
    "2": 9,
    "3": 12,
    "4": 10,
    "5": 24,
    "6": 3,
    "7": 15,
    "8": 10,
    "9": 15,
}
# ATECO 2025 activities that employ each group (checked against the package).
ATECO_BY_MAJOR = {
    "1": ["70.10", "64.19", "82.11"],
    "2": ["86.10", "62.10", "85.31", "69.20", "71.12"],
    "3": ["86.90", "62.20", "69.20", "28.99", "64.19"],
    "4": ["82.11", "64.19", "52.10", "69.20", "47.11"],
    "5": ["56.11", "47.11", "55.10", "87.10", "88.10", "96.21"],
    "6": ["01.11", "01.13", "01.41", "02.10"],
    "7": ["43.21", "25.11", "41.00", "10.71", "45.20", "43.22"],
    "8": ["49.41", "22.29", "10.51", "28.99", "25.62"],
    "9": ["81.21", "52.10", "01.13", "56.11", "38.11"],
}
CONTRACTS = [
    ("determinato", 40),
    ("indeterminato", 20),
    ("apprendistato", 10),
    ("somministrazione", 12),
    ("tirocinio", 8),
    ("intermittente", 4),
    ("collaborazione", 3),
    ("occasionale", 2),
    ("autonomo", 1),
]
EDUCATION = [
    ("nessuno", 25),
    ("media", 25),
    ("qualifica", 15),
    ("diploma", 22),
    ("its", 3),
    ("laurea", 6),
    ("magistrale", 4),
]


def _database_name(url: str, suffix: str = "") -> str:
    return urlsplit(url).path.lstrip("/") + suffix


def _with_name(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def ensure_database(url: str) -> None:
    """Create the database at ``url`` if it does not exist."""
    import psycopg

    name = _database_name(url)
    admin = _with_name(url, "postgres")
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}", file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worker", choices=sorted(SIZES))
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--indexes", choices=("keep", "create", "drop"), default="keep")
    args = parser.parse_args()
    if args.worker:
        return worker(
            args.worker,
            explain=args.explain,
            requests=args.requests,
            indexes=args.indexes,
        )

    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith(("postgres://", "postgresql://")):
        print("bench_network needs PostgreSQL (DATABASE_URL): skipped", file=sys.stderr)
        return 0
    small_url = _with_name(url, _database_name(url, "_small"))
    try:
        for address in (url, small_url):
            ensure_database(address)
    except Exception as error:  # noqa: BLE001 (no server: say so, skip)
        print(f"bench_network: PostgreSQL not reachable ({error})", file=sys.stderr)
        return 0
    status = 0
    with tempfile.TemporaryDirectory(prefix="esplora-bench-network-") as var_dir:
        for size, address in (("small", small_url), ("large", url)):
            env = dict(os.environ)
            env.update(
                DJANGO_SETTINGS_MODULE="portal.settings.dev",
                DJANGO_DEBUG="false",
                DJANGO_VAR_DIR=var_dir,
                DJANGO_ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
                PORTAL_PAGE_CACHE="false",
                DATABASE_URL=address,
            )
            env.pop("REDIS_URL", None)  # the page cache is off; no shared state
            command = [sys.executable, __file__, "--worker", size]
            command += ["--requests", str(args.requests), "--indexes", args.indexes]
            if args.explain:
                command.append("--explain")
            result = subprocess.run(command, cwd=ROOT, env=env, check=False)
            status = status or result.returncode
    return status


# --- Worker (Django set up on one database) -------------------------------------


def _setup():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def build(size: str) -> None:
    """Create the dataset unless it is already there (the counts decide)."""
    import datetime
    import random

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from portal.accounts.models import Organisation, User
    from sportelli import classifications
    from sportelli.models import (
        Candidature,
        CandidatureOccupation,
        Municipality,
        Proposal,
        ProposalEvent,
        ProposalStatus,
        SharingConsent,
        Sportello,
        Vacancy,
    )

    target = SIZES[size]
    call_command("migrate", "--noinput", verbosity=0)
    if not Municipality.objects.exists():
        call_command("sportelli_load_municipalities", verbosity=0)
    if not User.objects.filter(email="bench@esploralavoro.example").exists():
        User.objects.create_superuser(
            email="bench@esploralavoro.example", password=None
        )
    if (
        Sportello.objects.count() >= target["desks"]
        and Vacancy.objects.count() >= target["vacancies"]
        and Candidature.objects.count() >= target["candidatures"]
    ):
        print(f"[{size}] dataset already there, reused", file=sys.stderr)
        return
    started = time.perf_counter()
    rng = random.Random(SEED)
    units: dict[str, list[str]] = {}
    for group in classifications.isco_groups().values():
        if group.level == "unit" and group.code[0] in ISCO_MAJOR_WEIGHTS:
            units.setdefault(group.code[0], []).append(group.code)
    ateco = {
        major: [
            (activity.code, activity.section)
            for activity in map(classifications.ateco_activity, codes)
            if activity is not None
        ]
        for major, codes in ATECO_BY_MAJOR.items()
    }
    majors = list(ISCO_MAJOR_WEIGHTS.items())

    def occupation():
        major = _weighted(rng, majors)
        return rng.choice(units[major]), major

    municipalities = list(
        Municipality.objects.values_list("istat_code", "province_sigla", "region")
    )
    by_province: dict[str, list[str]] = {}
    for code, sigla, _region in municipalities:
        by_province.setdefault(sigla, []).append(code)
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        Proposal.objects.all().delete()
        Vacancy.objects.all().delete()
        Candidature.objects.all().delete()
        SharingConsent.objects.all().delete()
        Sportello.objects.all().delete()
        Organisation.objects.filter(name__startswith="Bench ").delete()
        places = rng.sample(municipalities, target["desks"])
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=f"Bench Comune {number}",
                kind=Organisation.Kind.COMUNE,
                status=Organisation.Status.APPROVED,
                region=region,
            )
            for number, (_code, _sigla, region) in enumerate(places)
        )
        desks = Sportello.objects.bulk_create(
            Sportello(
                organisation=organisation,
                name=f"Sportello Lavoro bench {number}",
                slug=f"bench-{number}",
                municipality_id=code,
                address="Via Roma 1",
                postcode="00100",
                status=(
                    Sportello.Status.ACTIVE
                    if number % 50
                    else Sportello.Status.SUSPENDED
                ),
            )
            for number, (organisation, (code, _sigla, _region)) in enumerate(
                zip(organisations, places, strict=True)
            )
        )
        desk_place = {desk.pk: place for desk, place in zip(desks, places, strict=True)}

        def workplace(desk) -> str:
            code, sigla, _region = desk_place[desk.pk]
            return code if rng.random() < 0.7 else rng.choice(by_province[sigla])

        vacancies = []
        for number in range(target["vacancies"]):
            desk = rng.choice(desks)
            unit, major = occupation()
            ateco_code, section = rng.choice(ateco[major])
            published = now - datetime.timedelta(minutes=rng.randint(0, 540 * 24 * 60))
            age = (now - published).days
            status, reason, closed = Vacancy.Status.PUBLISHED, "", None
            deadline = (published + datetime.timedelta(days=60)).date()
            if rng.random() < 0.03:
                status, published, deadline = Vacancy.Status.DRAFT, None, today
            elif age > 60 or rng.random() < 0.35:
                reason = _weighted(
                    rng, [("filled", 45), ("expired", 40), ("withdrawn", 15)]
                )
                status = Vacancy.Status.CLOSED
                life = 61 if reason == "expired" else rng.randint(3, 60)
                closed = min(published + datetime.timedelta(days=life), now)
            vacancies.append(
                Vacancy(
                    sportello=desk,
                    title=f"Offerta {number} ({unit})",
                    isco_code=unit,
                    isco_major=major,
                    ateco_code=ateco_code,
                    ateco_section=section,
                    contract_type=_weighted(rng, CONTRACTS),
                    working_time="full" if rng.random() < 0.7 else "part",
                    positions=rng.choice((1, 1, 1, 2, 3)),
                    municipality_id=workplace(desk),
                    education_level=_weighted(rng, EDUCATION),
                    languages=(
                        [{"language": "en", "level": "B1"}]
                        if rng.random() < 0.2
                        else []
                    ),
                    driving_licence="B" if rng.random() < 0.3 else "",
                    experience_years=rng.choice((0, 0, 1, 2, 5)),
                    description="Mansioni e turni da concordare.",
                    how_to_apply="Rivolgersi allo sportello.",
                    employer_name=f"Impresa {number % 5000}",
                    visibility="public" if rng.random() < 0.85 else "network",
                    status=status,
                    close_reason=reason,
                    published_at=published,
                    closed_at=closed,
                    deadline=deadline,
                )
            )
        vacancies = Vacancy.objects.bulk_create(vacancies, batch_size=5000)
        print(f"[{size}] {len(vacancies)} vacancies", file=sys.stderr)

        candidatures = Candidature.objects.bulk_create(
            (
                Candidature(
                    sportello=(desk := rng.choice(desks)),
                    reference_code=f"B{number:07d}",
                    municipality_id=workplace(desk),
                    education_level=_weighted(rng, EDUCATION),
                    working_time=rng.choice(("", "", "full", "part")),
                    languages=(
                        [{"language": "en", "level": "B2"}]
                        if rng.random() < 0.25
                        else []
                    ),
                    driving_licence="B" if rng.random() < 0.6 else "",
                    status=(
                        Candidature.Status.ACTIVE
                        if rng.random() < 0.92
                        else Candidature.Status.SUSPENDED
                    ),
                    expires_on=today + datetime.timedelta(days=rng.randint(1, 700)),
                )
                for number in range(target["candidatures"])
            ),
            batch_size=5000,
        )
        occupations, consents = [], []
        for candidature in candidatures:
            codes = {occupation()[0] for _index in range(rng.choice((1, 1, 2, 3)))}
            occupations.extend(
                CandidatureOccupation(
                    candidature=candidature,
                    isco_code=code,
                    isco_minor=code[:3],
                    isco_major=code[:1],
                )
                for code in codes
            )
            consents.append(
                SharingConsent(
                    sportello_id=candidature.sportello_id,
                    candidature=candidature,
                    reference_code=candidature.reference_code,
                    scope=rng.choice(("network", "proposals", "proposals")),
                    given_on=today - datetime.timedelta(days=rng.randint(0, 300)),
                )
            )
        CandidatureOccupation.objects.bulk_create(occupations, batch_size=10000)
        SharingConsent.objects.bulk_create(consents, batch_size=10000)
        print(f"[{size}] {len(candidatures)} candidatures", file=sys.stderr)

        published = [vacancy for vacancy in vacancies if vacancy.published_at]
        pairs = set()
        proposals = []
        for _number in range(len(published) // 20):
            vacancy = rng.choice(published)
            candidature = rng.choice(candidatures)
            if candidature.sportello_id == vacancy.sportello_id:
                continue
            if (vacancy.pk, candidature.pk) in pairs:
                continue
            pairs.add((vacancy.pk, candidature.pk))
            proposals.append(
                Proposal(
                    vacancy=vacancy,
                    vacancy_sportello_id=vacancy.sportello_id,
                    candidature=candidature,
                    candidature_sportello_id=candidature.sportello_id,
                    reference_code=candidature.reference_code,
                    status=_weighted(
                        rng,
                        [
                            (ProposalStatus.PROPOSED, 20),
                            (ProposalStatus.UNDER_REVIEW, 15),
                            (ProposalStatus.INTERVIEW, 10),
                            (ProposalStatus.HIRED, 12),
                            (ProposalStatus.NOT_SELECTED, 28),
                            (ProposalStatus.DECLINED, 10),
                            (ProposalStatus.WITHDRAWN, 5),
                        ],
                    ),
                )
            )
        proposals = Proposal.objects.bulk_create(proposals, batch_size=5000)
        ProposalEvent.objects.bulk_create(
            (
                ProposalEvent(
                    proposal=proposal,
                    from_status=ProposalStatus.INTERVIEW,
                    to_status=ProposalStatus.HIRED,
                    by_sportello_id=proposal.vacancy_sportello_id,
                )
                for proposal in proposals
                if proposal.status == ProposalStatus.HIRED
            ),
            batch_size=5000,
        )
        # Proposals follow their vacancy's publication by days, hires by weeks.
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE sportelli_proposal p SET created_at = LEAST(now(), "
                "v.published_at + (p.id % 20 + 1) * interval '1 day') "
                "FROM sportelli_vacancy v WHERE v.id = p.vacancy_id"
            )
            cursor.execute(
                "UPDATE sportelli_proposalevent e SET at = LEAST(now(), "
                "p.created_at + (e.id % 30 + 7) * interval '1 day') "
                "FROM sportelli_proposal p WHERE p.id = e.proposal_id"
            )
        print(f"[{size}] {len(proposals)} proposals", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"[{size}] dataset built in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )


def _time(function, count: int) -> list[float]:
    for _index in range(WARMUP):
        function()
    timings = []
    for _index in range(count):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _report(case: str, timings: list[float], target: str = "") -> None:
    emit(BENCH, case, "p50", percentile(timings, 0.50), "ms")
    emit(BENCH, case, "p95", percentile(timings, 0.95), "ms", target)
    print(
        f"  {case}: p50 {percentile(timings, 0.5):.1f} ms, "
        f"p95 {percentile(timings, 0.95):.1f} ms over {len(timings)} requests",
        file=sys.stderr,
    )


def _indexes(action: str) -> None:
    from django.db import connection

    if action == "keep":
        return
    with connection.cursor() as cursor:
        for name, definition in PROPOSED_INDEXES.items():
            if action == "create":
                cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} {definition}")
            else:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
        cursor.execute("VACUUM ANALYZE sportelli_vacancy")
    cursor = connection.cursor()
    cursor.execute(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'sportelli_vacancy' "
        "AND indexname = ANY(%s)",
        [list(PROPOSED_INDEXES)],
    )
    present = sorted(row[0] for row in cursor.fetchall())
    print(f"  proposed indexes present: {present or 'none'}", file=sys.stderr)


def worker(size: str, *, explain: bool, requests: int, indexes: str) -> int:
    import random

    _setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import translation

    from portal.accounts.models import User
    from sportelli.models import Vacancy
    from sportelli.selectors.vacancies import vacancy_list_board

    build(size)
    _indexes(indexes)
    translation.activate("it")
    rng = random.Random(SEED + 1)
    client = Client()
    board = reverse("sportelli:vacancies")
    dashboard = reverse("sportelli:dashboard")
    live = list(
        vacancy_list_board()
        .order_by()
        .values_list("isco_major", "municipality__province_sigla")
        .distinct()
    )
    regions = list(
        vacancy_list_board()
        .order_by()
        .values_list("municipality__region", flat=True)
        .distinct()
    )
    pages = {
        "job board": lambda: {},
        "job board, 2 facets": lambda: dict(
            zip(("isco", "province"), rng.choice(live), strict=True)
        ),
        "dashboard": lambda: {},
        "dashboard, region": lambda: {"region": rng.choice(regions)},
    }
    vacancies = Vacancy.objects.count()

    def get(url, params):
        response = client.get(url, params)
        assert response.status_code == 200, (url, params, response.status_code)
        return response

    # Queries per page (same at 100 and 100,000 vacancies).
    for case, params in pages.items():
        url = board if case.startswith("job board") else dashboard
        get(url, params())
        with CaptureQueriesContext(connection) as queries:
            get(url, params())
        emit(BENCH, f"{case} ({vacancies} vacancies)", "queries", len(queries), "")
        print(f"  {case}: {len(queries)} queries at {vacancies}", file=sys.stderr)
    suggestions = _suggestions()
    if suggestions is not None:
        user = User.objects.get(email="bench@esploralavoro.example")
        sample = Vacancy.objects.filter(status=Vacancy.Status.PUBLISHED).order_by("?")
        vacancy = sample.first()
        with CaptureQueriesContext(connection) as queries:
            list(suggestions(vacancy=vacancy, user=user, limit=20))
        emit(BENCH, f"suggestions ({vacancies} vacancies)", "queries", len(queries), "")
        print(f"  suggestions: {len(queries)} queries", file=sys.stderr)
    if size == "small":
        return 0

    if explain:
        _explain(client, board, rng.choice(live))
    target = {"job board, 2 facets": "p95 < 150 ms"}
    for case, params in pages.items():
        url = board if case.startswith("job board") else dashboard
        _report(
            case,
            _time(lambda url=url, params=params: get(url, params()), requests),
            target.get(case, ""),
        )
    if suggestions is None:
        print("  suggestions_for_vacancy not found: skipped", file=sys.stderr)
        return 0
    pool = list(
        Vacancy.objects.filter(status=Vacancy.Status.PUBLISHED).values_list(
            "pk", flat=True
        )
    )
    vacancies_by_pk = Vacancy.objects.select_related(
        "municipality", "sportello__organisation"
    ).in_bulk(rng.sample(pool, min(len(pool), requests + WARMUP)))
    chosen = iter(list(vacancies_by_pk.values()) * 2)
    _report(
        "suggestions",
        _time(
            lambda: list(suggestions(vacancy=next(chosen), user=user, limit=20)),
            requests,
        ),
        "p95 < 200 ms",
    )
    return 0


def _suggestions():
    try:
        from sportelli.selectors.exchange import suggestions_for_vacancy
    except ImportError:
        return None
    return suggestions_for_vacancy


def _explain(client, board: str, facets: tuple[str, str]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    params = dict(zip(("isco", "province"), facets, strict=True))
    with CaptureQueriesContext(connection) as queries:
        client.get(board, params)
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            sql = query["sql"]
            if "sportelli_vacancy" not in sql:
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            print(f"\n-- {query['time']} s\n{sql}\n{plan}", file=sys.stderr)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main())
