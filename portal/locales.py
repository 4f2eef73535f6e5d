"""Wagtail locales without a query per page: the few locales are read once per
process, and again whenever an id not seen yet appears (a locale added since)."""

from wagtail.models import Locale

_CODES: dict[int, str] = {}


def language_code_of(locale_id: int) -> str:
    """The language code of a locale id (a page's ``locale_id``)."""
    if locale_id not in _CODES:
        _CODES.update(Locale.objects.values_list("pk", "language_code"))
    return _CODES[locale_id]
