"""Semantic versions (https://semver.org): validation and ordering."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SEMVER_RE = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)"
    r"(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?"
    r"(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$"
)


def validate_semver(value: str) -> None:
    if not SEMVER_RE.fullmatch(value or ""):
        raise ValidationError(
            _("Enter a semantic version such as 2.1.0 or 2.1.0-rc.1."),
            code="invalid_version",
        )


def semver_key(value: str) -> tuple:
    """A sort key that orders versions by semver precedence (build data ignored)."""
    match = SEMVER_RE.fullmatch(value or "")
    if not match:
        return (-1, -1, -1, 0, ())
    major, minor, patch, pre, _build = match.groups()
    if pre is None:
        # A release without pre-release identifiers ranks above its pre-releases.
        return (int(major), int(minor), int(patch), 1, ())
    parts = tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in pre.split(".")
    )
    return (int(major), int(minor), int(patch), 0, parts)
