"""Refusals that tell the visitor why.

Raise ``Forbidden(_("reason"))`` where the reason is meant for the visitor
(banned from a group, not a moderator): the 403 page shows it. A plain
``PermissionDenied``, including the ones libraries raise with technical
messages, gets the page's generic explanation instead.
"""

from django.core.exceptions import PermissionDenied


class Forbidden(PermissionDenied):
    """A 403 whose message is a translated, user-facing reason."""


def forbidden_reason(exception: BaseException | None) -> str:
    """The reason to show on the 403 page, or "" for the generic text."""
    if isinstance(exception, Forbidden) and exception.args:
        return str(exception.args[0])
    return ""
