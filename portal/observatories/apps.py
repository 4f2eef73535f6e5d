from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservatoriesConfig(AppConfig):
    """Labour-market observatories, their network partners and publications."""

    name = "portal.observatories"
    label = "observatories"
    verbose_name = _("Observatories")
