from django.utils.translation import gettext as _


def display_name(user) -> str:
    """How a person appears to others: their full name, else a neutral label.

    Email addresses are never shown on public pages, feeds or quotes.
    """
    if user is None:
        return _("Former member")
    return user.get_full_name() or _("Member %(number)s") % {"number": user.pk}
