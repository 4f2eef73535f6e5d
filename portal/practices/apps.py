from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    """Good practices collected by the observatories (Ambito A)."""

    name = "portal.practices"
    label = "practices"
    verbose_name = _("Good practices")

    def ready(self) -> None:
        from . import signals  # noqa: F401
