"""The portal's one ``/sitemap.xml``: Wagtail's pages plus what each app
declares in its own ``sitemaps.py`` (a ``SITEMAPS`` dict), found at start-up
the way Django finds ``admin.py``; the portal imports no app for it.

Entries are written on the public address (``PORTAL_BASE_URL``), never on the
Host header of the request that asked.
"""

from importlib import import_module
from urllib.parse import urlsplit

from django.apps import apps
from django.contrib.sitemaps import Sitemap
from django.utils.module_loading import module_has_submodule
from wagtail.contrib.sitemaps import Sitemap as PageSitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from .services import site_url


class PortalSitemap(Sitemap):
    """Base of an app's sitemap: addresses on the portal's public address."""

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(site_url()).scheme

    def get_domain(self, site=None) -> str:
        return urlsplit(site_url()).netloc


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
        request, sitemaps={"pages": PageSitemap, **declared_sitemaps()}
    )
