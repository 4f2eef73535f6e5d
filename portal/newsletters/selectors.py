"""Reads for newsletters: the public archive and the sending figures."""

from django.db.models import Count, Q
from wagtail.models import Locale

from .models import Delivery, Dispatch, NewsletterIssuePage, Subscriber


def issues_sent(*, locale: Locale):
    """Live, public issues in ``locale`` whose sending has started, newest first
    (the archive and its feed)."""
    return (
        NewsletterIssuePage.objects.live()
        .public()
        .filter(
            locale=locale,
            translation_key__in=Dispatch.objects.values("translation_key"),
        )
        .order_by("-date", "-pk")
    )


def dispatch_for_issue(*, issue) -> Dispatch | None:
    return Dispatch.objects.filter(translation_key=issue.translation_key).first()


def dispatch_stats(*, dispatch: Dispatch) -> dict[str, int]:
    """Deliveries of ``dispatch`` by status, plus ``retrying`` (failed, will be
    tried again) and ``total``."""
    statuses = Delivery.Status
    counts = dispatch.deliveries.aggregate(
        total=Count("pk"),
        retrying=Count(
            "pk", filter=Q(status=statuses.FAILED, next_attempt_at__isnull=False)
        ),
        **{
            status.value: Count("pk", filter=Q(status=status.value))
            for status in statuses
        },
    )
    return counts


def failed_deliveries(*, dispatch: Dispatch):
    return (
        dispatch.deliveries.filter(status=Delivery.Status.FAILED)
        .select_related("subscriber")
        .order_by("pk")
    )


def active_subscribers_by_language() -> dict[str, int]:
    rows = (
        Subscriber.objects.filter(status=Subscriber.Status.ACTIVE)
        .values("language")
        .annotate(count=Count("pk"))
        .order_by("language")
    )
    return {row["language"]: row["count"] for row in rows}


def issue_languages(*, issue) -> list[str]:
    """Languages the issue is live in."""
    return sorted(
        issue.get_translations(inclusive=True)
        .live()
        .values_list("locale__language_code", flat=True)
    )
