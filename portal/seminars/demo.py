"""Italian demo seminars (Ambito B training, a Tavolo meeting, a webinar)."""

import datetime as dt

from django.utils import timezone
from django.utils.html import escape

from portal.demo.english import translate_once
from portal.observatories.models import ObservatoryPage
from portal.projects.models import ProjectPage
from portal.taxonomy.models import Territory

from .models import SeminarIndexPage, SeminarKind, SeminarPage


def _at(days: int, hour: int, minute: int = 0) -> dt.datetime:
    base = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(base, dt.time(hour, minute)))


def _seminars() -> list[dict]:
    return [
        {
            "slug": "ambito-b-collocamento-mirato",
            "title": "Ambito B – Il collocamento mirato: metodologie e strumenti",
            "summary": (
                "Seminario di formazione per gli operatori dei CPI, delle DPL e dei "
                "CLES sulle innovazioni del collocamento mirato (artt. 23 e 27)."
            ),
            "kind": SeminarKind.SEMINAR,
            "days": 21,
            "venue": "Sala conferenze della Provincia",
            "address": "Via Nazionale 12",
            "audience": "Operatori di DPL, CPI e CLES",
            "capacity": 40,
            "programme": [
                ("09:30", "", "Accoglienza e registrazione dei partecipanti"),
                (
                    "10:00",
                    "Dirigente del Servizio Lavoro",
                    "Le innovazioni degli artt. 23 e 27",
                ),
                (
                    "11:30",
                    "Esperto Italia Lavoro",
                    "Modalità di valutazione e soggetti proponenti",
                ),
                ("13:00", "", "Dibattito e conclusioni"),
            ],
        },
        {
            "slug": "laboratorio-incrocio-domanda-offerta",
            "title": "Ambito B – Laboratorio sull'incrocio domanda/offerta nei CPI",
            "summary": (
                "Laboratorio pratico per gli operatori dei servizi per l'impiego "
                "sull'organizzazione dei servizi di incrocio domanda/offerta."
            ),
            "kind": SeminarKind.WORKSHOP,
            "days": 35,
            "venue": "Centro per l'impiego",
            "address": "Piazza del Lavoro 3",
            "audience": "Operatori dei CPI",
            "capacity": 20,
            "programme": [
                ("14:00", "Tutor del progetto", "Casi di studio dai territori"),
                ("15:30", "", "Esercitazione in gruppi"),
            ],
        },
        {
            "slug": "incontro-tavolo-osservatorio",
            "title": "Incontro del Tavolo dell'Osservatorio sul mercato del lavoro",
            "summary": (
                "Incontro del Tavolo con i partner pubblici e privati per condividere "
                "le analisi sul fabbisogno di competenze del territorio."
            ),
            "kind": SeminarKind.ROUND_TABLE,
            "days": 14,
            "venue": "Sede dell'Osservatorio",
            "address": "Corso Italia 45",
            "audience": "Partner del Tavolo dell'Osservatorio",
            "capacity": 25,
            "programme": [("10:00", "", "Presentazione della nota trimestrale")],
        },
        {
            "slug": "webinar-portale-lavoro",
            "title": "Webinar – Diffondere le misure attraverso il portale",
            "summary": (
                "Webinar sull'uso del portale per la diffusione di bandi, scadenze e "
                "misure rivolte a operatori pubblici e privati."
            ),
            "kind": SeminarKind.WEBINAR,
            "days": -30,
            "online_url": "https://webinar.esploralavoro.example/portale",
            "audience": "Operatori pubblici e privati dei servizi per il lavoro",
            "capacity": 100,
            "programme": [
                ("11:00", "Redazione Esplora Lavoro", "Il portale passo passo")
            ],
        },
    ]


ORGANISER = "Italia Lavoro – Esplora Lavoro"
# English versions of two seminars: Italian text -> English text.
ENGLISH = {
    "ambito-b-collocamento-mirato": {
        "Ambito B – Il collocamento mirato: metodologie e strumenti": "Strand B – Targeted placement: methods and tools",
        "Seminario di formazione per gli operatori dei CPI, delle DPL e dei CLES sulle innovazioni del collocamento mirato (artt. 23 e 27).": "Training seminar for the operators of job centres, provincial labour directorates and CLES on what is new in targeted placement (articles 23 and 27).",
        "Sala conferenze della Provincia": "Conference room of the Province",
        "Via Nazionale 12": "Via Nazionale 12",
        "Operatori di DPL, CPI e CLES": "Operators of labour directorates, job centres and CLES",
        ORGANISER: ORGANISER,
        "Accoglienza e registrazione dei partecipanti": "Welcome and registration of participants",
        "Dirigente del Servizio Lavoro": "Head of the Labour Service",
        "Le innovazioni degli artt. 23 e 27": "What articles 23 and 27 change",
        "Esperto Italia Lavoro": "Italia Lavoro expert",
        "Modalità di valutazione e soggetti proponenti": "How proposals are assessed and who can submit them",
        "Dibattito e conclusioni": "Discussion and conclusions",
    },
    "laboratorio-incrocio-domanda-offerta": {
        "Ambito B – Laboratorio sull'incrocio domanda/offerta nei CPI": "Strand B – Workshop on job matching in job centres",
        "Laboratorio pratico per gli operatori dei servizi per l'impiego sull'organizzazione dei servizi di incrocio domanda/offerta.": "Hands-on workshop for employment-service operators on organising job-matching services.",
        "Centro per l'impiego": "Job centre",
        "Piazza del Lavoro 3": "Piazza del Lavoro 3",
        "Operatori dei CPI": "Job-centre operators",
        ORGANISER: ORGANISER,
        "Tutor del progetto": "Project tutor",
        "Casi di studio dai territori": "Case studies from the provinces",
        "Esercitazione in gruppi": "Group exercise",
    },
}


def load(*, home, stdout) -> None:
    index = SeminarIndexPage.objects.child_of(home).first()
    if index is None:
        return
    observatory = ObservatoryPage.objects.live().first()
    project = ProjectPage.objects.live().first()
    territory = observatory.province if observatory else Territory.objects.first()
    created = 0
    for spec in _seminars():
        if SeminarPage.objects.child_of(index).filter(slug=spec["slug"]).exists():
            continue
        start = _at(spec["days"], 10 if spec["kind"] != "workshop" else 14)
        online = "online_url" in spec
        seminar = SeminarPage(
            slug=spec["slug"],
            title=spec["title"],
            summary=spec["summary"],
            kind=spec["kind"],
            start=start,
            end=start + dt.timedelta(hours=3),
            is_online=online,
            venue=spec.get("venue", ""),
            address=spec.get("address", ""),
            online_url=spec.get("online_url", ""),
            audience=spec["audience"],
            organiser=ORGANISER,
            description=f"<p>{escape(spec['summary'])}</p>",
            programme=[
                (
                    "item",
                    {
                        "time": dt.time.fromisoformat(time),
                        "speaker": who,
                        "topic": what,
                    },
                )
                for time, who, what in spec["programme"]
            ],
            capacity=spec["capacity"],
            registration_opens=start - dt.timedelta(days=60),
            registration_closes=start - dt.timedelta(days=1),
            observatory=observatory if spec["kind"] == "round_table" else None,
            project=project if spec["kind"] != "round_table" else None,
            territory=territory,
            materials=[
                (
                    "link",
                    {
                        "title": "Registrazione del webinar",
                        "url": "https://webinar.esploralavoro.example/registrazione",
                    },
                )
            ]
            if online
            else [],
        )
        index.add_child(instance=seminar)
        seminar.save_revision().publish()
        created += 1
    for slug, strings in ENGLISH.items():
        translate_once(
            SeminarPage.objects.child_of(index).filter(slug=slug).first(), strings
        )
    stdout.write(f"Seminars: {created} created.")
