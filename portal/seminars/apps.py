from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeminarsConfig(AppConfig):
    """Seminars for operators (Ambito B) with registration and calendars."""

    name = "portal.seminars"
    label = "seminars"
    verbose_name = _("Seminars")

    def ready(self):
        from . import signals  # noqa: F401
