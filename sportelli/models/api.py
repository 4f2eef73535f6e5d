"""The desks' API keys and the audit of every API call.

A key belongs to one desk and acts for it only. The secret is shown once when
the desk manager creates it; the portal keeps its SHA-256 and a short prefix to
find it. A revoked key stays listed (who revoked it, when) and answers 401.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .desks import Sportello


class ApiKey(models.Model):
    sportello = models.ForeignKey(
        Sportello,
        on_delete=models.CASCADE,
        related_name="api_keys",
        verbose_name=_("job desk"),
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("What uses it, for example «SILLA del Comune»."),
    )
    prefix = models.CharField(_("prefix"), max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.sportello} – {self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ApiCall(models.Model):
    """One call to the desks' API, kept for the audit (the request's body is
    not: it may hold profiles)."""

    key = models.ForeignKey(
        ApiKey, on_delete=models.SET_NULL, null=True, blank=True, related_name="calls"
    )
    sportello = models.ForeignKey(
        Sportello, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=255)
    status_code = models.PositiveSmallIntegerField()
    objects_count = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("API call")
        verbose_name_plural = _("API calls")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["sportello", "-at"], name="apicall_desk")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status_code}"
