from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RateLimitConfig(AppConfig):
    """Counters behind the limits on posts, practice proposals and registrations."""

    name = "portal.ratelimit"
    label = "ratelimit"
    verbose_name = _("Rate limits")
