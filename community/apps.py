from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    """Operator groups and discussions (see the community issue)."""

    name = "community"
    verbose_name = _("Community")

    def ready(self):
        from . import signals  # noqa: F401
