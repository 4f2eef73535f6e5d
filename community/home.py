"""What the community shows on the home page: its public discussions with the
latest activity (never a private group's)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.home import HomeSection

from .selectors import thread_list_public_active


def _threads(*, locale_id: int, limit: int):
    # Discussions have no language of their own: the same on both homes.
    return thread_list_public_active(limit=limit)


HOME_SECTIONS = [
    HomeSection(
        key="discussions",
        title=_("Active discussions"),
        more_label=_("All community groups"),
        template="portal/home/discussions.html",
        items=_threads,
        limit=4,
        order=50,
        index_url=lambda: reverse("community:group_list"),
    )
]
