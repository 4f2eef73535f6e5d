"""Community sanitiser: CPU time of ``sanitize_post`` on hostile and typical input.

Targets (issue 16): any input up to the 50,000-character limit < 250 ms of CPU,
nested or not; a typical 5,000-character post < 50 ms. Each case runs
REPEATS times; the median and the worst run are reported (CPU time,
time.process_time). Inputs beyond the pre-check's bounds are refused; the
refusal is timed like any other result.
"""

import os
import sys
import time

from common import ROOT, emit, percentile

REPEATS = 5
LIMIT = 50_000


def _fit(text: str) -> str:
    return text[:LIMIT]


def _typical_post() -> str:
    paragraph = (
        "Nel kit SILLA il file <code>&lt;script&gt;</code> va incluso nella "
        "pagina del centro per l'impiego; vedi https://www.lavoro.gov.it/kit e la "
        '<a href="https://example.org/guida">guida</a>. <strong>Attenzione</strong>'
        " ai campi <em>obbligatori</em>.\n\n"
    )
    items = "<ul>" + "<li>passo <b>uno</b></li>" * 5 + "</ul>\n"
    body = ""
    while len(body) < 5_000:
        body += paragraph + items
    return body[:5_000]


def cases() -> dict[str, str]:
    list_nest = "<ul><li>voce " * 40 + "fine"
    return {
        "typical post 5,000 chars": _typical_post(),
        "typical post x10 (50,000)": _fit(_typical_post() * 10),
        "'<b>' * 12000": "<b>" * 12000,
        "'<div>' * 16000 (80,000, over the limit)": "<div>" * 16000,
        "'<div>' * 10000": "<div>" * 10000,
        "nested lists 40 deep, repeated": _fit(list_nest * 200),
        "'<ul><li>' * 6000": _fit("<ul><li>" * 6000),
        "99 nested <b> + long text": "<b>" * 99 + "x" * (LIMIT - 297),
        "flat <b>x</b> * 6000": "<b>x</b>" * 6000,
        "'a<br>' * 10000": "a<br>" * 10000,
        "many attributes on one tag": _fit(
            "<a " + " ".join(f't{i}="v"' for i in range(9000))
        ),
        "long text without markup": _fit("parola " * 8000),
        "lines: 'riga\\n' * 10000": "riga\n" * 10000,
        "URLs: 1,000 links": " ".join(f"https://example.org/{i}" for i in range(1000)),
        "'http://' * 7000": "http://" * 7000,
        "unclosed <script> * 6000": "<script>" * 6000,
        "<code><script> * 1000 in prose": _fit(
            "Nel kit SILLA il file <code><script></code> va incluso. " * 1000
        ),
    }


def main() -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django

    django.setup()
    from django.core.exceptions import ValidationError

    from community.sanitize import MAX_UNITS, sanitize_post

    bounded = cases()
    # At the bound itself: as many flat tags as the pre-check lets through.
    bounded["flat <b> at the unit bound"] = _fit(
        ("<b>" + "x" * 30 + "</b>") * (MAX_UNITS - 1)
    )
    for name, text in bounded.items():
        timings = []
        outcome = "accepted"
        for _ in range(REPEATS):
            start = time.process_time()
            try:
                sanitize_post(text)
            except ValidationError as error:
                outcome = f"refused ({error.code})"
            timings.append((time.process_time() - start) * 1000)
        target = 50 if name.startswith("typical post 5") else 250
        case = f"{name} [{len(text):,} chars, {outcome}]"
        for metric, value in (
            ("CPU p50", percentile(timings, 0.5)),
            (f"CPU worst of {REPEATS}", max(timings)),
        ):
            emit("sanitize", case, metric, value, "ms", f"< {target} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
