"""The portal's one ``/sitemap.xml``: Wagtail's pages plus what each app
declares in its own ``sitemaps.py`` (a ``SITEMAPS`` dict), found at start-up
the way Django finds ``admin.py``; the portal imports no app for it.

Entries are written on the public address (``PORTAL_BASE_URL``), never on the
Host header of the request that asked.
"""

from collections import defaultdict
from importlib import import_module
from urllib.parse import urlsplit

from django.apps import apps
from django.contrib.sitemaps import Sitemap
from django.db.models import Q
from django.utils.module_loading import module_has_submodule
from wagtail.contrib.sitemaps import Sitemap as PageSitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Page

from .services import site_url


class PortalSitemap(Sitemap):
    """Base of an app's sitemap: addresses on the portal's public address."""

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(site_url()).scheme

    def get_domain(self, site=None) -> str:
        return urlsplit(site_url()).netloc


class PagesSitemap(PageSitemap):
    """Wagtail's pages in every language (the site's home and its translations,
    with what is under them), each with its translations as ``xhtml:link``
    alternates, as the apps' i18n sitemaps write theirs."""

    def items(self):
        root = self.get_wagtail_site().root_page
        homes = root.get_translations(inclusive=True).values_list("path", flat=True)
        under_a_home = Q()
        for path in homes:
            under_a_home |= Q(path__startswith=path)
        return (
            Page.objects.filter(under_a_home)
            .live()
            .public()
            .select_related("locale")
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page, protocol, domain):
        entries = []
        last_mods = set()
        versions: dict = defaultdict(list)
        for item in self.paginator.page(page).object_list.iterator():
            for url_info in item.get_sitemap_urls(self.request):
                entries.append((item, url_info))
                last_mods.add(url_info.get("lastmod"))
                versions[item.translation_key].append(
                    {
                        "location": url_info["location"],
                        "lang_code": item.locale.language_code,
                    }
                )
        urls = []
        for item, url_info in entries:
            found = versions[item.translation_key]
            urls.append({**url_info, "alternates": found if len(found) > 1 else []})
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls


def declared_sitemaps() -> dict[str, type[Sitemap]]:
    """Every installed app's ``sitemaps.SITEMAPS``, by name."""
    found: dict[str, type[Sitemap]] = {}
    for config in apps.get_app_configs():
        if config.name == "portal" or not module_has_submodule(
            config.module, "sitemaps"
        ):
            continue
        found.update(getattr(import_module(f"{config.name}.sitemaps"), "SITEMAPS", {}))
    return found


def sitemap(request):
    """``/sitemap.xml``: the pages, then each app's declared entries."""
    return wagtail_sitemap(
        request, sitemaps={"pages": PagesSitemap, **declared_sitemaps()}
    )
