from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    """Outgoing email: one row per message, delivered by the task worker with
    retries, and listed in the admin when delivery fails."""

    name = "portal.mail"
    label = "mail"
    verbose_name = _("Outgoing email")
