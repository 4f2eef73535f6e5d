"""The publiccode.yml vocabularies, read from the JSON Schema shipped with the app
(``schema/publiccode.schema.json``), so the admin form, the generator and the
tests share one list each."""

import json
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SCHEMA_PATH = Path(__file__).parent / "schema" / "publiccode.schema.json"


@cache
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def vocabulary(name: str) -> list[str]:
    """The allowed values of ``name``: category, scope, platform,
    developmentStatus, softwareType or maintenanceType."""
    return list(schema()["$defs"][name]["enum"])


def split_list(value: str) -> list[str]:
    """A comma-separated admin field as a list, blanks and repeats dropped."""
    items: list[str] = []
    for item in (value or "").split(","):
        item = item.strip()
        if item and item not in items:
            items.append(item)
    return items


def _check(name: str, value: str, *, required: bool) -> None:
    items = split_list(value)
    if required and not items:
        raise ValidationError(_("Enter at least one value."), code="publiccode_empty")
    allowed = vocabulary(name)
    unknown = [item for item in items if item not in allowed]
    if unknown:
        raise ValidationError(
            _(
                "Not in the publiccode.yml vocabulary: %(values)s. "
                "Allowed values: %(allowed)s."
            ),
            code="publiccode_vocabulary",
            params={"values": ", ".join(unknown), "allowed": ", ".join(allowed)},
        )


def validate_categories(value: str) -> None:
    _check("category", value, required=True)


def validate_scope(value: str) -> None:
    _check("scope", value, required=False)


def validate_platforms(value: str) -> None:
    _check("platform", value, required=True)
