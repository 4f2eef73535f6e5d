"""What the newsletter shows on the home page: its last issue."""

from django.utils.translation import gettext_lazy as _

from portal.home import CARD_FIELDS, HomeSection, visible

from .models import NewsletterIssuePage


def issue_list_last(*, locale_id: int, limit: int) -> list[NewsletterIssuePage]:
    """The last ``limit`` issues published in this language, by issue date (live,
    public). One query."""
    return list(
        visible(NewsletterIssuePage.objects.all(), locale_id=locale_id)
        .defer_streamfields()
        .only(*CARD_FIELDS, "summary", "date")
        .order_by("-date", "-pk")[:limit]
    )


HOME_SECTIONS = [
    HomeSection(
        key="newsletter",
        title=_("Latest newsletter"),
        more_label=_("All newsletter issues"),
        template="portal/home/newsletter.html",
        items=issue_list_last,
        limit=1,
        order=30,
    )
]
