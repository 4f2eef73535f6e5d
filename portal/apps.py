from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import signals

        # Every deploy migrates: the Site record then follows PORTAL_BASE_URL.
        post_migrate.connect(signals.site_sync_after_migrate, sender=self)
