"""Base RSS/Atom feed for the pages under one index page."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

FEED_SIZE = 30


class PageRssFeed(Feed):
    """Subclasses give ``title``, ``description`` and ``items`` (a page queryset
    from the app's selectors, so a feed shows exactly what the pages show)."""

    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def link(self):
        return self.index_page.get_url(self.request)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at


class AtomMixin:
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()
