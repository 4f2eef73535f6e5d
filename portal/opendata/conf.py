"""Open-data settings, read when used (never at import time).

- The licence of every dataset the portal publishes: the one the editors
  choose in the portal settings (``PortalSettings.open_data_licence``), else
  ``OPEN_DATA_LICENCE`` (``(name, url)``), else CC BY 4.0. The choice is read
  once and cached until the settings change (``licence_invalidate``).
- ``OPEN_DATA_PUBLISHER``: ``(name, IPA code)`` of the administration that
  publishes the data (the IPA code is a placeholder until the owner is known).
- ``OPEN_DATA_CONTACT_EMAIL``: where reusers write (default ``DEFAULT_FROM_EMAIL``).
"""

from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

CC_BY_4 = ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
# The licences an editor may choose, by SPDX identifier.
LICENCES = {
    "CC-BY-4.0": CC_BY_4,
    "CC-BY-SA-4.0": (
        "CC BY-SA 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    "CC0-1.0": ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "IODL-2.0": ("IODL 2.0", "https://www.dati.gov.it/iodl/2.0/"),
}
OPEN_DATA_LICENCE_CHOICES = [
    ("CC-BY-4.0", _("Creative Commons Attribution 4.0 (CC BY 4.0)")),
    ("CC-BY-SA-4.0", _("Creative Commons Attribution-ShareAlike 4.0 (CC BY-SA 4.0)")),
    ("CC0-1.0", _("Public domain dedication (CC0 1.0)")),
    ("IODL-2.0", _("Italian Open Data License 2.0 (IODL 2.0)")),
]
_CHOICE_KEY = "portal:opendata:licence"
DEFAULT_PUBLISHER = ("FormezPA", "formez")


@dataclass(frozen=True)
class Licence:
    name: str
    url: str


@dataclass(frozen=True)
class Publisher:
    name: str
    ipa_code: str


def _chosen_code() -> str:
    """The editors' choice in the default site's portal settings ("" if none)."""
    from wagtail.models import Site

    from portal.models import PortalSettings

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return ""
    return PortalSettings.for_site(site).open_data_licence or ""


def licence() -> Licence:
    code = cache.get(_CHOICE_KEY)
    if code is None:
        code = _chosen_code()
        cache.set(_CHOICE_KEY, code, None)
    if code in LICENCES:
        name, url = LICENCES[code]
    else:
        name, url = getattr(settings, "OPEN_DATA_LICENCE", CC_BY_4)
    return Licence(name=name, url=url)


def licence_invalidate() -> None:
    """Forget the cached choice (the portal settings changed)."""
    cache.delete(_CHOICE_KEY)


def publisher() -> Publisher:
    name, ipa_code = getattr(settings, "OPEN_DATA_PUBLISHER", DEFAULT_PUBLISHER)
    return Publisher(name=name, ipa_code=ipa_code)


def contact_email() -> str:
    """The bare address (``DEFAULT_FROM_EMAIL`` may carry a display name)."""
    configured = getattr(settings, "OPEN_DATA_CONTACT_EMAIL", "")
    return parseaddr(configured or settings.DEFAULT_FROM_EMAIL)[1]


def licence_fields() -> dict[str, str]:
    """The licence as a JSON export's top level states it."""
    current = licence()
    return {"licence": current.name, "licence_url": current.url}


def licence_link(response):
    """Mark an open-data ``response`` with its licence (an HTTP ``Link`` header
    with ``rel="license"``, RFC 8288); returns the response."""
    response["Link"] = f'<{licence().url}>; rel="license"'
    return response
