from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The portal's search over live public pages and readable discussions."""

    name = "search"
    label = "portal_search"
    verbose_name = _("Search")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from . import signals

        # Each app declares what it contributes in its own search.py (registry).
        autodiscover_modules("search")
        signals.connect_sources()

        from portal import pagecache

        from .models import SearchPromotion

        pagecache.invalidate_on(SearchPromotion)
