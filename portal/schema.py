"""schema.org metadata (JSON-LD) for detail pages."""

import json

from django.utils.safestring import SafeString, mark_safe

from portal.locales import language_code_of

_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld(data: dict) -> SafeString:
    """Serialise ``data`` for a <script type="application/ld+json"> element.

    <, > and & are escaped so that text from editors cannot close the element.
    """
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_ESCAPES))  # noqa: S308


def page_json_ld(page, request, *, type_: str, **extra) -> SafeString:
    data = {
        "@context": "https://schema.org",
        "@type": type_,
        "name": page.title,
        "url": page.get_full_url(request),
        "inLanguage": language_code_of(page.locale_id),
    }
    if getattr(page, "summary", ""):
        data["description"] = page.summary
    if page.first_published_at:
        data["datePublished"] = page.first_published_at.date().isoformat()
    if page.last_published_at:
        data["dateModified"] = page.last_published_at.date().isoformat()
    data.update({key: value for key, value in extra.items() if value})
    return json_ld(data)
