from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewslettersConfig(AppConfig):
    """Newsletter issues, subscribers and exactly-once sending."""

    name = "portal.newsletters"
    label = "newsletters"
    verbose_name = _("Newsletters")
