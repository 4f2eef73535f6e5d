"""Open-data settings, read when used (never at import time).

- ``OPEN_DATA_LICENCE``: ``(name, url)`` of the licence of every dataset the
  portal publishes; CC BY 4.0 unless the editors choose another.
- ``OPEN_DATA_PUBLISHER``: ``(name, IPA code)`` of the administration that
  publishes the data (the IPA code is a placeholder until the owner is known).
- ``OPEN_DATA_CONTACT_EMAIL``: where reusers write (default ``DEFAULT_FROM_EMAIL``).
"""

from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings

CC_BY_4 = ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
DEFAULT_PUBLISHER = ("FormezPA", "formez")


@dataclass(frozen=True)
class Licence:
    name: str
    url: str


@dataclass(frozen=True)
class Publisher:
    name: str
    ipa_code: str


def licence() -> Licence:
    name, url = getattr(settings, "OPEN_DATA_LICENCE", CC_BY_4)
    return Licence(name=name, url=url)


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
