"""Newsletters: sending one issue over SMTP, and a worker killed half-way.

An issue (Italian with an English translation, a few blocks) is sent to
BENCH_NEWSLETTER_SUBSCRIBERS active subscribers (10,000 by default; 70% it, 30%
en) by one worker, ``manage.py newsletter_send <page_id>`` in its own process,
through a local aiosmtpd server (another process, which records every message it
accepts with 250: Message-ID and RCPT TO). Measured:

- messages per second: end to end (the command's wall time, start-up and the
  creation of the deliveries included) and while sending (first to last message
  the server accepted);
- the worker's memory (VmRSS sampled every 50 ms, and VmHWM): RSS after warm-up
  (the first 5% sent), the peak, and the growth between them; the same send to
  BENCH_NEWSLETTER_SMALL subscribers (2,000) first, to show that the peak does
  not grow with the number of subscribers;
- BENCH_NEWSLETTER_KILLS times (3), each on a fresh issue: the worker is killed
  with SIGKILL at about half (50%, then 35%, 65%, ...: plus up to 200 messages
  and up to 100 ms, drawn at random, so anywhere in a batch and a message), then
  ``newsletter_send <page_id> --resume`` finishes it; duplicates (extra copies
  the server accepted) and misses (active subscribers it never accepted a copy
  for) are counted from the server's record, with the deliveries by status.

Targets (issue "Newsletters"): at least 100 messages per second with one worker,
flat memory, and 0 duplicates and 0 misses after each kill and resume.

The database is a throwaway SQLite file in a temporary directory, or PostgreSQL
when DATABASE_URL is set (the pages, subscribers and deliveries the benchmark
creates are deleted afterwards).
"""

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from common import ROOT, bench_environment, emit, free_port, wait_for_port

SUBSCRIBERS = int(os.environ.get("BENCH_NEWSLETTER_SUBSCRIBERS", "10000"))
SMALL = int(os.environ.get("BENCH_NEWSLETTER_SMALL", "2000"))
KILLS = int(os.environ.get("BENCH_NEWSLETTER_KILLS", "3"))
KILL_POINTS = [0.5, 0.35, 0.65, 0.2, 0.8, 0.45, 0.55, 0.3, 0.7, 0.6]
EMAIL_DOMAIN = "bench-newsletter.example"
EMAIL_PREFIX = "bench-nl-"
SLUG_PREFIX = "bench-nl-issue-"
SAMPLE_SECONDS = 0.05
MESSAGE_ID = re.compile(rb"(?im)^Message-ID:[ \t]*(<[^>\r\n]*>)")


# --- The SMTP server (its own process: it outlives a killed worker) ------------


def smtp_server(port: int, record: str) -> None:
    """Accept everything on 127.0.0.1:port; append "time, Message-ID, RCPT TO"
    to ``record`` for each recipient of each message accepted (before the 250)."""
    import threading

    from aiosmtpd.controller import Controller

    handle = open(record, "a", encoding="utf-8")  # noqa: SIM115

    class Recorder:
        async def handle_DATA(self, server, session, envelope):
            content = envelope.original_content or envelope.content
            header = content.split(b"\r\n\r\n", 1)[0]
            match = MESSAGE_ID.search(header)
            message_id = match.group(1).decode() if match else "-"
            now = time.time()
            handle.write(
                "".join(
                    f"{now:.6f}\t{message_id}\t{rcpt}\n" for rcpt in envelope.rcpt_tos
                )
            )
            handle.flush()
            return "250 Message accepted for delivery"

    controller = Controller(Recorder(), hostname="127.0.0.1", port=port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    controller.stop()
    handle.close()


class Record:
    """The server's record file, read by the benchmark as it grows."""

    def __init__(self, path: Path):
        self.path = path
        self.handle = path.open("rb")
        self.lines = 0

    def poll(self) -> int:
        chunk = self.handle.read()
        self.lines += chunk.count(b"\n")
        return self.lines

    def entries(self, dispatch_id: int) -> list[tuple[float, str]]:
        prefix = f"<newsletter.{dispatch_id}."
        found = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            stamp, message_id, rcpt = line.split("\t")
            if message_id.startswith(prefix):
                found.append((float(stamp), rcpt.lower()))
        return found


# --- The data ------------------------------------------------------------------


@dataclass
class Created:
    home: object = None
    archive: object = None
    issues: list = field(default_factory=list)


def translate(page):
    """Publish an English translation of ``page``, every string suffixed."""
    from wagtail_localize.models import StringSegment, TranslationSource

    from portal.services import page_translate

    source, _created = TranslationSource.get_or_create_from_instance(page)
    strings = {
        segment.string.data: f"{segment.string.data} (EN)"
        for segment in StringSegment.objects.filter(source=source).select_related(
            "string"
        )
    }
    strings[page.title] = f"{page.title} EN"
    return page_translate(page=page, language_code="en", strings=strings)


def build_tree(created: Created):
    from wagtail.models import Locale, Page, Site

    from portal.models import HomePage
    from portal.newsletters.models import NewsletterIndexPage

    italian, _ = Locale.objects.get_or_create(language_code="it")
    Locale.objects.get_or_create(language_code="en")
    home = HomePage.objects.filter(locale=italian).first()
    if home is None:
        root = Page.get_first_root_node()
        for page in root.get_children():
            if type(page.specific) is Page:
                page.delete()
        home = HomePage(
            title="Esplora Lavoro", slug="home", locale=italian, summary="Portale"
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": home},
        )
        created.home = home
        translate(home)
    archive = NewsletterIndexPage.objects.child_of(home).first()
    if archive is None:
        archive = NewsletterIndexPage(
            title="Newsletter", slug="newsletter", summary="Lavoro Informa"
        )
        home.add_child(instance=archive)
        archive.save_revision().publish()
        created.archive = archive
    if not archive.get_translations().filter(locale__language_code="en").exists():
        translate(archive)
    return home, archive


def make_issue(created: Created, home, archive, number: int):
    import datetime as dt

    from portal.newsletters.models import NewsletterIssuePage

    issue = NewsletterIssuePage(
        slug=f"{SLUG_PREFIX}{number}-{os.getpid()}",
        title=f"Lavoro Informa benchmark n. {number}",
        summary="Il numero del benchmark: seminari, pratiche e programma.",
        number=number,
        date=dt.date.today(),
        intro=(
            "<p>Benvenuti nel numero del benchmark. "
            '<a href="https://www.example.org/programma">Il programma</a>.</p>'
        ),
        body=[
            ("heading", "Seminari in programma"),
            (
                "paragraph",
                "<p>Il laboratorio è aperto agli operatori dei <b>CPI</b>: "
                f'<a linktype="page" id="{home.pk}">il portale</a>.</p>',
            ),
            ("heading", "Dagli Osservatori"),
            (
                "paragraph",
                "<ul><li>Il rapporto di monitoraggio</li>"
                "<li>Gli indicatori regionali</li></ul>",
            ),
        ],
    )
    archive.add_child(instance=issue)
    issue.save_revision().publish()
    created.issues.append(issue)
    translate(issue)
    return issue


def add_subscribers(start: int, stop: int) -> None:
    from django.utils import timezone

    from portal.newsletters.models import Subscriber

    now = timezone.now()
    Subscriber.objects.bulk_create(
        (
            Subscriber(
                email=f"{EMAIL_PREFIX}{number:06d}@{EMAIL_DOMAIN}",
                name=f"Iscritto {number}",
                language="en" if number % 10 < 3 else "it",
                status=Subscriber.Status.ACTIVE,
                confirmed_at=now,
                consent_at=now,
                consent_source="benchmark",
            )
            for number in range(start, stop)
        ),
        batch_size=1000,
    )


def active_emails() -> set[str]:
    from portal.newsletters.models import Subscriber

    return {
        email.lower()
        for email in Subscriber.objects.filter(
            status=Subscriber.Status.ACTIVE
        ).values_list("email", flat=True)
    }


def cleanup(created: Created) -> None:
    from portal.newsletters.models import Dispatch, Subscriber

    keys = [issue.translation_key for issue in created.issues]
    Dispatch.objects.filter(translation_key__in=keys).delete()
    for issue in created.issues:
        for page in issue.get_translations(inclusive=True):
            page.delete()
    Subscriber.objects.filter(email__startswith=EMAIL_PREFIX).delete()
    for page in (created.archive, created.home):
        if page is not None:
            for translation in page.get_translations(inclusive=True):
                translation.delete()


# --- The worker ----------------------------------------------------------------


@dataclass
class WorkerRun:
    returncode: int
    wall: float
    accepted: int
    output: str
    warm_rss_mb: float = 0.0
    peak_rss_mb: float = 0.0
    killed_at: int = 0


def _memory(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of ``pid`` in kB, or (0, 0) once it has gone."""
    rss = hwm = 0
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
    except OSError:
        pass
    return rss, hwm


def run_worker(env, page_id: int, record: Record, *, total: int, resume=False,
               kill_after: int = 0, kill_delay: float = 0.0,
               log: Path) -> WorkerRun:  # fmt: skip
    """Run newsletter_send in its own process, sampling its memory; with
    ``kill_after``, SIGKILL it ``kill_delay`` seconds after the server has
    accepted that many messages (a delay at random puts the kill anywhere in a
    message's exchange, not always just after a 250)."""
    start_lines = record.poll()
    warm_after = max(200, total // 20)
    command = [sys.executable, "manage.py", "newsletter_send", str(page_id)]
    if resume:
        command.append("--resume")
    deadline = time.monotonic() + max(600.0, total / 5)
    with log.open("w") as output:
        began = time.perf_counter()
        worker = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        warm = peak = 0
        killed_at = 0
        kill_time = None
        next_sample = 0.0
        while worker.poll() is None:
            now = time.monotonic()
            accepted = record.poll() - start_lines
            if now >= next_sample:
                rss, hwm = _memory(worker.pid)
                peak = max(peak, rss, hwm)
                if not warm and accepted >= warm_after:
                    warm = rss
                next_sample = now + SAMPLE_SECONDS
            if kill_after and kill_time is None and accepted >= kill_after:
                kill_time = now + kill_delay
            if kill_time is not None and now >= kill_time:
                worker.send_signal(signal.SIGKILL)
                worker.wait()
                time.sleep(0.1)
                killed_at = record.poll() - start_lines
                break
            if now > deadline:
                worker.kill()
                worker.wait()
                raise RuntimeError(f"{' '.join(command)} took too long")
            time.sleep(0.005)
        wall = time.perf_counter() - began
    time.sleep(0.2)  # the server's last record
    return WorkerRun(
        returncode=worker.returncode,
        wall=wall,
        accepted=record.poll() - start_lines,
        output=log.read_text().strip(),
        warm_rss_mb=warm / 1024,
        peak_rss_mb=peak / 1024,
        killed_at=killed_at,
    )


@dataclass
class Check:
    received: int
    duplicates: int
    duplicated_recipients: int
    misses: int
    unexpected: int
    statuses: dict
    sending_rate: float
    error: str = ""


def check(issue, record: Record, expected: set[str]) -> Check:
    from portal.newsletters import selectors

    dispatch = selectors.dispatch_for_issue(issue=issue)
    entries = record.entries(dispatch.pk)
    copies = Counter(rcpt for _stamp, rcpt in entries)
    stamps = sorted(stamp for stamp, _rcpt in entries)
    span = stamps[-1] - stamps[0] if len(stamps) > 1 else 0.0
    stats = selectors.dispatch_stats(dispatch=dispatch)
    return Check(
        received=len(entries),
        duplicates=sum(count - 1 for count in copies.values()),
        duplicated_recipients=sum(1 for count in copies.values() if count > 1),
        misses=len(expected - copies.keys()),
        unexpected=len(copies.keys() - expected),
        statuses={key: value for key, value in stats.items() if value},
        sending_rate=(len(stamps) - 1) / span if span else 0.0,
        error=dispatch.deliveries.exclude(error="")
        .values_list("error", flat=True)
        .first()
        or "",
    )


# --- The benchmark -------------------------------------------------------------


def full_send(env, vendor, created, home, archive, record, count, var_dir, number):
    issue = make_issue(created, home, archive, number)
    expected = active_emails()
    run = run_worker(
        env, issue.pk, record, total=count, log=var_dir / f"worker-{number}.log"
    )
    if run.returncode != 0:
        raise RuntimeError(f"newsletter_send failed:\n{run.output}")
    result = check(issue, record, expected)
    end_to_end = result.received / run.wall
    growth = run.peak_rss_mb - run.warm_rss_mb
    case = f"send to {count:,} ({vendor})"
    print(
        f"{case}: {result.received} accepted in {run.wall:.1f} s = "
        f"{end_to_end:.0f} msg/s end to end, {result.sending_rate:.0f} msg/s "
        f"while sending; RSS after warm-up {run.warm_rss_mb:.1f} MB, peak "
        f"{run.peak_rss_mb:.1f} MB, growth {growth:.1f} MB; duplicates "
        f"{result.duplicates}, misses {result.misses}; deliveries {result.statuses}",
        flush=True,
    )
    print(f"  worker: {run.output}", flush=True)
    if result.error:
        print(f"  first delivery error: {result.error}", flush=True)
    emit("newsletters", case, "messages/s end to end", end_to_end, "msg/s", ">= 100")
    emit(
        "newsletters",
        case,
        "messages/s while sending",
        result.sending_rate,
        "msg/s",
        ">= 100",
    )
    emit("newsletters", case, "worker RSS after warm-up", run.warm_rss_mb, "MB")
    emit("newsletters", case, "worker peak RSS", run.peak_rss_mb, "MB")
    emit("newsletters", case, "worker RSS growth", growth, "MB", "flat")
    emit("newsletters", case, "duplicates", result.duplicates, "messages", "0")
    emit("newsletters", case, "misses", result.misses, "subscribers", "0")
    return run


def kill_and_resume(env, vendor, created, home, archive, record, count, var_dir,
                    number, point) -> Check:  # fmt: skip
    issue = make_issue(created, home, archive, number)
    expected = active_emails()
    rng = random.Random(number)
    # Anywhere in a batch of 200 claimed deliveries, anywhere in a message.
    kill_after = max(1, int(count * point) + rng.randrange(200))
    first = run_worker(
        env,
        issue.pk,
        record,
        total=count,
        kill_after=kill_after,
        kill_delay=rng.uniform(0, 0.1),
        log=var_dir / f"worker-{number}.log",
    )
    from portal.newsletters import selectors

    before = selectors.dispatch_stats(
        dispatch=selectors.dispatch_for_issue(issue=issue)
    )
    second = run_worker(
        env,
        issue.pk,
        record,
        total=count,
        resume=True,
        log=var_dir / f"worker-{number}-resume.log",
    )
    if second.returncode != 0:
        raise RuntimeError(f"newsletter_send --resume failed:\n{second.output}")
    result = check(issue, record, expected)
    case = f"kill at ~{point:.0%} + resume, {count:,} ({vendor})"
    print(
        f"{case}: killed (exit {first.returncode}) after {first.killed_at} accepted "
        f"(DB then: {before['sent']} sent, {before['sending']} sending, "
        f"{before['queued']} queued); resume accepted {second.accepted} in "
        f"{second.wall:.1f} s; total {result.received} for {len(expected)} "
        f"subscribers: duplicates {result.duplicates} "
        f"({result.duplicated_recipients} recipients), misses {result.misses}, "
        f"unexpected {result.unexpected}; deliveries {result.statuses}",
        flush=True,
    )
    print(f"  resume: {second.output}", flush=True)
    if result.error:
        print(f"  first delivery error: {result.error}", flush=True)
    emit("newsletters", case, "duplicates", result.duplicates, "messages", "0")
    emit("newsletters", case, "misses", result.misses, "subscribers", "0")
    return result


def main() -> None:
    env = bench_environment()
    var_dir = Path(env["DJANGO_VAR_DIR"])
    var_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    port = free_port()
    record_path = var_dir / "smtp-record.tsv"
    record_path.touch()
    server = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--smtp-server",
            str(port),
            str(record_path),
        ],
        cwd=ROOT,
        stdout=(var_dir / "smtp-server.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    env.update(EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(port), EMAIL_TIMEOUT="30")
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    vendor = connection.vendor
    created = Created()
    try:
        wait_for_port(port)
        record = Record(record_path)
        home, archive = build_tree(created)
        number = 1
        small = 0
        if 0 < SMALL < SUBSCRIBERS:
            add_subscribers(0, SMALL)
            small = full_send(
                env, vendor, created, home, archive, record, SMALL, var_dir, number
            )
            number += 1
        add_subscribers(SMALL if small else 0, SUBSCRIBERS)
        big = full_send(
            env, vendor, created, home, archive, record, SUBSCRIBERS, var_dir, number
        )
        if small:
            difference = big.peak_rss_mb - small.peak_rss_mb
            print(
                f"peak RSS {SUBSCRIBERS:,} subscribers - {SMALL:,} subscribers: "
                f"{difference:+.1f} MB",
                flush=True,
            )
            emit(
                "newsletters",
                f"send to {SUBSCRIBERS:,} vs {SMALL:,} ({vendor})",
                "peak RSS difference",
                difference,
                "MB",
                "~0 (flat)",
            )
        totals = Counter()
        for attempt in range(KILLS):
            number += 1
            point = KILL_POINTS[attempt % len(KILL_POINTS)]
            result = kill_and_resume(
                env,
                vendor,
                created,
                home,
                archive,
                record,
                SUBSCRIBERS,
                var_dir,
                number,
                point,
            )
            totals.update(duplicates=result.duplicates, misses=result.misses)
        if KILLS:
            print(
                f"{KILLS} kills and resumes: duplicates {totals['duplicates']}, "
                f"misses {totals['misses']}",
                flush=True,
            )
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if "DATABASE_URL" in os.environ:
            cleanup(created)
        connection.close()
        if not os.environ.get("BENCH_VAR_DIR"):
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--smtp-server"]:
        smtp_server(int(sys.argv[2]), sys.argv[3])
    else:
        main()
