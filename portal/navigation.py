"""The header menu and footer links, built from the page tree and cached.

Building them needs a few queries; serving them from the cache needs none. The
footer links are the pages chosen in the portal settings (accessibility
statement, privacy) and the pages whose type declares ``footer_order`` (the
accessibility statement, legal notes, contacts), each in the visitor's language
when translated. The cache is versioned: any publish, unpublish, move or delete
of a page, or a change of the portal settings, bumps the version (see
signals.py), so no stale menu outlives an edit.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from wagtail.models import Locale, Page, Site, get_page_models

from .routing import site_for_request, tree_changed, tree_version


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
    """Make every cached navigation stale (called on page and settings changes);
    the routes and language links cached from the tree go with it."""
    tree_changed()


def _footer_models() -> list[type[Page]]:
    """Page types that declare a place in the footer (``footer_order``), such
    as the legal notes and the contacts page, in that order."""
    models = [model for model in get_page_models() if hasattr(model, "footer_order")]
    return sorted(models, key=lambda model: model.footer_order)


def _footer_pages(site: Site) -> list[Page]:
    """The live pages of those types in the site (its default language's tree),
    one per type, in footer order."""
    models = _footer_models()
    if not models:
        return []
    pages = Page.objects.type(*models).descendant_of(site.root_page).live().public()
    first: dict[type, Page] = {}
    for page in pages.order_by("path"):
        first.setdefault(page.specific_class, page)
    return [first[model] for model in models if model in first]


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
    seen: set[int] = set()

    def add(page: Page | None) -> None:
        if page is None:
            return
        if locale and page.locale_id != locale.pk:
            translated = page.get_translation_or_none(locale)
            if translated is not None and translated.live:
                page = translated
        if page.pk in seen:
            return
        seen.add(page.pk)
        footer.append(NavLink(title=page.title, url=page.get_url()))

    portal_settings = PortalSettings.for_site(site)
    for page_id in (
        portal_settings.accessibility_page_id,
        portal_settings.privacy_page_id,
    ):
        if page_id:
            add(Page.objects.filter(pk=page_id).live().first())
    for page in _footer_pages(site):
        add(page)
    return Navigation(home_url=root.get_url() or "/", menu=menu, footer=tuple(footer))


def navigation_for_request(request) -> Navigation | None:
    """The navigation for the request's site and language, cached."""
    site = site_for_request(request)
    if site is None:
        return None
    language = translation.get_language() or settings.LANGUAGE_CODE
    version = tree_version()
    key = f"portal:navigation:{version}:{site.pk}:{language}"
    navigation = cache.get(key)
    if navigation is None:
        navigation = _build(site, language)
        cache.set(key, navigation, settings.PORTAL_NAVIGATION_CACHE_SECONDS)
    return navigation


def nearest_translations(page: Page, request) -> dict[str, tuple[int, str, str]]:
    """For each language, the live version of ``page`` or of its nearest
    translated ancestor: ``{code: (depth, url, title)}``, the depth telling
    which. One query (the live translations of the page and of its ancestors),
    cached until the tree changes, like the navigation."""
    site = site_for_request(request) if request is not None else None
    version = tree_version()
    key = f"portal:translations:{version}:{site.pk if site else 0}:{page.pk}"
    nearest = cache.get(key)
    if nearest is not None:
        return nearest
    steps = page.steplen
    paths = [page.path[:end] for end in range(steps, len(page.path) + 1, steps)]
    keys = Page.objects.filter(path__in=paths).values("translation_key")
    found = list(
        Page.objects.filter(translation_key__in=keys)
        .live()
        .select_related("locale")
        .order_by("depth")
    )
    # The source pages (the page and its ancestors) give each key its depth.
    depth_of = {c.translation_key: c.depth for c in found if c.path in paths}
    depth_of.setdefault(page.translation_key, page.depth)
    best: dict[str, tuple[int, Page]] = {}
    for candidate in found:
        depth = depth_of.get(candidate.translation_key, 0)
        code = candidate.locale.language_code
        if code not in best or depth > best[code][0]:
            best[code] = (depth, candidate)
    nearest = {}
    for code, (depth, translated) in best.items():
        url = translated.get_url(request)
        if url is not None:
            nearest[code] = (depth, url, translated.title)
    cache.set(key, nearest, settings.PORTAL_NAVIGATION_CACHE_SECONDS)
    return nearest
