from django.utils.translation import gettext as _


def display_name(user) -> str:
    """How a person appears to others: their full name, else a neutral label.

    Email addresses are never shown on public pages, feeds or quotes.
    """
    if user is None:
        return _("Former member")
    return user.get_full_name() or _("Member %(number)s") % {"number": user.pk}


def moderator_name(user) -> str:
    """How a person appears to the moderators who must decide about them (a
    request to join, a report): the full name, else the @handle, else the email
    address, which moderators already see in their queue."""
    if user is None:
        return _("Former member")
    if user.get_full_name():
        return user.get_full_name()
    profile = getattr(user, "community_profile", None)
    handle = getattr(profile, "handle", "")
    return f"@{handle}" if handle else user.email
