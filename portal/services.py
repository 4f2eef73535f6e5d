"""Writes on the portal's pages that more than one caller needs."""

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

logger = logging.getLogger(__name__)


class MissingStringsError(ValueError):
    """Raised when a translation leaves source strings untranslated."""


@transaction.atomic
def page_translate(
    *, page: Page, language_code: str, strings: dict[str, str], slug: str = ""
) -> Page:
    """Translate ``page`` into ``language_code`` with wagtail-localize and publish it.

    ``strings`` maps each translatable source string of the page (title, summary,
    each paragraph, ...) to its translation. The translation is recorded in
    wagtail-localize, so editors see it, keep it in sync and edit it in the admin
    like any other. The slug is ``slug`` or, by default, the translated title
    slugified. Every other source string must be translated: a missing one raises
    ``MissingStringsError`` naming it, rather than publishing a half-Italian page.
    """
    locale = Locale.objects.get(language_code=language_code)
    source, _created = TranslationSource.get_or_create_from_instance(page)
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    strings = {
        **strings,
        page.slug: slug or slugify(strings.get(page.title, page.slug)),
    }
    missing = []
    segments = StringSegment.objects.filter(source=source).select_related(
        "string", "context"
    )
    for segment in segments:
        text = strings.get(segment.string.data)
        if text is None:
            missing.append(segment.string.data)
            continue
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={
                "data": text,
                "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
            },
        )
    if missing:
        raise MissingStringsError(f"Untranslated strings: {missing!r}")
    # Save a draft and publish it here rather than through wagtail-localize's
    # publish=True, which defers publishing to the end of the outermost transaction
    # and then writes back a stale copy of the page's tree fields.
    translation.save_target(publish=False)
    translated = page.get_translation(locale)
    translated.get_latest_revision().publish()
    return translated


def site_url() -> str:
    """The portal's public address, without the trailing slash: ``PORTAL_BASE_URL``.

    The one source of the scheme and host of every absolute URL the portal writes
    into emails, feeds, open data and structured data.
    """
    return settings.PORTAL_BASE_URL.rstrip("/")


def absolute_url(url: str) -> str:
    """``url`` made absolute on the portal's address when it is a path."""
    return site_url() + url if url.startswith("/") else url


@dataclass(frozen=True)
class PortalSite:
    """The portal as named in emails (allauth's ``current_site``)."""

    name: str
    domain: str


def portal_site() -> PortalSite:
    return PortalSite(
        name=settings.WAGTAIL_SITE_NAME,
        domain=urlsplit(site_url()).netloc,
    )


def site_sync() -> Site | None:
    """Point the default Wagtail Site at ``PORTAL_BASE_URL``.

    Wagtail builds full page URLs (sitemap, ``get_full_url``) from the Site record,
    so it must say what the setting says. Returns the Site, or None before one
    exists (an empty database).
    """
    parts = urlsplit(site_url())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"PORTAL_BASE_URL is not an http(s) address: {site_url()!r}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None
    if (site.hostname, site.port) != (parts.hostname, port):
        site.hostname = parts.hostname
        site.port = port
        site.save(update_fields=["hostname", "port"])
        logger.info("Default site %s now at %s", site.pk, site.root_url)
    return site
