"""English versions of demo pages, made once through wagtail-localize."""

from wagtail.models import Page

from portal.services import page_translate


def translate_once(page: Page | None, strings: dict[str, str]) -> Page | None:
    """Translate ``page`` into English with ``strings`` (Italian -> English) unless
    it already has an English version; return the English page."""
    if page is None:
        return None
    existing = page.get_translations().filter(locale__language_code="en").first()
    if existing is not None:
        return existing.specific
    return page_translate(page=page, language_code="en", strings=strings)
