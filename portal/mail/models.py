from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OutboundEmail(models.Model):
    """One email the portal sends, from the moment it is queued until it is
    delivered or given up.

    The content is kept only while delivery is pending: once sent, the body,
    HTML and attachments are cleared (they may hold one-time links such as a
    password reset) and only the record of the delivery stays.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("outgoing email", "Queued")
        SENDING = "sending", pgettext_lazy("outgoing email", "Sending")
        SENT = "sent", pgettext_lazy("outgoing email", "Sent")
        FAILED = "failed", pgettext_lazy("outgoing email", "Failed, will retry")
        GIVEN_UP = "given_up", pgettext_lazy("outgoing email", "Given up")

    subject = models.TextField(_("subject"))
    from_email = models.CharField(_("sender"), max_length=320)
    to = models.JSONField(_("recipients"), default=list)
    body = models.TextField(_("text body"), blank=True)
    html_body = models.TextField(_("HTML body"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    # [{"filename": ..., "mimetype": ..., "content": base64}, ...]
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["status", "next_attempt_at"], name="mail_status_next_idx"
            )
        ]
        permissions = [("retry_outboundemail", _("Can retry outgoing email"))]

    def __str__(self):
        return self.subject

    @property
    def recipients_display(self) -> str:
        return ", ".join(self.to)

    @property
    def can_retry(self) -> bool:
        return self.status in {self.Status.FAILED, self.Status.GIVEN_UP}
