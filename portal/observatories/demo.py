"""The network of pivot observatories in the Convergence regions (seed 000).

The seed names no province: these fifteen are an example spread over Campania,
Puglia, Calabria and Sicilia, and the network page says so.
"""

import datetime

from django.utils.html import escape

from portal.demo.english import translate_once
from portal.taxonomy.models import Territory

from .models import ObservatoryIndexPage, ObservatoryPage, PublicationPage

PIVOT_PROVINCES = [
    "063",
    "065",
    "061",
    "064",  # Campania
    "072",
    "071",
    "075",
    "073",  # Puglia
    "078",
    "079",
    "080",  # Calabria
    "082",
    "087",
    "083",
    "089",  # Sicilia
]
PARTNERS = [
    ("INPS – sede provinciale", "inps"),
    ("Direzione provinciale del lavoro", "dpl"),
    ("Centri per l'Impiego della provincia", "cpi"),
    ("Camera di commercio", "chamber"),
    ("Università", "university"),
    ("Organizzazioni sindacali e datoriali", "social_partner"),
]


# Observatories (by province code) with an English version, and their notes.
ENGLISH_PROVINCES = ["063", "065"]
DESCRIPTION = (
    "L'Osservatorio raccoglie dati sul territorio e anticipa il fabbisogno di "
    "competenze e professionalità a livello locale, per integrare le politiche "
    "attive del lavoro, della formazione e dell'istruzione."
)
DESCRIPTION_EN = (
    "The observatory collects data on its territory and anticipates the skills and "
    "professions needed locally, to bring together active labour, training and "
    "education policies."
)
NOTE_SUMMARY = "Avviamenti, cessazioni e iscrizioni ai CPI nel primo trimestre."
NOTE_BODY = (
    "La nota analizza i dati delle Comunicazioni Obbligatorie e dei Centri per "
    "l'Impiego della provincia."
)


def _english(index, province) -> None:
    slug = f"osservatorio-{province.abbreviation.lower()}"
    observatory = ObservatoryPage.objects.child_of(index).filter(slug=slug).first()
    if observatory is None:
        return
    translate_once(
        observatory,
        {
            observatory.title: f"Labour-market observatory – {province.name}",
            observatory.summary: (
                f"Analysis, study and discussion of the labour market of the province "
                f"of {province.name}, with the network of its public and private actors."
            ),
            DESCRIPTION: DESCRIPTION_EN,
        },
    )
    for note in PublicationPage.objects.child_of(observatory):
        translate_once(
            note,
            {
                note.title: f"Quarterly labour-market note – {province.name}",
                NOTE_SUMMARY: (
                    "Hirings, terminations and job-centre registrations in the first "
                    "quarter."
                ),
                NOTE_BODY: (
                    "The note analyses the data of the mandatory employment "
                    "notifications and of the province's job centres."
                ),
            },
        )


def load(*, home, stdout) -> None:
    index = ObservatoryIndexPage.objects.child_of(home).first()
    if index is None:
        return
    provinces = {t.code: t for t in Territory.objects.filter(code__in=PIVOT_PROVINCES)}
    for number, code in enumerate(PIVOT_PROVINCES):
        province = provinces[code]
        slug = f"osservatorio-{province.abbreviation.lower()}"
        if ObservatoryPage.objects.child_of(index).filter(slug=slug).exists():
            continue
        observatory = ObservatoryPage(
            slug=slug,
            title=f"Osservatorio sul mercato del lavoro – {province.name}",
            summary=(
                f"Analisi, studio e confronto sul mercato del lavoro della provincia di "
                f"{province.name}, con la rete dei suoi attori pubblici e privati."
            ),
            province=province,
            description=f"<p>{escape(DESCRIPTION)}</p>",
        )
        for name, role in PARTNERS:
            observatory.partners.create(name=name, role=role)
        observatory.meetings.create(
            date=datetime.date(2011, 3 + number % 9, 10),
            title="Riunione di insediamento del Tavolo",
            notes="Condivisione del programma di lavoro dell'Osservatorio con i partner.",
        )
        index.add_child(instance=observatory)
        observatory.save_revision().publish()
        if number < 3:
            publication = PublicationPage(
                slug="nota-trimestrale-2012-1",
                title=f"Nota trimestrale sul mercato del lavoro – {province.name}",
                summary=NOTE_SUMMARY,
                publication_type="note",
                date=datetime.date(2012, 4, 30),
                body=f"<p>{escape(NOTE_BODY)}</p>",
            )
            observatory.add_child(instance=publication)
            publication.save_revision().publish()
    for code in ENGLISH_PROVINCES:
        _english(index, provinces[code])
    stdout.write(f"Observatories: {ObservatoryPage.objects.child_of(index).count()}")
