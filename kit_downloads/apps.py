from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KitDownloadsConfig(AppConfig):
    """The SILLA kit: catalogue, releases and gated downloads (see the kit issue)."""

    name = "kit_downloads"
    verbose_name = _("SILLA kit")

    def ready(self):
        from . import signals  # noqa: F401
