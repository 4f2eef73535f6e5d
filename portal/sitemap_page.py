"""The site map for people (``/mappa-del-sito/``), linked from the footer; the
XML ``/sitemap.xml`` stays for search engines (portal/sitemaps.py).

It lists the sections of the page tree in the visitor's language (the home
page's live, public children) and, under each, its sub-sections: the pages that
have pages below them or are plain pages (section and standard pages), not every
practice, seminar or release. Then the parts of the portal that are not pages
(community, job desks directory, newsletter, search). Two queries.
"""

from dataclasses import dataclass, field

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from wagtail.models import Locale, Page, Site

# The parts of the portal served by apps rather than pages: (URL name, label).
APP_SECTIONS = (
    ("community:group_list", _("Community")),
    ("sportelli:directory", _("Job desks directory")),
    ("newsletters:subscribe", _("Subscribe to the newsletter")),
    ("search:search", _("Search")),
)


@dataclass
class Entry:
    title: str
    url: str
    children: list["Entry"] = field(default_factory=list)


def _is_sub_section(page: Page) -> bool:
    from portal.models import SectionPage, StandardPage

    return page.numchild > 0 or issubclass(
        page.specific_class or Page, (SectionPage, StandardPage)
    )


def site_map_entries(request) -> tuple[Entry | None, list[Entry], list[Entry]]:
    """The home page, its sections with their sub-sections, and the apps'
    sections, for the active language."""
    site = Site.find_for_request(request)
    if site is None:
        return None, [], []
    root = site.root_page
    locale = Locale.get_active()
    if root.locale_id != locale.pk:
        root = root.get_translation_or_none(locale) or root
    home = Entry(title=root.title, url=root.get_url(request) or "/")
    pages = (
        Page.objects.descendant_of(root)
        .filter(depth__in=(root.depth + 1, root.depth + 2))
        .live()
        .public()
        .order_by("path")
    )
    sections: list[Entry] = []
    by_path: dict[str, Entry] = {}
    for page in pages:
        url = page.get_url(request)
        if not url:
            continue
        entry = Entry(title=page.title, url=url)
        if page.depth == root.depth + 1:
            sections.append(entry)
            by_path[page.path] = entry
        elif _is_sub_section(page):
            parent = by_path.get(page.path[: -Page.steplen])
            if parent is not None:
                parent.children.append(entry)
    known = {entry.url for entry in sections}
    apps: list[Entry] = []
    for name, label in APP_SECTIONS:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        if url not in known:
            apps.append(Entry(title=str(label), url=url))
    return home, sections, apps


@require_safe
def site_map(request):
    home, sections, apps = site_map_entries(request)
    return render(
        request,
        "portal/site_map.html",
        {"home": home, "sections": sections, "apps": apps},
    )
