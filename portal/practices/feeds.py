"""RSS and Atom feeds of the newest good practices of one index."""

from django.utils.translation import gettext as _

from portal.feeds import FEED_SIZE, AtomMixin, PageRssFeed

from .selectors import practice_list_visible


class PracticeRssFeed(PageRssFeed):
    def title(self):
        return _("Esplora Lavoro – good practices")

    def description(self):
        return self.index_page.summary or _("The newest good practices.")

    def items(self):
        return practice_list_visible(index_page=self.index_page).order_by(
            "-first_published_at"
        )[:FEED_SIZE]


class PracticeAtomFeed(AtomMixin, PracticeRssFeed):
    pass
