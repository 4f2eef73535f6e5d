import datetime as dt

from django.utils import timezone

from portal.seminars.models import SeminarIndexPage, SeminarPage


def make_index(home) -> SeminarIndexPage:
    index = SeminarIndexPage.objects.child_of(home).first()
    if index is None:
        index = SeminarIndexPage(title="Seminari", slug="seminari")
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


def make_seminar(index, *, slug="collocamento-mirato", days=10, **fields):
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=days)
    defaults = {
        "title": "Ambito B – Collocamento mirato",
        "summary": "Seminario per operatori dei CPI",
        "kind": "seminar",
        "start": start,
        "end": start + dt.timedelta(hours=3),
        "venue": "Sala conferenze",
        "address": "Via Nazionale 12",
        "capacity": 2,
        "registration_opens": start - dt.timedelta(days=30),
        "registration_closes": start - dt.timedelta(hours=1),
        "programme": [
            ("item", {"time": dt.time(10), "speaker": "Rossi", "topic": "Apertura"})
        ],
    }
    defaults.update(fields)
    seminar = SeminarPage(slug=slug, **defaults)
    index.add_child(instance=seminar)
    seminar.save_revision().publish()
    return seminar


def registration_data(**overrides) -> dict:
    data = {
        "name": "Anna Bianchi",
        "organisation": "CPI di Lecce",
        "role": "Operatrice",
        "accessibility_needs": "",
        "consent": True,
    }
    data.update(overrides)
    return data
