from django import template

from community.names import display_name as _display_name
from community.names import moderator_name as _moderator_name

register = template.Library()


@register.filter
def display_name(user) -> str:
    """A person's public name: never their email address."""
    return _display_name(user)


@register.filter
def moderator_name(user) -> str:
    """A person as the moderators deciding about them see them (see
    ``community.names.moderator_name``); only on moderators' pages."""
    return _moderator_name(user)
