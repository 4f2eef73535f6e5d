"""Where one page spends its CPU: pyinstrument over repeated renders of one
address, with the production settings on the benchmark's demo database and the
page cache off (what an uncached request costs).

    .venv/bin/python benchmarks/profile_page.py /buone-pratiche/ [--repeat 50]
    .venv/bin/python benchmarks/profile_page.py / --cached   # a cache hit

Uses the database the page benchmark left in ``BENCH_VAR_DIR`` (made when
missing). Prints the call tree (``--html FILE`` writes pyinstrument's HTML
report) and the mean CPU ms per request measured without the profiler.
"""

import argparse
import os
import sys
import time

from common import ROOT, bench_environment, prepare_database

sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--cached", action="store_true", help="profile cache hits")
    parser.add_argument("--html", help="write pyinstrument's HTML report here")
    parser.add_argument("--interval", type=float, default=0.0005)
    options = parser.parse_args()

    from bench_pages import HOST, production_environment

    env = production_environment(bench_environment())
    if not (
        os.environ.get("BENCH_VAR_DIR")
        and os.path.exists(os.path.join(env["DJANGO_VAR_DIR"], "db.sqlite3"))
    ):
        prepare_database(env)
    env["PORTAL_PAGE_CACHE"] = "true" if options.cached else "false"
    os.environ.update(env)
    os.chdir(ROOT)

    import django

    django.setup()
    from django.test import Client
    from pyinstrument import Profiler

    client = Client(HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https")

    def get():
        response = client.get(options.path)
        if response.status_code != 200:
            raise SystemExit(f"{options.path}: {response.status_code}")
        return response

    for _ in range(3):  # warm the caches, templates and connections
        get()
    started = time.process_time()
    for _ in range(options.repeat):
        get()
    cpu_ms = (time.process_time() - started) * 1000 / options.repeat

    profiler = Profiler(interval=options.interval)
    profiler.start()
    for _ in range(options.repeat):
        get()
    profiler.stop()
    if options.html:
        with open(options.html, "w") as out:
            out.write(profiler.output_html())
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    print(f"{options.path}: {cpu_ms:.2f} CPU ms per request (no profiler)")


if __name__ == "__main__":
    main()
