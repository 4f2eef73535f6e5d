"""What seminars show on the home page: the next ones."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.home import CARD_FIELDS, HomeSection, visible

from .models import SeminarPage


def seminar_list_next(*, locale_id: int, limit: int, now=None) -> list[SeminarPage]:
    """The ``limit`` seminars that start from now on in this language, soonest
    first (live, public). One query."""
    now = now or timezone.now()
    return list(
        visible(SeminarPage.objects.all(), locale_id=locale_id)
        .filter(start__gte=now)
        .defer_streamfields()
        .only(*CARD_FIELDS, "summary", "kind", "start", "end", "is_online", "venue")
        .order_by("start", "pk")[:limit]
    )


HOME_SECTIONS = [
    HomeSection(
        key="seminars",
        title=_("Upcoming seminars"),
        more_label=_("All seminars"),
        template="portal/home/seminars.html",
        items=seminar_list_next,
        limit=3,
        order=20,
    )
]
