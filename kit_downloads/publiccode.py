"""publiccode.yml (https://yml.publiccode.tools) generated from a product page.

The document follows publiccode.yml 0.4.0 with the Italian extension, the version
the national catalogue (Developers Italia) reads; ``schema/publiccode.schema.json``
holds its keys and vocabularies and the tests validate the output against it.
Every address is absolute on ``PORTAL_BASE_URL`` (never the request's host).

The project does not depend on a YAML library, so the document is emitted here in
block style with every scalar double-quoted (JSON escaping is valid YAML), which
keeps it unambiguous for any YAML 1.1 or 1.2 parser.
"""

import json
import re
from html import unescape

from django.utils.html import strip_tags
from wagtail.models import Locale

from portal.services import absolute_url

from . import selectors

PUBLICCODE_VERSION = "0.4.0"
DEVELOPMENT_STATUS = {
    "alpha": "development",
    "beta": "beta",
    "rc": "beta",
    "final": "stable",
}
# Required keys of the standard (publiccode.yml 0.4, Italian extension included).
REQUIRED = {
    "publiccodeYmlVersion": None,
    "name": None,
    "url": None,
    "platforms": None,
    "categories": None,
    "developmentStatus": None,
    "softwareType": None,
    "description": None,
    "legal": {"license": None},
    "maintenance": {"type": None},
    "localisation": {"localisationReady": None, "availableLanguages": None},
}
REQUIRED_DESCRIPTION = ("shortDescription", "longDescription", "features")
LONG_DESCRIPTION_MIN = 150  # characters, as the standard asks


def _plain(html: str) -> str:
    text = strip_tags(re.sub(r"<(/p|br ?/?|/li|/h\d)>", " ", html or ""))
    return " ".join(unescape(text).split())


def page_absolute_url(page) -> str:
    """The page's public address on ``PORTAL_BASE_URL``, whatever the Site's
    hostname (``localhost`` in development) or the request's host."""
    parts = page.get_url_parts()
    if parts is None:
        return ""
    return absolute_url(parts[2])


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;.") + "…"


def _description(page) -> dict:
    long_text = _plain(page.description)
    short = _shorten(page.summary or long_text, 150)
    if len(long_text) < 150:  # the standard asks for 150 to 10000 characters
        for extra in (page.requirements, page.install_guide, page.summary):
            long_text = (long_text + " " + _plain(extra)).strip()
    features = [block.value["name"] for block in page.components] or [page.title]
    return {
        "localisedName": page.title,
        "shortDescription": short,
        "longDescription": _shorten(long_text, 10000),
        "documentation": page.documentation_url or page_absolute_url(page),
        "features": features,
    }


def publiccode_data(*, product, request=None) -> dict:
    """The publiccode.yml document of ``product`` as plain data."""
    source = product.get_translation_or_none(Locale.get_default()) or product
    source = source.specific
    latest = selectors.release_latest_final(product=source)
    releases = selectors.release_list_for_product(product=source)
    newest = latest or (releases[0] if releases else None)
    descriptions = {}
    languages = []
    for locale in Locale.objects.order_by("pk"):
        translated = source.get_translation_or_none(locale)
        if translated is not None and translated.live:
            descriptions[locale.language_code] = _description(translated.specific)
            languages.append(locale.language_code)
    data = {
        "publiccodeYmlVersion": PUBLICCODE_VERSION,
        "name": source.title,
        "url": source.repository_url,
        "landingURL": page_absolute_url(source),
        "platforms": source.platform_list(),
        "categories": source.category_list(),
        "developmentStatus": source.development_status
        or (DEVELOPMENT_STATUS[newest.maturity] if newest else "concept"),
        "softwareType": source.software_type,
        "description": descriptions,
        "legal": {"license": source.licence},
        "maintenance": {"type": source.maintenance_type},
        "localisation": {
            "localisationReady": len(languages) > 1,
            "availableLanguages": languages,
        },
    }
    scope = source.scope_list()
    if scope:
        data["intendedAudience"] = {"scope": scope}
    if newest is not None:
        data["softwareVersion"] = newest.version
        data["releaseDate"] = newest.release_date.isoformat()
    maintenance = data["maintenance"]
    if source.maintenance_type == "contract" and source.maintenance_contractor_name:
        contractor = {"name": source.maintenance_contractor_name}
        if source.maintenance_contract_until:
            contractor["until"] = source.maintenance_contract_until.isoformat()
        maintenance["contractors"] = [contractor]
    if source.maintenance_type != "none" and source.maintenance_contact_name:
        contact = {"name": source.maintenance_contact_name}
        if source.maintenance_contact_email:
            contact["email"] = source.maintenance_contact_email
        if source.maintenance_contact_affiliation:
            contact["affiliation"] = source.maintenance_contact_affiliation
        maintenance["contacts"] = [contact]
    if source.owner_organisation is not None:
        data["legal"]["mainCopyrightOwner"] = source.owner_organisation.name
        data["legal"]["repoOwner"] = source.owner_organisation.name
        data["it"] = {
            "countryExtensionVersion": "1.0",
            "riuso": {"codiceIPA": source.owner_organisation.codice_ipa},
        }
    return data


def publiccode_missing(data: dict, required: dict | None = None, prefix="") -> list:
    """The required keys absent or empty in ``data`` (dotted paths)."""
    missing = []
    for key, nested in (required or REQUIRED).items():
        value = data.get(key)
        if value in (None, "", [], {}):
            missing.append(prefix + key)
        elif nested:
            missing += publiccode_missing(value, nested, f"{prefix}{key}.")
    for language, description in (data.get("description") or {}).items():
        for key in REQUIRED_DESCRIPTION:
            if not description.get(key):
                missing.append(f"description.{language}.{key}")
        if 0 < len(description.get("longDescription") or "") < LONG_DESCRIPTION_MIN:
            missing.append(f"description.{language}.longDescription")
    return missing


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(str(value), ensure_ascii=True)


def to_yaml(value, indent: int = 0) -> str:
    """Block-style YAML for dicts, lists and scalars."""
    pad = "  " * indent
    lines = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                lines.append(f"{pad}{key}:")
                lines.append(to_yaml(item, indent + 1))
            elif isinstance(item, dict | list):
                lines.append(f"{pad}{key}: {'{}' if isinstance(item, dict) else '[]'}")
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item:
                nested = to_yaml(item, indent + 1).split("\n")
                lines.append(f"{pad}- {nested[0].lstrip()}")
                lines.extend(nested[1:])
            elif isinstance(item, list):
                lines.append(f"{pad}-")
                lines.append(to_yaml(item, indent + 1))
            else:
                lines.append(f"{pad}- {_scalar(item)}")
    return "\n".join(lines)


def publiccode_yaml(*, product, request=None) -> str:
    data = publiccode_data(product=product, request=request)
    return "# publiccode.yml generated by Esplora Lavoro\n" + to_yaml(data) + "\n"
