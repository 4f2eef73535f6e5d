"""What the job-desk directory adds to the portal's ``/sitemap.xml``
(``portal.sitemaps`` reads ``SITEMAPS``): the directory and every public desk,
the job board and every live public vacancy, in each language, with the other
language as an alternate."""

from django.urls import reverse

from portal.sitemaps import PortalSitemap

from .models import Sportello, Vacancy
from .selectors import PUBLIC, vacancy_public_q


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


class VacancySitemap(PortalSitemap):
    """The job board and every live public vacancy (the board's own rule)."""

    changefreq = "daily"
    i18n = True
    alternates = True

    def items(self):
        vacancies = Vacancy.objects.filter(vacancy_public_q()).order_by("pk")
        return ["board", *vacancies.only("pk", "updated_at")]

    def location(self, item) -> str:
        if item == "board":
            return reverse("sportelli:vacancies")
        return item.get_absolute_url()

    def lastmod(self, item):
        return None if item == "board" else item.updated_at


SITEMAPS = {"sportelli": SportelloSitemap, "sportelli_vacancies": VacancySitemap}
