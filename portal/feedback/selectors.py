"""Reads of page feedback: which pages take it, and the editors' report."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone
from wagtail.models import Page

from .models import RATING_MAX, RATING_MIN, PageFeedback, Reason

RATINGS = range(RATING_MIN, RATING_MAX + 1)


def feedback_enabled(page) -> bool:
    """Whether ``page`` shows the widget: a saved, live Wagtail page whose type
    does not opt out with ``page_feedback = False``."""
    return bool(
        isinstance(page, Page)
        and page.pk
        and page.live
        and getattr(page.specific_class or type(page), "page_feedback", True)
    )


def page_for_feedback(*, page_id: int) -> Page | None:
    """The live, public page ``page_id`` if visitors may rate it."""
    page = Page.objects.live().public().filter(pk=page_id).first()
    return page if feedback_enabled(page) else None


@dataclass(frozen=True)
class Period:
    """A range of days, both ends included; None: open."""

    since: dt.date | None = None
    until: dt.date | None = None


def _in_period(queryset: QuerySet, period: Period) -> QuerySet:
    if period.since:
        start = dt.datetime.combine(period.since, dt.time.min)
        queryset = queryset.filter(created_at__gte=timezone.make_aware(start))
    if period.until:
        end = dt.datetime.combine(period.until + dt.timedelta(days=1), dt.time.min)
        queryset = queryset.filter(created_at__lt=timezone.make_aware(end))
    return queryset


@dataclass
class PageSummary:
    """The answers about one page in a period."""

    page_id: int
    title: str
    language: str
    count: int
    average: float
    distribution: list[int]  # answers with rating 1, 2, ..., 5
    reasons: dict[str, int] = field(default_factory=dict)  # Reason value -> count

    @property
    def reason_list(self) -> list[tuple[str, int]]:
        """(label, count) of the answers given at least once."""
        return [
            (Reason(value).label, count)
            for value, count in self.reasons.items()
            if count
        ]


def feedback_summary_by_page(*, period: Period) -> QuerySet:
    """One row per page (dicts), most answered first: one query, the
    aggregates computed by the database."""
    aggregates = {
        "count": Count("pk"),
        "average": Avg("rating"),
        **{f"rating_{value}": Count("pk", filter=Q(rating=value)) for value in RATINGS},
        **{
            f"reason_{reason.value}": Count("pk", filter=Q(reason=reason.value))
            for reason in Reason
        },
    }
    return (
        _in_period(PageFeedback.objects.all(), period)
        .values("page_id", "page__title", "locale__language_code")
        .annotate(**aggregates)
        .order_by("-count", "page__title", "page_id")
    )


def summary_from_row(row: dict) -> PageSummary:
    return PageSummary(
        page_id=row["page_id"],
        title=row["page__title"],
        language=row["locale__language_code"],
        count=row["count"],
        average=round(row["average"] or 0, 2),
        distribution=[row[f"rating_{value}"] for value in RATINGS],
        reasons={reason.value: row[f"reason_{reason.value}"] for reason in Reason},
    )


def feedback_responses(*, period: Period) -> Iterator[tuple]:
    """Every answer in the period, newest first, as (sent at, page id, page
    title, language, rating, follow-up answer, comment): one query, streamed."""
    rows = (
        _in_period(PageFeedback.objects.all(), period)
        .order_by("-created_at", "-pk")
        .values_list(
            "created_at",
            "page_id",
            "page__title",
            "locale__language_code",
            "rating",
            "reason",
            "comment",
        )
    )
    for created_at, page_id, title, language, rating, reason, comment in rows.iterator(
        chunk_size=2000
    ):
        label = Reason(reason).label if reason else ""
        yield (
            timezone.localtime(created_at),
            page_id,
            title,
            language,
            rating,
            label,
            comment,
        )
