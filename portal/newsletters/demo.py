"""Demo issues of "Lavoro Informa" (seed 004 plans ten digital issues a year),
three demo subscribers, and the first issue sent to them."""

import datetime as dt

from django.utils.html import escape

from portal.demo.english import translate_once
from portal.observatories.models import PublicationPage
from portal.practices.models import GoodPracticePage
from portal.projects.models import ProjectPage
from portal.seminars.models import SeminarPage
from portal.services import page_translate

from . import services
from .models import ConsentEvent, NewsletterIndexPage, NewsletterIssuePage, Subscriber

SUBSCRIBERS = [
    ("osservatorio@provincia.example", "Redazione Osservatorio", "Provincia", "it"),
    ("sportello@comune.example", "Sportello Lavoro", "Comune", "it"),
    ("partner@network.example", "Partner network", "EU partner", "en"),
]

FIRST = {
    "slug": "lavoro-informa-1",
    "number": 1,
    "title": "Lavoro Informa n. 1 – Buone pratiche e seminari dell'Ambito B",
    "summary": (
        "Il primo numero digitale: una buona pratica dei servizi per l'impiego, i "
        "prossimi seminari, le pubblicazioni degli Osservatori e il programma."
    ),
    "intro": (
        "Lavoro Informa raccoglie ogni mese le notizie della rete dei servizi per il "
        "lavoro: il programma prevede dieci numeri digitali l'anno."
    ),
    "headings": [
        "Una buona pratica",
        "Seminari in programma",
        "Dagli Osservatori",
        "Il programma",
    ],
    "note": "Il laboratorio è aperto agli operatori dei CPI: i posti sono limitati.",
}

FIRST_EN = {
    FIRST["title"]: "Lavoro Informa no. 1 – Good practices and Strand B seminars",
    FIRST["summary"]: (
        "The first digital issue: a good practice of the employment services, the "
        "coming seminars, the observatories' publications and the programme."
    ),
    FIRST["intro"]: (
        "Lavoro Informa gathers the news of the employment-services network every "
        "month: the programme plans ten digital issues a year."
    ),
    "Una buona pratica": "A good practice",
    "Seminari in programma": "Coming seminars",
    "Dagli Osservatori": "From the observatories",
    "Il programma": "The programme",
    FIRST["note"]: "The workshop is open to job-centre operators: places are limited.",
}


def _body(practice, seminar, publication, project, *, headings, note):
    body = []
    for heading, kind, page, block_note in (
        (headings[0], "practice", practice, ""),
        (headings[1], "seminar", seminar, note),
        (headings[2], "publication", publication, ""),
        (headings[3], "project", project, ""),
    ):
        if page is None:
            continue
        body.append(("heading", heading))
        body.append((kind, {"page": page, "note": block_note}))
    return body


SPECIAL = {
    "slug": "lavoro-informa-speciale-osservatori",
    "title": "Lavoro Informa – Speciale Osservatori",
    "summary": "Le prime note trimestrali degli Osservatori provinciali.",
    "intro": (
        "Un numero speciale dedicato agli Osservatori sul mercato del lavoro: le "
        "note trimestrali su avviamenti, cessazioni e iscrizioni ai Centri per "
        "l'Impiego."
    ),
    "heading": "Le note trimestrali",
    "paragraph": (
        "Ogni nota legge i dati delle Comunicazioni Obbligatorie della provincia: "
        "scriveteci per proporre la nota del vostro Osservatorio."
    ),
}
SPECIAL_EN = {
    SPECIAL["title"]: "Lavoro Informa – Observatories special",
    SPECIAL["summary"]: "The first quarterly notes of the provincial observatories.",
    SPECIAL["intro"]: (
        "A special issue on the labour-market observatories: the quarterly notes on "
        "hirings, terminations and job-centre registrations."
    ),
    SPECIAL["heading"]: "The quarterly notes",
    SPECIAL["paragraph"]: (
        "Each note reads the mandatory employment notifications of its province: "
        "write to us to propose your observatory's note."
    ),
}


def _special(index, home) -> None:
    """A published special issue (archive only, never sent) pulling the
    observatories' notes, with its English version."""
    issue = NewsletterIssuePage.objects.child_of(index).filter(slug=SPECIAL["slug"])
    issue = issue.first()
    if issue is None:
        notes = PublicationPage.objects.live().filter(locale=home.locale)[:2]
        issue = NewsletterIssuePage(
            slug=SPECIAL["slug"],
            title=SPECIAL["title"],
            summary=SPECIAL["summary"],
            date=dt.date.today().replace(day=1) - dt.timedelta(days=20),
            intro=f"<p>{escape(SPECIAL['intro'])}</p>",
            body=[
                ("heading", SPECIAL["heading"]),
                ("paragraph", f"<p>{escape(SPECIAL['paragraph'])}</p>"),
            ]
            + [("publication", {"page": note, "note": ""}) for note in notes],
        )
        index.add_child(instance=issue)
        issue.save_revision().publish()
    translate_once(issue, SPECIAL_EN)


def load(*, home, stdout) -> None:
    index = NewsletterIndexPage.objects.child_of(home).first()
    if index is None:
        return
    _special(index, home)
    first = NewsletterIssuePage.objects.child_of(index).filter(slug=FIRST["slug"])
    if first.exists():
        return
    pages = {
        "practice": GoodPracticePage.objects.live().filter(locale=home.locale).first(),
        "seminar": SeminarPage.objects.live().filter(locale=home.locale).first(),
        "publication": PublicationPage.objects.live()
        .filter(locale=home.locale)
        .first(),
        "project": ProjectPage.objects.live().filter(locale=home.locale).first(),
    }
    issue = NewsletterIssuePage(
        slug=FIRST["slug"],
        title=FIRST["title"],
        summary=FIRST["summary"],
        number=FIRST["number"],
        date=dt.date.today().replace(day=1),
        intro=f"<p>{escape(FIRST['intro'])}</p>",
        body=_body(**pages, headings=FIRST["headings"], note=FIRST["note"]),
    )
    index.add_child(instance=issue)
    issue.save_revision().publish()
    page_translate(page=issue, language_code="en", strings=FIRST_EN)

    draft = NewsletterIssuePage(
        slug="lavoro-informa-2",
        title="Lavoro Informa n. 2 – Il rapporto di monitoraggio del programma",
        summary="In preparazione: il rapporto di monitoraggio e i nuovi seminari.",
        number=2,
        date=dt.date.today().replace(day=1) + dt.timedelta(days=31),
        intro="<p>Numero in preparazione: la redazione lo invierà al termine.</p>",
        body=[("heading", "Seminari in programma")]
        + (
            [("seminar", {"page": pages["seminar"], "note": ""})]
            if pages["seminar"]
            else []
        ),
        live=False,
    )
    index.add_child(instance=draft)
    draft.save_revision()

    for email, name, organisation, language in SUBSCRIBERS:
        subscriber, created = Subscriber.objects.get_or_create(
            email=email,
            defaults={
                "name": name,
                "organisation": organisation,
                "language": language,
                "status": Subscriber.Status.ACTIVE,
                "consent_source": "demo data",
            },
        )
        if created:
            ConsentEvent.objects.create(
                subscriber=subscriber,
                action=ConsentEvent.Action.IMPORTED,
                source="demo data",
            )
    dispatch, _created = services.issue_send(issue=issue)
    stdout.write(
        f"Newsletter: issue 1 (it, en) queued for {dispatch.deliveries.count()} demo "
        "subscribers (the worker sends it); issue 2 is a draft."
    )
