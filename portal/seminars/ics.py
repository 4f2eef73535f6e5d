"""iCalendar (RFC 5545) for seminars: one event, or a feed of upcoming ones."""

import datetime as dt

from django.utils.html import strip_tags
from icalendar import Calendar, Event

PRODID = "-//Esplora Lavoro//Seminari//IT"


def _calendar(name: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name:
        cal.add("x-wr-calname", name)
    return cal


def seminar_event(seminar, *, url: str, online_url: str = ""):
    event = Event()
    event.add("uid", f"seminar-{seminar.translation_key}@esploralavoro")
    event.add("dtstamp", dt.datetime.now(dt.UTC))
    event.add("dtstart", seminar.start.astimezone(dt.UTC))
    event.add("dtend", seminar.end.astimezone(dt.UTC))
    event.add("summary", seminar.title)
    description = seminar.summary or strip_tags(seminar.description)
    if online_url:
        description = f"{description}\n\n{online_url}".strip()
    event.add("description", description)
    event.add("url", url)
    if seminar.last_published_at:
        event.add("last-modified", seminar.last_published_at.astimezone(dt.UTC))
    location = (
        online_url
        if seminar.is_online
        else ", ".join(part for part in (seminar.venue, seminar.address) if part)
    )
    if location:
        event.add("location", location)
    if seminar.organiser:
        event.add(
            "organizer",
            "mailto:noreply@esploralavoro.example",
            parameters={"cn": seminar.organiser},
        )
    return event


def seminar_ics(seminar, *, url: str, online_url: str = "") -> bytes:
    cal = _calendar()
    cal.add_component(seminar_event(seminar, url=url, online_url=online_url))
    return cal.to_ical()


def seminars_ics(seminars, *, name: str, url_for) -> bytes:
    cal = _calendar(name)
    cal.add("x-published-ttl", "PT6H")
    for seminar in seminars:
        cal.add_component(seminar_event(seminar, url=url_for(seminar)))
    return cal.to_ical()
