"""Reads on seminars: what a visitor sees, in lists, calendars, feeds and emails."""

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from portal.taxonomy.models import Territory, Topic
from portal.taxonomy.selectors import term_map

from .models import Registration, SeminarIndexPage, SeminarKind, SeminarPage

PAGE_SIZE = 20


def seminar_list_visible(*, index_page: SeminarIndexPage) -> QuerySet[SeminarPage]:
    """Live, public seminars under ``index_page`` (hence in its language)."""
    return (
        SeminarPage.objects.child_of(index_page)
        .live()
        .public()
        .select_related("territory")
        .prefetch_related("topics")
    )


def seminar_upcoming(*, index_page: SeminarIndexPage, now=None) -> QuerySet:
    now = now or timezone.now()
    return (
        seminar_list_visible(index_page=index_page)
        .filter(end__gt=now)
        .order_by("start", "pk")
    )


@dataclass
class SeminarFilters:
    """Filters from the query string; unknown values are dropped, not errors."""

    kind: str = ""
    territory: str = ""
    topic: str = ""

    @classmethod
    def from_querydict(cls, params) -> "SeminarFilters":
        kind = params.get("type", "")
        territory = params.get("territory", "")
        topic = params.get("topic", "")
        return cls(
            kind=kind if kind in SeminarKind.values else "",
            territory=territory
            if territory and Territory.objects.filter(code=territory).exists()
            else "",
            topic=topic if topic and Topic.objects.filter(slug=topic).exists() else "",
        )

    @property
    def active(self) -> bool:
        return bool(self.kind or self.territory or self.topic)

    def apply(self, queryset: QuerySet) -> QuerySet:
        if self.kind:
            queryset = queryset.filter(kind=self.kind)
        if self.territory:
            queryset = queryset.filter(territory__code=self.territory)
        if self.topic:
            queryset = queryset.filter(topics__slug=self.topic).distinct()
        return queryset


def seminar_browse(
    *, index_page: SeminarIndexPage, filters: SeminarFilters, now=None
) -> dict:
    """Upcoming (soonest first) and past (latest first) seminars after filters."""
    now = now or timezone.now()
    seminars = filters.apply(seminar_list_visible(index_page=index_page))
    return {
        "upcoming": list(seminars.filter(end__gt=now).order_by("start", "pk")),
        "past": list(
            seminars.filter(end__lte=now).order_by("-start", "-pk")[:PAGE_SIZE]
        ),
    }


def seminar_filter_options(*, index_page: SeminarIndexPage) -> dict:
    """Territories and topics that some seminar of the index uses; topics as
    ``{"slug", "name"}`` named in the active language (a term keeps its slug in
    every language), by name."""
    seminars = seminar_list_visible(index_page=index_page)
    names = term_map(Topic)
    topic_ids = Topic.objects.filter(seminars__in=seminars).values_list("pk", flat=True)
    topics = dict(names[pk] for pk in set(topic_ids) if pk in names)
    return {
        "kinds": SeminarKind.choices,
        "territories": list(
            Territory.objects.filter(seminars__in=seminars).distinct().order_by("name")
        ),
        "topics": [
            {"slug": slug, "name": name}
            for slug, name in sorted(topics.items(), key=lambda item: item[1].lower())
        ],
    }


def seminar_month(
    *, index_page: SeminarIndexPage, year: int, month: int
) -> list[list[tuple[dt.date, list[SeminarPage]]]]:
    """Weeks (Monday first) of ``month``, each day with the seminars starting then
    (in the portal's time zone)."""
    tz = timezone.get_current_timezone()
    first = dt.datetime(year, month, 1, tzinfo=tz)
    last_day = calendar.monthrange(year, month)[1]
    after = first + dt.timedelta(days=last_day)
    by_day: dict[dt.date, list[SeminarPage]] = {}
    for seminar in (
        seminar_list_visible(index_page=index_page)
        .filter(start__gte=first, start__lt=after)
        .order_by("start")
    ):
        by_day.setdefault(timezone.localtime(seminar.start, tz).date(), []).append(
            seminar
        )
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [
        [(day, by_day.get(day, []) if day.month == month else []) for day in week]
        for week in weeks
    ]


def seminar_seats(*, seminar: SeminarPage) -> dict:
    counts = dict.fromkeys(Registration.Status.values, 0)
    for row in seminar.registrations.values_list("status", flat=True):
        counts[row] += 1
    confirmed = counts[Registration.Status.CONFIRMED]
    return {
        "capacity": seminar.capacity,
        "confirmed": confirmed,
        "waiting": counts[Registration.Status.WAITING],
        "free": max(seminar.capacity - confirmed, 0),
    }


def registration_for_user(*, seminar: SeminarPage, user) -> Registration | None:
    """The user's active (confirmed or waiting) registration, if any."""
    if not user.is_authenticated:
        return None
    return (
        seminar.registrations.filter(user=user)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )


def seminar_online_url_visible(*, seminar: SeminarPage, user) -> bool:
    """Only confirmed participants (and staff who may export them) see the link."""
    if not seminar.is_online or not seminar.online_url:
        return False
    if can_export_attendees(user=user):
        return True
    registration = registration_for_user(seminar=seminar, user=user)
    return (
        registration is not None
        and registration.status == Registration.Status.CONFIRMED
    )


def can_export_attendees(*, user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.has_perm("seminars.view_registration")
    )


def waiting_position(*, registration: Registration) -> int | None:
    if registration.status != Registration.Status.WAITING:
        return None
    return (
        Registration.objects.filter(
            seminar_id=registration.seminar_id,
            status=Registration.Status.WAITING,
            created_at__lte=registration.created_at,
        )
        .exclude(created_at=registration.created_at, pk__gt=registration.pk)
        .count()
    )


def registration_attendees(*, seminar: SeminarPage) -> QuerySet[Registration]:
    """Active registrations in order: confirmed first, then the waiting list."""
    return (
        seminar.registrations.exclude(status=Registration.Status.CANCELLED)
        .select_related("user")
        .order_by("status", "created_at", "pk")
    )


def registration_initial(user) -> dict:
    if not user.is_authenticated:
        return {}
    return {"name": user.get_full_name()}
