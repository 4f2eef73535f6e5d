from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxonomyConfig(AppConfig):
    """Shared vocabulary: topics, territories, target groups, services, funding."""

    name = "portal.taxonomy"
    label = "taxonomy"
    verbose_name = _("Vocabulary")

    def ready(self) -> None:
        from . import signals  # noqa: F401
