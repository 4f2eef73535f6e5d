"""What the job-desk directory would add to the sitemap.

The portal's ``/sitemap.xml`` is Wagtail's, which lists pages only, and no app
declares other entries yet: when ``portal/urls.py`` combines sitemaps (Wagtail's
view takes a ``sitemaps`` dict), this is the directory's declaration.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Sportello
from .selectors import PUBLIC


class SportelloSitemap(Sitemap):
    """The directory page and every public desk."""

    changefreq = "weekly"

    def items(self):
        return ["directory", *Sportello.objects.filter(PUBLIC).order_by("pk")]

    def location(self, item) -> str:
        if item == "directory":
            return reverse("sportelli:directory")
        return item.get_absolute_url()

    def lastmod(self, item):
        return None if item == "directory" else item.updated_at


SITEMAPS = {"sportelli": SportelloSitemap}
