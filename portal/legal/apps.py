from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    """The accessibility statement, the contacts page and the legal notes."""

    name = "portal.legal"
    label = "legal"
    verbose_name = _("Legal pages")
