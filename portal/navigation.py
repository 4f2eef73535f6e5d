"""The header menu and footer links, built from the page tree and cached.

Building them needs a few queries; serving them from the cache needs none. The
cache is versioned: any publish, unpublish, move or delete of a page, or a change
of the portal settings, bumps the version (see signals.py), so no stale menu
outlives an edit.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from wagtail.models import Locale, Page, Site

_VERSION_KEY = "portal:navigation:version"


@dataclass(frozen=True)
class NavLink:
    title: str
    url: str


@dataclass(frozen=True)
class Navigation:
    home_url: str
    menu: tuple[NavLink, ...]
    footer: tuple[NavLink, ...]


def navigation_invalidate() -> None:
    """Make every cached navigation stale (called on page and settings changes)."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 2, None)


def _build(site: Site, language: str) -> Navigation:
    from .models import PortalSettings

    locale = Locale.objects.filter(language_code=language).first()
    root = site.root_page
    if locale and root.locale_id != locale.pk:
        root = root.get_translation_or_none(locale) or root
    menu = tuple(
        NavLink(title=page.title, url=page.get_url())
        for page in root.get_children().live().public().in_menu()
    )
    footer: list[NavLink] = []
    portal_settings = PortalSettings.for_site(site)
    for page_id in (
        portal_settings.accessibility_page_id,
        portal_settings.privacy_page_id,
    ):
        if not page_id:
            continue
        page = Page.objects.filter(pk=page_id).live().first()
        if page is None:
            continue
        if locale:
            page = page.get_translation_or_none(locale) or page
        footer.append(NavLink(title=page.title, url=page.get_url()))
    return Navigation(home_url=root.get_url() or "/", menu=menu, footer=tuple(footer))


def navigation_for_request(request) -> Navigation | None:
    """The navigation for the request's site and language, cached."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    language = translation.get_language() or settings.LANGUAGE_CODE
    version = cache.get_or_set(_VERSION_KEY, 1, None)
    key = f"portal:navigation:{version}:{site.pk}:{language}"
    navigation = cache.get(key)
    if navigation is None:
        navigation = _build(site, language)
        cache.set(key, navigation, settings.PORTAL_NAVIGATION_CACHE_SECONDS)
    return navigation
