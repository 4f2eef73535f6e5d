"""Candidatures: pseudonymous profiles of job seekers a desk follows.

What the network shares is a profile, never a person: occupations sought,
area and mobility, availability, education, languages, licence, skills and the
desk's own reference code. Names, contacts, fiscal codes and any health or
disability data stay in the desk's SILLA installation; nothing here has a field
for them.

A profile exists only while the person's consent to sharing stands: consent is
recorded (``SharingConsent``), and withdrawing it, or the end of the retention
period, deletes the profile (not hides it). The consent records and the view
log keep the reference code, which alone identifies no one outside the desk.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .desks import Municipality, Sportello
from .vacancies import (
    DrivingLicence,
    EducationLevel,
    WorkingTime,
    language_rows,
    validate_isco_format,
)


class Mobility(models.TextChoices):
    """How far the person is willing to travel or move for work."""

    MUNICIPALITY = "comune", _("Own municipality only")
    DISTANCE = "km", _("Within a distance")
    PROVINCE = "provincia", _("Whole province")
    REGION = "regione", _("Whole region")
    COUNTRY = "italia", _("Anywhere in Italy")
    ABROAD = "estero", _("Also abroad")


class Availability(models.TextChoices):
    IMMEDIATE = "subito", _("Immediately")
    ONE_MONTH = "1m", _("Within one month")
    THREE_MONTHS = "3m", _("Within three months")


class Candidature(models.Model):
    """A job seeker's pseudonymous profile, shared with the network's desks."""

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("candidature", "Shared")
        SUSPENDED = "suspended", pgettext_lazy("candidature", "Not shared for now")

    sportello = models.ForeignKey(
        Sportello,
        on_delete=models.PROTECT,
        related_name="candidatures",
        verbose_name=_("job desk"),
    )
    reference_code = models.CharField(
        _("desk reference code"),
        max_length=40,
        help_text=_(
            "The desk's own code for the person (in SILLA). Never a name or a "
            "fiscal code: other desks see it."
        ),
    )
    external_id = models.CharField(
        _("external id"),
        max_length=64,
        null=True,
        blank=True,
        help_text=_("The profile's id in the desk's own software (optional)."),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="candidatures",
        verbose_name=_("area (municipality)"),
    )
    mobility = models.CharField(
        _("mobility"),
        max_length=10,
        choices=Mobility.choices,
        default=Mobility.PROVINCE,
    )
    mobility_km = models.PositiveSmallIntegerField(
        _("distance (km)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(500)],
    )
    availability = models.CharField(
        _("availability"),
        max_length=8,
        choices=Availability.choices,
        default=Availability.IMMEDIATE,
    )
    working_time = models.CharField(
        _("working time sought"),
        max_length=8,
        choices=WorkingTime.choices,
        blank=True,
        help_text=_("Leave empty when either is fine."),
    )
    education_level = models.CharField(
        _("education"),
        max_length=12,
        choices=EducationLevel.choices,
        default=EducationLevel.NONE,
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        help_text=_('A list of {"language": ISO 639-1 code, "level": CEFR level}.'),
    )
    driving_licence = models.CharField(
        _("driving licence"),
        max_length=8,
        choices=DrivingLicence.choices,
        default="",
        blank=True,
    )
    experience_years = models.PositiveSmallIntegerField(
        _("experience (years)"), default=0, validators=[MaxValueValidator(50)]
    )
    skills = models.JSONField(
        _("skills"),
        default=list,
        blank=True,
        help_text=_("Free tags, for example «HACCP», «muletto», «Excel»."),
    )
    summary = models.TextField(
        _("professional summary"),
        blank=True,
        max_length=1000,
        help_text=_(
            "What the person can do and looks for, without anything that "
            "identifies them or concerns their health."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    expires_on = models.DateField(
        _("deleted on"),
        help_text=_("The profile is deleted on this day unless the desk renews it."),
    )
    is_example = models.BooleanField(_("example profile"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sportello", "reference_code"],
                name="candidature_unique_reference",
            ),
            models.UniqueConstraint(
                fields=["sportello", "external_id"],
                name="candidature_unique_external_id",
            ),
        ]
        indexes = [
            models.Index(fields=["sportello", "status"], name="candidature_desk"),
            models.Index(fields=["expires_on"], name="candidature_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.sportello.name} – {self.reference_code}"

    def language_rows(self) -> list[tuple[str, str]]:
        """(language label, level) pairs for display."""
        return language_rows(self.languages)

    @property
    def label(self) -> str:
        """How the profile is named across the network: desk and its code."""
        return f"{self.reference_code} ({self.sportello.name})"


class CandidatureOccupation(models.Model):
    """One occupation the person seeks, coded with ISCO-08 (unit group).

    A row per occupation, with the minor and major groups stored, makes "same
    unit, then same minor group" an indexed lookup for the match suggestions.
    """

    candidature = models.ForeignKey(
        Candidature, on_delete=models.CASCADE, related_name="occupations"
    )
    isco_code = models.CharField(
        _("occupation (ISCO-08)"), max_length=4, validators=[validate_isco_format]
    )
    isco_minor = models.CharField(max_length=3, editable=False)
    isco_major = models.CharField(max_length=1, editable=False)

    class Meta:
        verbose_name = _("occupation sought")
        verbose_name_plural = _("occupations sought")
        constraints = [
            models.UniqueConstraint(
                fields=["candidature", "isco_code"], name="candidatureocc_unique"
            )
        ]
        indexes = [
            models.Index(fields=["isco_code"], name="candidatureocc_unit"),
            models.Index(fields=["isco_minor"], name="candidatureocc_minor"),
        ]

    def __str__(self) -> str:
        return self.isco_code

    def save(self, *args, **kwargs):
        self.isco_minor = (self.isco_code or "")[:3]
        self.isco_major = (self.isco_code or "")[:1]
        super().save(*args, **kwargs)


class SharingConsent(models.Model):
    """The person's consent to share their profile, as the desk recorded it.

    Kept after the profile is deleted (with the reference code only), so the
    desk can show when consent was given, for what, by whom it was recorded,
    and when it was withdrawn.
    """

    class Scope(models.TextChoices):
        NETWORK = (
            "network",
            _("Share the pseudonymous profile with the network's job desks"),
        )
        PROPOSALS = (
            "proposals",
            _("Share the profile and let desks propose the person for vacancies"),
        )

    sportello = models.ForeignKey(
        Sportello,
        on_delete=models.PROTECT,
        related_name="sharing_consents",
        verbose_name=_("job desk"),
    )
    candidature = models.ForeignKey(
        Candidature,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("candidature"),
    )
    reference_code = models.CharField(_("desk reference code"), max_length=40)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    given_on = models.DateField(_("consent given on"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawal recorded by"),
    )
    ended_reason = models.CharField(
        _("why it ended"),
        max_length=16,
        blank=True,
        choices=[
            ("withdrawn", _("Withdrawn by the person")),
            ("expired", _("Profile expired and deleted")),
            ("replaced", _("Replaced by a new consent")),
        ],
    )

    class Meta:
        verbose_name = _("sharing consent")
        verbose_name_plural = _("sharing consents")
        ordering = ["-recorded_at", "-pk"]
        indexes = [
            models.Index(fields=["sportello", "reference_code"], name="consent_ref")
        ]

    def __str__(self) -> str:
        return f"{self.reference_code} – {self.get_scope_display()}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None and not self.ended_reason


class ProfileView(models.Model):
    """One view of a profile by someone of another desk (or staff): the log
    the owning desk reads."""

    candidature = models.ForeignKey(
        Candidature,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="views",
    )
    owner_sportello = models.ForeignKey(
        Sportello, on_delete=models.CASCADE, related_name="+"
    )
    reference_code = models.CharField(max_length=40)
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    viewer_sportello = models.ForeignKey(
        Sportello,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    via = models.CharField(
        max_length=16,
        default="web",
        choices=[("web", _("Portal")), ("api", _("API")), ("suggestion", _("Match"))],
    )
    viewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("profile view")
        verbose_name_plural = _("profile views")
        ordering = ["-viewed_at", "-pk"]
        indexes = [
            models.Index(
                fields=["owner_sportello", "-viewed_at"], name="profileview_desk"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference_code} @ {self.viewed_at:%Y-%m-%d %H:%M}"
