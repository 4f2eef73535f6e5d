"""What good practices show on the home page: the latest published."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from portal.home import CARD_FIELDS, HomeSection, visible

from .models import GoodPracticePage


def practice_list_latest(*, locale_id: int, limit: int) -> list[GoodPracticePage]:
    """The ``limit`` practices published most recently in this language (live,
    public; drafts never). One query."""
    return list(
        visible(GoodPracticePage.objects.all(), locale_id=locale_id)
        .defer_streamfields()
        .only(*CARD_FIELDS, "summary", "first_published_at")
        .order_by(F("first_published_at").desc(nulls_last=True), "-pk")[:limit]
    )


HOME_SECTIONS = [
    HomeSection(
        key="practices",
        title=_("Latest good practices"),
        more_label=_("All good practices"),
        template="portal/home/practices.html",
        items=practice_list_latest,
        limit=3,
        order=10,
    )
]
