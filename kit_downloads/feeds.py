"""RSS feed of a product's releases (public, like the release notes)."""

from django.contrib.syndication.views import Feed
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from . import selectors


class ReleaseFeed(Feed):
    def get_object(self, request, product):
        self.request = request
        return product

    def title(self, product):
        return _("%(product)s releases") % {"product": product.title}

    def link(self, product):
        return product.get_url(self.request)

    def description(self, product):
        return product.summary or strip_tags(product.description)[:300]

    def items(self, product):
        return selectors.release_list_for_product(product=product)[:20]

    def item_title(self, release):
        title = f"{release.get_parent().title} {release.version}"
        if release.is_security:
            title += " – " + _("security release")
        return title

    def item_description(self, release):
        return strip_tags(release.summary or release.changelog)[:1000]

    def item_link(self, release):
        return release.get_url(self.request)

    def item_pubdate(self, release):
        return release.first_published_at
