from django.db import models
from django.utils.translation import gettext_lazy as _


class Counter(models.Model):
    """How many times an action keyed by ``key`` happened in one fixed window.

    One row per (key, window); ``portal.ratelimit.services`` increments it with a
    single conditional UPDATE, never by reading and writing back.
    """

    key = models.CharField(_("key"), max_length=200)
    window_start = models.DateTimeField(_("window start"))
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("rate limit counter")
        verbose_name_plural = _("rate limit counters")
        constraints = [
            models.UniqueConstraint(
                fields=["key", "window_start"], name="ratelimit_counter_key_window"
            )
        ]
        indexes = [models.Index(fields=["window_start"], name="ratelimit_window")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start:%Y-%m-%d %H:%M}: {self.count}"
