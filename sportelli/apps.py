from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SportelliConfig(AppConfig):
    """The network of the municipalities' job desks (Sportelli Lavoro): the desks,
    their hours, services, service charters and programme agreements, and the
    public directory (issue 12, first slice)."""

    name = "sportelli"
    verbose_name = _("Job desks")

    def ready(self):
        from . import signals  # noqa: F401
