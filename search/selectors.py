"""What a visitor may find: live, public pages in the active language."""

from django.utils import translation
from wagtail.models import Locale, Page

from .query import query_terms


def page_search(*, query: str):
    """Search live public pages of the current language with the configured backend.

    Returns an empty result when the query has no words left once operators and
    punctuation are removed.
    """
    terms = query_terms(query)
    if not terms:
        return Page.objects.none()
    pages = Page.objects.live().public().filter(depth__gt=1)
    locale = Locale.objects.filter(language_code=translation.get_language()).first()
    if locale is not None:
        pages = pages.filter(locale=locale)
    return pages.search(" ".join(terms), operator="and")
