from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    """Objectives with actions and indicators, and programme report tables."""

    name = "portal.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")
