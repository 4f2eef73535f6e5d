"""What the kit shows on the home page: its latest release, public facts only
(version, date, maturity, notes' summary); its files stay behind the release
page's own checks."""

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from portal.home import CARD_FIELDS, HomeSection, visible

from .models import KitReleasePage


def release_list_latest(*, locale_id: int, limit: int) -> list[KitReleasePage]:
    """The ``limit`` releases of any product most recently released in this
    language (live, public), with their product's title. One query."""
    product_title = Page.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen)
    ).values("title")[:1]
    return list(
        visible(KitReleasePage.objects.all(), locale_id=locale_id)
        .defer_streamfields()
        .only(
            *CARD_FIELDS,
            "summary",
            "version",
            "release_date",
            "maturity",
            "is_security",
        )
        .annotate(product_title=Subquery(product_title))
        .order_by("-release_date", "-pk")[:limit]
    )


HOME_SECTIONS = [
    HomeSection(
        key="kit",
        title=_("Latest kit release"),
        more_label=_("Go to the kit"),
        template="portal/home/kit.html",
        items=release_list_latest,
        limit=1,
        order=40,
    )
]
