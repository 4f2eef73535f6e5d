"""schema.org metadata (JSON-LD) for detail pages."""

import json

from django.utils.safestring import SafeString, mark_safe

_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld(data: dict) -> SafeString:
    """Serialise ``data`` for a <script type="application/ld+json"> element.

    <, > and & are escaped so that text from editors cannot close the element.
    """
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_ESCAPES))  # noqa: S308


_LOCALE_CODES: dict[int, str] = {}


def _language_code(locale_id: int) -> str:
    """A locale's language code without a query per page: the few locales are
    read once per process, and again when an unknown one appears."""
    if locale_id not in _LOCALE_CODES:
        from wagtail.models import Locale

        _LOCALE_CODES.update(Locale.objects.values_list("pk", "language_code"))
    return _LOCALE_CODES[locale_id]


def page_json_ld(page, request, *, type_: str, **extra) -> SafeString:
    data = {
        "@context": "https://schema.org",
        "@type": type_,
        "name": page.title,
        "url": page.get_full_url(request),
        "inLanguage": _language_code(page.locale_id),
    }
    if getattr(page, "summary", ""):
        data["description"] = page.summary
    if page.first_published_at:
        data["datePublished"] = page.first_published_at.date().isoformat()
    if page.last_published_at:
        data["dateModified"] = page.last_published_at.date().isoformat()
    data.update({key: value for key, value in extra.items() if value})
    return json_ld(data)
