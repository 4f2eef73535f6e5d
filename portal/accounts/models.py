"""Who people are: users, the organisations they belong to, and their role there.

The community and the SILLA kit area both use these models, so they live here once.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel

from .validators import (
    validate_codice_fiscale_ente,
    validate_codice_ipa,
    validate_phone,
)


class UserManager(BaseUserManager):
    """Users are identified by their email address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        email = self.normalize_email(email)
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account, who logs in with an email address."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    # The language of everything the portal sends this person (notifications,
    # decisions, digests); set at sign-up from the page language, changed on the
    # profile page. Emails use it, never the language of whoever acted.
    language = models.CharField(
        _("language for emails"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class Region(models.TextChoices):
    """The 20 Italian regions (ISTAT)."""

    PIEMONTE = "01", "Piemonte"
    VALLE_D_AOSTA = "02", "Valle d'Aosta/Vallée d'Aoste"
    LOMBARDIA = "03", "Lombardia"
    TRENTINO_ALTO_ADIGE = "04", "Trentino-Alto Adige/Südtirol"
    VENETO = "05", "Veneto"
    FRIULI_VENEZIA_GIULIA = "06", "Friuli-Venezia Giulia"
    LIGURIA = "07", "Liguria"
    EMILIA_ROMAGNA = "08", "Emilia-Romagna"
    TOSCANA = "09", "Toscana"
    UMBRIA = "10", "Umbria"
    MARCHE = "11", "Marche"
    LAZIO = "12", "Lazio"
    ABRUZZO = "13", "Abruzzo"
    MOLISE = "14", "Molise"
    CAMPANIA = "15", "Campania"
    PUGLIA = "16", "Puglia"
    BASILICATA = "17", "Basilicata"
    CALABRIA = "18", "Calabria"
    SICILIA = "19", "Sicilia"
    SARDEGNA = "20", "Sardegna"


class Organisation(ClusterableModel):
    """A public administration or partner body (Comune, Provincia, CPI, ...)."""

    class Kind(models.TextChoices):
        COMUNE = "comune", _("Municipality (Comune)")
        PROVINCIA = "provincia", _("Province")
        CITTA_METROPOLITANA = "citta_metropolitana", _("Metropolitan city")
        REGIONE = "regione", _("Region")
        CPI = "cpi", _("Job centre (Centro per l'Impiego)")
        CAMERA_COMMERCIO = "camera_commercio", _("Chamber of commerce")
        UNIVERSITA = "universita", _("University")
        AGENZIA_LAVORO = "agenzia_lavoro", _("Employment agency")
        MINISTERO = "ministero", _("Ministry or national agency")
        ALTRO = "altro", _("Other body")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SUSPENDED = "suspended", _("Suspended")

    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    region = models.CharField(
        _("region"), max_length=2, choices=Region.choices, blank=True
    )
    province = models.CharField(
        _("province"),
        max_length=64,
        blank=True,
        help_text=_("Name of the province or metropolitan city."),
    )
    codice_ipa = models.CharField(
        _("IPA code"),
        max_length=20,
        blank=True,
        validators=[validate_codice_ipa],
        help_text=_("Code in the Indice delle Pubbliche Amministrazioni."),
    )
    codice_fiscale = models.CharField(
        _("codice fiscale"),
        max_length=11,
        blank=True,
        validators=[validate_codice_fiscale_ente],
    )
    pec = models.EmailField(_("PEC address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    municipality = models.CharField(_("municipality"), max_length=128, blank=True)
    status = models.CharField(
        _("registration status"),
        max_length=16,
        choices=Status.choices,
        default=Status.APPROVED,
        help_text=_(
            "Administrations registered on the site start pending; only approved "
            "ones download the SILLA kit."
        ),
    )
    status_reason = models.TextField(
        _("reason"),
        blank=True,
        help_text=_("Why the registration was rejected or suspended."),
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    intended_use = models.TextField(_("intended use"), blank=True)
    licence_accepted_at = models.DateTimeField(
        _("licence terms accepted"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        permissions = [
            ("review_registration", _("Can review the registration of administrations"))
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["codice_ipa"],
                condition=~models.Q(codice_ipa=""),
                name="organisation_unique_codice_ipa",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's membership of an organisation, with the role held there."""

    class Role(models.TextChoices):
        REFERENTE = "referente", _("Contact person (referente)")
        OPERATOR = "operator", _("Operator")
        MEMBER = "member", _("Member")

    organisation = ParentalKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(
        _("role"), max_length=16, choices=Role.choices, default=Role.MEMBER
    )
    job_title = models.CharField(_("job title"), max_length=128, blank=True)
    phone = models.CharField(
        _("phone"), max_length=32, blank=True, validators=[validate_phone]
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    panels = [
        FieldPanel("user"),
        FieldPanel("role"),
        FieldPanel("job_title"),
        FieldPanel("phone"),
    ]

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="membership_unique_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class JoinRequest(models.Model):
    """A user's request to join an administration that is already registered.

    It is made when someone registers a codice IPA that exists; the administration's
    referente (or staff) approves or rejects it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="join_requests",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="join_requests",
        verbose_name=_("user"),
    )
    job_title = models.CharField(_("job title"), max_length=128, blank=True)
    phone = models.CharField(
        _("phone"), max_length=32, blank=True, validators=[validate_phone]
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(status="pending"),
                name="joinrequest_one_pending_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation}"
