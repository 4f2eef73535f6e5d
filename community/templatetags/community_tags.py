from django import template

from community.names import display_name as _display_name

register = template.Library()


@register.filter
def display_name(user) -> str:
    """A person's public name: never their email address."""
    return _display_name(user)
