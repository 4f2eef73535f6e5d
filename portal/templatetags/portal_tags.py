"""Template tags for the base layout: navigation, breadcrumbs, language links."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from wagtail.models import Page

from portal.navigation import navigation_for_request, nearest_translations
from portal.services import absolute_url

register = template.Library()


@register.filter
def absolute(url: str) -> str:
    """A path made absolute on the portal's public address (PORTAL_BASE_URL)."""
    return absolute_url(url or "")


@register.simple_tag(takes_context=True)
def portal_navigation(context):
    request = context.get("request")
    if request is None:
        return None
    return navigation_for_request(request)


def _live_ancestors(page: Page) -> list[Page]:
    """The live ancestors of ``page`` below the tree's root, in one query shared
    by the page title and the breadcrumbs."""
    cached = getattr(page, "_portal_live_ancestors", None)
    if cached is None:
        cached = list(page.get_ancestors().filter(depth__gte=2).live())
        page._portal_live_ancestors = cached
    return cached


@register.simple_tag
def page_title(page) -> str:
    """The ``<title>`` of a page: its SEO title or title, followed by its kind
    when its parent has the same title, so no two pages share one (a "Kit
    SILLA" section holding the "Kit SILLA" product)."""
    if not isinstance(page, Page):
        return ""
    title = page.seo_title or page.title
    if page.depth > 2:
        ancestors = _live_ancestors(page)
        if ancestors and ancestors[-1].title == page.title:
            kind = capfirst(page.specific_class._meta.verbose_name)
            title = f"{title} – {kind}"
    return title


@register.simple_tag(takes_context=True)
def breadcrumbs(context, page):
    """The live ancestors of ``page`` below the locale's root, in one query.

    Of two successive levels with the same title (a section and the one product
    it holds, both "Kit SILLA"), only the deeper one is shown, so the trail
    never reads "Kit SILLA / Kit SILLA".
    """
    if not isinstance(page, Page) or page.depth <= 2:
        return []
    request = context.get("request")
    ancestors = _live_ancestors(page)
    titles = [ancestor.title for ancestor in ancestors] + [page.title]
    return [
        {"title": ancestor.title, "url": ancestor.get_url(request)}
        for index, ancestor in enumerate(ancestors)
        if ancestor.title != titles[index + 1]
    ]


@register.simple_tag(takes_context=True)
def language_links(context, page=None):
    """Where each language's version of this page is, for the switcher and hreflang.

    For a Wagtail page, its live translations; a language without one points at
    the nearest ancestor translated into it (at worst that language's home page)
    and says so in the link's name. For any other view, Django's translated URL.
    The translations are cached with the navigation (``nearest_translations``).
    """
    request = context.get("request")
    current = translation.get_language()
    links = []
    is_page = isinstance(page, Page) and bool(page.pk)
    nearest = nearest_translations(page, request) if is_page else {}
    for code, name in settings.LANGUAGES:
        label = name
        if is_page:
            depth, url, title = nearest.get(code, (0, None, None))
            exists = url is not None and depth == page.depth
            if url is None:
                url = "/" if code == settings.LANGUAGE_CODE else f"/{code}/"
            if not exists and code != current:
                with translation.override(code):
                    label = gettext("%(language)s version not available: %(page)s") % {
                        "language": translation.get_language_info(code)["name_local"],
                        "page": title if title is not None else gettext("home page"),
                    }
        else:
            url = translate_url(request.get_full_path(), code) if request else "/"
            exists = True
        links.append(
            {
                "code": code,
                "name": label,
                "url": url,
                "current": code == current,
                "exists": exists,
            }
        )
    return links


@register.filter
def is_active_for(url: str, path: str) -> bool:
    """Whether a menu link is the current section (or an ancestor of the page)."""
    return bool(url) and url not in ("/", "/en/") and path.startswith(url)


@register.simple_tag
def form_widget(bound_field):
    """Render a form field's widget with Bootstrap Italia classes and ARIA links.

    The input is tied to its error and help texts by ``aria-describedby`` and
    marked ``aria-invalid`` when it has errors.
    """
    widget_type = bound_field.widget_type
    css = "form-check-input" if widget_type in ("checkbox", "radio") else "form-control"
    if widget_type == "select":
        css = "form-select"
    attrs = {"class": css}
    described_by = []
    if bound_field.errors:
        attrs["class"] += " is-invalid"
        attrs["aria-invalid"] = "true"
        described_by.append(f"{bound_field.auto_id}-errors")
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}-help")
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return bound_field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def error_title_prefix(context) -> str:
    """``"Error: "`` before the page title after a submit (a POST) that a form
    on the page refused, so the failure is announced first (WCAG 3.3.1).
    Filter forms sent by GET ignore values they do not know: no error."""
    from portal.templatetags.a11y_tags import context_has_form_errors

    request = context.get("request")
    if request is None or request.method != "POST":
        return ""
    return gettext("Error: ") if context_has_form_errors(context) else ""
