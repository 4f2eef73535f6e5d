"""RSS feed of the sent issues, in the archive's language."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.feeds import FEED_SIZE, PageRssFeed

from .selectors import issues_sent


class IssueRssFeed(PageRssFeed):
    def title(self):
        return _("Esplora Lavoro – newsletter")

    def description(self):
        return self.index_page.summary or _("The issues of the newsletter.")

    def items(self):
        return issues_sent(locale=self.index_page.locale)[:FEED_SIZE]

    def item_pubdate(self, item):
        return timezone.make_aware(dt.datetime.combine(item.date, dt.time(9)))
