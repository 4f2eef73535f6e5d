"""Demo groups and Italian discussions (idempotent: creates nothing the second time)."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from .models import Group, GroupMembership, Post, Thread, Watch, WatchLevel
from .sanitize import sanitize_post

PEOPLE = [
    ("giulia.rinaldi@cpi-demo.example", "Giulia", "Rinaldi"),
    ("marco.esposito@osservatorio-demo.example", "Marco", "Esposito"),
    ("anna.ferri@sportello-demo.example", "Anna", "Ferri"),
    ("luca.bassi@provincia-demo.example", "Luca", "Bassi"),
]

GROUPS = [
    {
        "slug": "operatori-servizi-impiego",
        "name": "Operatori dei servizi per l'impiego",
        "visibility": Group.Visibility.OPEN,
        "description": (
            "La comunità professionale degli operatori dei Centri per l'Impiego: "
            "presa in carico, politiche attive, collaborazione con gli enti "
            "accreditati."
        ),
        "members": [(0, "moderator"), (1, "member"), (2, "member")],
        "threads": [
            (
                0,
                "Presa in carico integrata con i servizi sociali",
                "Come organizzate la presa in carico delle persone più fragili insieme "
                "ai servizi sociali e al Terzo Settore? Da noi il Collocamento mirato "
                "partecipa a un tavolo mensile.",
                [
                    (
                        1,
                        "Da noi funziona un'équipe multidisciplinare con un referente "
                        "unico per ogni persona: riduce i passaggi tra uffici.",
                    ),
                    (
                        2,
                        "Anche gli Sportelli Lavoro possono aiutare nel primo "
                        "orientamento, soprattutto nei comuni più piccoli.",
                    ),
                ],
            ),
            (
                1,
                "Programma GOL: strumenti per la profilazione",
                "Condivido la checklist che usiamo per la profilazione dei "
                "beneficiari del Programma GOL. Suggerimenti benvenuti.",
                [],
            ),
        ],
    },
    {
        "slug": "rete-osservatori",
        "name": "Rete degli Osservatori sul mercato del lavoro",
        "visibility": Group.Visibility.MODERATED,
        "description": (
            "Gli Osservatori provinciali sul mercato del lavoro si scambiano metodi "
            "di analisi, indagini sui fabbisogni di competenze e buone pratiche."
        ),
        "members": [(1, "moderator"), (3, "member")],
        "threads": [
            (
                1,
                "Indagini sui fabbisogni di competenze: questionari a confronto",
                "Stiamo preparando l'indagine annuale sui fabbisogni occupazionali "
                "delle imprese. Quali domande si sono rivelate più utili per "
                "orientare l'offerta formativa?",
                [
                    (
                        3,
                        "Le domande sulle figure difficili da reperire, con il motivo "
                        "della difficoltà, sono quelle che i formatori leggono di più.",
                    )
                ],
            )
        ],
    },
    {
        "slug": "rete-sportelli-lavoro",
        "name": "Rete degli Sportelli Lavoro",
        "visibility": Group.Visibility.OPEN,
        "description": (
            "Gli Sportelli Lavoro dei comuni che usano il kit SILLA: scambio di "
            "informazioni su candidature e offerte di lavoro, aggiornamenti del kit."
        ),
        "members": [(2, "moderator"), (0, "member")],
        "threads": [
            (
                2,
                "Installazione dell'aggiornamento del kit SILLA",
                "Abbiamo installato l'ultimo aggiornamento del kit SILLA senza "
                "problemi: ricordate di esportare prima l'archivio delle candidature.",
                [],
            )
        ],
    },
    {
        "slug": "osservatorio-provinciale-cremona",
        "name": "Tavolo dell'Osservatorio provinciale del mercato del lavoro",
        "visibility": Group.Visibility.PRIVATE,
        "description": (
            "Gruppo riservato ai componenti del Tavolo OPML della Provincia di "
            "Cremona: riunioni, indagini, newsletter periodiche."
        ),
        "members": [(3, "moderator"), (1, "member")],
        "threads": [
            (
                3,
                "Ordine del giorno della prossima riunione del Tavolo",
                "Propongo di discutere lo stato di avanzamento delle indagini e la "
                "prossima newsletter. Aggiungete i vostri punti entro venerdì.",
                [],
            )
        ],
    },
]


def _people():
    User = get_user_model()
    users = []
    for email, first, last in PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=None, first_name=first, last_name=last
            )
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        users.append(user)
    return users


def _thread(group, author, title, body, replies) -> None:
    if Thread.objects.filter(group=group, title=title).exists():
        return
    now = timezone.now()
    thread = Thread.objects.create(
        group=group, title=title, author=author, last_post_at=now
    )
    last = Post.objects.create(thread=thread, author=author, body=sanitize_post(body))
    Watch.objects.get_or_create(
        user=author, thread=thread, defaults={"level": WatchLevel.WATCHING}
    )
    last_author = author
    for reply_author, text in replies:
        last = Post.objects.create(
            thread=thread, author=reply_author, body=sanitize_post(text)
        )
        last_author = reply_author
    Thread.objects.filter(pk=thread.pk).update(
        reply_count=len(replies),
        last_post=last,
        last_post_author=last_author,
        last_post_at=last.created_at,
    )


def load(*, home, stdout) -> None:
    """Create the demo groups, people and threads (no notifications are sent)."""
    with transaction.atomic():
        people = _people()
        for spec in GROUPS:
            group, _created = Group.objects.get_or_create(
                slug=spec["slug"],
                defaults={
                    "name": spec["name"],
                    "visibility": spec["visibility"],
                    "description": spec["description"],
                },
            )
            for index, role in spec["members"]:
                GroupMembership.objects.get_or_create(
                    group=group, user=people[index], defaults={"role": role}
                )
            for author, title, body, replies in spec["threads"]:
                _thread(
                    group,
                    people[author],
                    title,
                    body,
                    [(people[i], text) for i, text in replies],
                )
    stdout.write(f"Community: {Group.objects.count()} groups.")
