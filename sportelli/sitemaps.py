"""What the job-desk directory adds to the portal's ``/sitemap.xml``
(``portal.sitemaps`` reads ``SITEMAPS``): the directory and every public desk,
in each language, with the other language as an alternate."""

from django.urls import reverse

from portal.sitemaps import PortalSitemap

from .models import Sportello
from .selectors import PUBLIC


class SportelloSitemap(PortalSitemap):
    """The directory page and every public desk."""

    changefreq = "weekly"
    i18n = True
    alternates = True

    def items(self):
        return ["directory", *Sportello.objects.filter(PUBLIC).order_by("pk")]

    def location(self, item) -> str:
        if item == "directory":
            return reverse("sportelli:directory")
        return item.get_absolute_url()

    def lastmod(self, item):
        return None if item == "directory" else item.updated_at


SITEMAPS = {"sportelli": SportelloSitemap}
