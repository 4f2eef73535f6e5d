"""RSS feed of the observatories' newest publications."""

from django.utils.translation import gettext as _

from portal.feeds import FEED_SIZE, PageRssFeed

from .selectors import publication_list_visible


class PublicationRssFeed(PageRssFeed):
    def title(self):
        return _("Esplora Lavoro – observatories' publications")

    def description(self):
        return _("Surveys, notes and reports of the labour-market observatories.")

    def items(self):
        return publication_list_visible(index_page=self.index_page).order_by(
            "-date", "-pk"
        )[:FEED_SIZE]
