"""The job desks (Sportelli Lavoro) that approved administrations activate.

A desk belongs to one administration (``portal.accounts.Organisation``); the
people who work there are members of that administration given a desk role.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.accounts.models import Organisation, Region
from portal.accounts.validators import validate_phone

from ..storage import get_document_storage

validate_postcode = RegexValidator(
    r"^\d{5}$", _("Enter a postcode of five digits (CAP)."), code="invalid_postcode"
)
validate_istat_code = RegexValidator(
    r"^\d{6}$",
    _("Enter the six-digit ISTAT code of the municipality."),
    code="invalid_istat",
)


class Municipality(models.Model):
    """An Italian municipality as ISTAT lists it (``sportelli_load_municipalities``
    loads the whole list)."""

    istat_code = models.CharField(
        _("ISTAT code"),
        max_length=6,
        primary_key=True,
        validators=[validate_istat_code],
    )
    name = models.CharField(_("name"), max_length=128)
    province_code = models.CharField(_("province code"), max_length=3)
    province_sigla = models.CharField(_("province abbreviation"), max_length=2)
    province_name = models.CharField(_("province"), max_length=64)
    region = models.CharField(_("region"), max_length=2, choices=Region.choices)
    # The municipality's centre, for distances between profiles and vacancies
    # (empty where no source gave it; matching then falls back to province).
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.province_sigla})"


class Service(models.TextChoices):
    """The fixed catalogue of what a desk offers."""

    RECEPTION = "accoglienza", _("Reception and information")
    GUIDANCE = "orientamento", _("Career guidance")
    CV_SUPPORT = "cv", _("CV and application support")
    MATCHING = "incontro", _("Vacancy matching (incontro domanda-offerta)")
    TRAINEESHIPS = "tirocini", _("Traineeships")
    TARGETED_PLACEMENT = "collocamento_mirato", _("Targeted placement information")
    TRAINING = "formazione", _("Training opportunities information")
    SELF_EMPLOYMENT = "autoimpiego", _("Self-employment and business start-up")
    EMPLOYERS = "imprese", _("Services for employers")


class Sportello(models.Model):
    """A job desk of an approved administration."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("job desk", "Draft")
        ACTIVE = "active", pgettext_lazy("job desk", "Active")
        SUSPENDED = "suspended", pgettext_lazy("job desk", "Suspended")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="sportelli",
        verbose_name=_("administration"),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="sportelli",
        verbose_name=_("municipality"),
    )
    address = models.CharField(_("address"), max_length=255)
    postcode = models.CharField(
        _("postcode (CAP)"), max_length=5, validators=[validate_postcode]
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    phone = models.CharField(
        _("phone"), max_length=32, blank=True, validators=[validate_phone]
    )
    email = models.EmailField(_("email"), blank=True)
    pec = models.EmailField(_("PEC address"), blank=True)
    description = models.TextField(_("presentation"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    is_example = models.BooleanField(
        _("example desk"),
        default=False,
        help_text=_("A demonstration desk: the directory says it is an example."),
    )
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

    class Meta:
        verbose_name = _("job desk")
        verbose_name_plural = _("job desks")
        ordering = ["name"]
        permissions = [("manage_sportelli", _("Can manage every job desk"))]
        indexes = [models.Index(fields=["status", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("sportelli:detail", args=[self.slug])

    def clean(self):
        if (self.latitude is None) != (self.longitude is None):
            message = _("Give both latitude and longitude, or neither.")
            field = "longitude" if self.longitude is None else "latitude"
            raise ValidationError({field: message})

    @property
    def is_public(self) -> bool:
        return (
            self.status == self.Status.ACTIVE
            and self.organisation.status == Organisation.Status.APPROVED
        )


class DeskService(models.Model):
    """One service of the catalogue that a desk offers.

    The catalogue is the ``Service`` choices in code (translated labels, nothing
    to seed or keep in step); a row per offered service makes "desks offering X"
    an indexed join on any database.
    """

    sportello = models.ForeignKey(
        Sportello, on_delete=models.CASCADE, related_name="services"
    )
    service = models.CharField(_("service"), max_length=32, choices=Service.choices)

    class Meta:
        verbose_name = _("service offered")
        verbose_name_plural = _("services offered")
        constraints = [
            models.UniqueConstraint(
                fields=["sportello", "service"], name="deskservice_unique"
            )
        ]
        indexes = [models.Index(fields=["service"])]

    def __str__(self) -> str:
        return self.get_service_display()


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


# schema.org DayOfWeek URLs, by Weekday value.
SCHEMA_DAYS = {
    0: "https://schema.org/Monday",
    1: "https://schema.org/Tuesday",
    2: "https://schema.org/Wednesday",
    3: "https://schema.org/Thursday",
    4: "https://schema.org/Friday",
    5: "https://schema.org/Saturday",
    6: "https://schema.org/Sunday",
}


class OpeningHours(models.Model):
    """One opening period on one weekday (a day may have several)."""

    sportello = models.ForeignKey(
        Sportello, on_delete=models.CASCADE, related_name="opening_hours"
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens__lt=models.F("closes")),
                name="openinghours_opens_before_closes",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self):
        if self.opens and self.closes and self.opens >= self.closes:
            raise ValidationError(
                {"closes": _("The closing time must be later than the opening time.")}
            )


def _document_path(instance, filename: str) -> str:
    folder = "carte" if isinstance(instance, ServiceCharter) else "accordi"
    return f"{folder}/{instance.sportello_id}/{filename}"


class ServiceCharter(models.Model):
    """One version of a desk's service charter (Carta dei servizi), a PDF."""

    sportello = models.ForeignKey(
        Sportello, on_delete=models.CASCADE, related_name="charters"
    )
    version = models.CharField(_("version"), max_length=20)
    file = models.FileField(
        _("file"), upload_to=_document_path, storage=get_document_storage
    )
    filename = models.CharField(_("file name"), max_length=150)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    valid_from = models.DateField(_("valid from"))
    notes = models.TextField(_("notes"), blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        verbose_name = _("service charter")
        verbose_name_plural = _("service charters")
        ordering = ["-valid_from", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sportello", "version"], name="servicecharter_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sportello} – {self.version}"

    def get_absolute_url(self) -> str:
        return reverse("sportelli:document", args=["carta", self.pk, self.filename])


class Agreement(models.Model):
    """A programme agreement (accordo di programma) the desk signed with a partner."""

    class Kind(models.TextChoices):
        CPI = "cpi", _("Job centre (CPI)")
        TRADE_ASSOCIATION = "associazione", _("Trade association")
        EMPLOYMENT_AGENCY = "agenzia", _("Employment agency")
        TRAINING_BODY = "formazione", _("Training body")
        OTHER = "altro", _("Other")

    sportello = models.ForeignKey(
        Sportello, on_delete=models.CASCADE, related_name="agreements"
    )
    partner_name = models.CharField(_("partner"), max_length=255)
    kind = models.CharField(_("kind of partner"), max_length=16, choices=Kind.choices)
    signed_on = models.DateField(_("signed on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    file = models.FileField(
        _("document"),
        upload_to=_document_path,
        storage=get_document_storage,
        blank=True,
    )
    filename = models.CharField(_("file name"), max_length=150, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        verbose_name = _("programme agreement")
        verbose_name_plural = _("programme agreements")
        ordering = ["-signed_on", "partner_name"]

    def __str__(self) -> str:
        return f"{self.sportello} – {self.partner_name}"

    def get_absolute_url(self) -> str:
        return reverse("sportelli:document", args=["accordo", self.pk, self.filename])

    def clean(self):
        if self.signed_on and self.valid_until and self.valid_until < self.signed_on:
            raise ValidationError(
                {"valid_until": _("The end of validity cannot precede the signature.")}
            )

    def is_in_force(self, today: datetime.date) -> bool:
        return self.signed_on <= today and (
            self.valid_until is None or self.valid_until >= today
        )


class DeskRole(models.Model):
    """A member of the desk's administration working at the desk."""

    class Role(models.TextChoices):
        OPERATOR = "operator", _("Operator")
        MANAGER = "manager", _("Desk manager")

    sportello = models.ForeignKey(
        Sportello,
        on_delete=models.CASCADE,
        related_name="roles",
        verbose_name=_("job desk"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="desk_roles",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )

    class Meta:
        verbose_name = _("desk role")
        verbose_name_plural = _("desk roles")
        constraints = [
            models.UniqueConstraint(
                fields=["sportello", "user"], name="deskrole_unique_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.sportello} ({self.get_role_display()})"
