import datetime as dt

from portal.newsletters.models import (
    NewsletterIndexPage,
    NewsletterIssuePage,
    Subscriber,
)
from portal.services import page_translate

from ..practices import factories as practice_factories
from ..seminars.factories import make_index, make_seminar


def make_archive(home) -> NewsletterIndexPage:
    archive = NewsletterIndexPage(
        title="Newsletter", slug="newsletter", summary="Lavoro Informa"
    )
    home.add_child(instance=archive)
    archive.save_revision().publish()
    return archive


def make_issue(archive, *, slug="numero-1", title="Lavoro Informa n. 1", body=(),
               publish=True, **fields) -> NewsletterIssuePage:  # fmt: skip
    issue = NewsletterIssuePage(
        slug=slug,
        title=title,
        summary=f"Sommario di {title}",
        date=fields.pop("date", dt.date(2026, 11, 1)),
        intro='<p>Benvenuti. <a href="https://www.example.org/x">Leggi</a></p>',
        body=list(body),
        live=publish,
        **fields,
    )
    archive.add_child(instance=issue)
    revision = issue.save_revision()
    if publish:
        revision.publish()
    return issue


def issue_with_pulled_pages(home, archive, **fields) -> NewsletterIssuePage:
    seminar = make_seminar(make_index(home))
    practice = practice_factories.practice(
        practice_factories.practice_index(home),
        title="Collocamento mirato ICF",
        summary="Il modello ICF nel collocamento mirato",
    )
    return make_issue(
        archive,
        body=[
            ("heading", "In evidenza"),
            ("paragraph", "<p>Un paragrafo con <b>grassetto</b>.</p>"),
            ("practice", {"page": practice, "note": "Da leggere"}),
            ("seminar", {"page": seminar, "note": ""}),
        ],
        **fields,
    )


def translate_issue(issue) -> NewsletterIssuePage:
    strings = {
        issue.title: "Lavoro Informa no. 1",
        issue.summary: f"Summary of {issue.title}",
        'Benvenuti. <a id="a1">Leggi</a>': 'Welcome. <a id="a1">Read</a>',
    }
    for block in issue.body:
        if block.block_type == "heading":
            strings[block.value] = "Highlights"
        elif block.block_type == "paragraph":
            strings["Un paragrafo con <b>grassetto</b>."] = (
                "A paragraph in <b>bold</b>."
            )
        elif block.value.get("note"):
            strings[block.value["note"]] = "Worth reading"
    return page_translate(page=issue, language_code="en", strings=strings)


def make_subscribers(count: int, *, language="it", status=Subscriber.Status.ACTIVE,
                     prefix="iscritto") -> list[Subscriber]:  # fmt: skip
    return Subscriber.objects.bulk_create(
        Subscriber(
            email=f"{prefix}{number}@example.org",
            name=f"Iscritto {number}",
            language=language,
            status=status,
        )
        for number in range(count)
    )
