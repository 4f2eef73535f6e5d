"""RSS feed of the upcoming seminars of one index."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from portal.feeds import FEED_SIZE, PageRssFeed

from .selectors import seminar_upcoming


class SeminarRssFeed(PageRssFeed):
    def title(self):
        return _("Esplora Lavoro – seminars")

    def description(self):
        return self.index_page.summary or _("Upcoming seminars and meetings.")

    def items(self):
        return seminar_upcoming(index_page=self.index_page)[:FEED_SIZE]

    def item_description(self, item):
        when = formats.date_format(timezone.localtime(item.start), "DATETIME_FORMAT")
        return f"{when} – {item.summary}"
