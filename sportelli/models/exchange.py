"""The exchange: a desk proposes one of its candidatures for another desk's
vacancy, and both follow the proposal to a hire or a "no".

proposed -> under review -> interview -> hired / not selected; the vacancy's
desk may decline a proposal it has not taken up, and the proposing desk may
withdraw it before the end. Every step is a ``ProposalEvent`` (who, which desk,
when); both desks read the history and write in the proposal's short thread.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .candidatures import Candidature
from .desks import Sportello
from .vacancies import Vacancy


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("proposal", "Proposed")
    UNDER_REVIEW = "review", pgettext_lazy("proposal", "Under review")
    INTERVIEW = "interview", pgettext_lazy("proposal", "Interview")
    HIRED = "hired", pgettext_lazy("proposal", "Hired")
    NOT_SELECTED = "not_selected", pgettext_lazy("proposal", "Not selected")
    DECLINED = "declined", pgettext_lazy("proposal", "Declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("proposal", "Withdrawn")


# Which desk moves a proposal from each state, and where to.
# "vacancy": the desk that owns the vacancy; "candidature": the proposing desk.
TRANSITIONS: dict[str, dict[str, str]] = {
    ProposalStatus.PROPOSED: {
        ProposalStatus.UNDER_REVIEW: "vacancy",
        ProposalStatus.DECLINED: "vacancy",
        ProposalStatus.WITHDRAWN: "candidature",
    },
    ProposalStatus.UNDER_REVIEW: {
        ProposalStatus.INTERVIEW: "vacancy",
        ProposalStatus.NOT_SELECTED: "vacancy",
        ProposalStatus.WITHDRAWN: "candidature",
    },
    ProposalStatus.INTERVIEW: {
        ProposalStatus.HIRED: "vacancy",
        ProposalStatus.NOT_SELECTED: "vacancy",
        ProposalStatus.WITHDRAWN: "candidature",
    },
}
FINAL_STATUSES = (
    ProposalStatus.HIRED,
    ProposalStatus.NOT_SELECTED,
    ProposalStatus.DECLINED,
    ProposalStatus.WITHDRAWN,
)


class Proposal(models.Model):
    """One candidature proposed for one vacancy of another desk."""

    vacancy = models.ForeignKey(
        Vacancy,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("vacancy"),
    )
    vacancy_sportello = models.ForeignKey(
        Sportello,
        on_delete=models.PROTECT,
        related_name="proposals_received",
        verbose_name=_("desk of the vacancy"),
    )
    candidature = models.ForeignKey(
        Candidature,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("candidature"),
        help_text=_("Empty once the profile was deleted (expiry or withdrawal)."),
    )
    candidature_sportello = models.ForeignKey(
        Sportello,
        on_delete=models.PROTECT,
        related_name="proposals_sent",
        verbose_name=_("proposing desk"),
    )
    reference_code = models.CharField(_("desk reference code"), max_length=40)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PROPOSED,
    )
    note = models.TextField(
        _("why this person"),
        max_length=1000,
        blank=True,
    )
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "candidature"],
                name="proposal_once_per_vacancy",
            ),
            models.CheckConstraint(
                condition=~models.Q(
                    vacancy_sportello=models.F("candidature_sportello")
                ),
                name="proposal_between_two_desks",
            ),
        ]
        indexes = [
            models.Index(
                fields=["vacancy_sportello", "status"], name="proposal_received"
            ),
            models.Index(
                fields=["candidature_sportello", "status"], name="proposal_sent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference_code} → {self.vacancy}"

    def get_absolute_url(self) -> str:
        return reverse("sportelli:proposal", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status not in FINAL_STATUSES


class ProposalEvent(models.Model):
    """One step of a proposal: who moved it, from which desk, when."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(
        max_length=12, choices=ProposalStatus.choices, blank=True
    )
    to_status = models.CharField(max_length=12, choices=ProposalStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    by_sportello = models.ForeignKey(
        Sportello, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    via_api = models.BooleanField(default=False)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("proposal step")
        verbose_name_plural = _("proposal steps")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.from_status} → {self.to_status}"


class ProposalMessage(models.Model):
    """A message between the two desks about one proposal (plain text)."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    author_sportello = models.ForeignKey(
        Sportello, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("message"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("proposal message")
        verbose_name_plural = _("proposal messages")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.body[:40]}"


class DeskNotification(models.Model):
    """Something for a desk's people to see about the exchange (the on-site
    inbox; the same event is also emailed)."""

    class Kind(models.TextChoices):
        PROPOSAL_RECEIVED = "received", _("New proposal for your vacancy")
        PROPOSAL_MOVED = "moved", _("A proposal changed state")
        MESSAGE = "message", _("New message on a proposal")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="desk_notifications",
    )
    sportello = models.ForeignKey(
        Sportello, on_delete=models.CASCADE, related_name="notifications"
    )
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("desk notification")
        verbose_name_plural = _("desk notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="desknotif_unread")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.proposal_id}"
