"""Vacancies (offerte di lavoro) and the vocabularies they are coded with."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..classifications import ateco_activity, isco_unit
from .desks import Municipality, Sportello

validate_isco_format = RegexValidator(
    r"^\d{4}$",
    _("Enter the four-digit ISCO-08 code of the occupation (unit group)."),
    code="invalid_isco",
)
validate_cp2011 = RegexValidator(
    r"^\d\.\d\.\d\.\d\.\d{1,2}$",
    _("Enter a CP2011 code of five levels, for example 5.2.2.1.0."),
    code="invalid_cp2011",
)


class ContractType(models.TextChoices):
    """The kinds of contract a vacancy offers (Italian labour law)."""

    PERMANENT = "indeterminato", _("Permanent (tempo indeterminato)")
    FIXED_TERM = "determinato", _("Fixed-term (tempo determinato)")
    APPRENTICESHIP = "apprendistato", _("Apprenticeship (apprendistato)")
    AGENCY = "somministrazione", _("Agency work (somministrazione)")
    TRAINEESHIP = "tirocinio", _("Traineeship (tirocinio)")
    COLLABORATION = "collaborazione", _("Collaboration (collaborazione)")
    INTERMITTENT = "intermittente", _("On-call work (lavoro intermittente)")
    OCCASIONAL = "occasionale", _("Occasional work (prestazione occasionale)")
    SELF_EMPLOYED = "autonomo", _("Self-employed (lavoro autonomo)")


# schema.org/Google ``employmentType`` of each contract, when one fits.
CONTRACT_EMPLOYMENT_TYPE = {
    ContractType.FIXED_TERM: "TEMPORARY",
    ContractType.AGENCY: "TEMPORARY",
    ContractType.TRAINEESHIP: "INTERN",
    ContractType.APPRENTICESHIP: "INTERN",
    ContractType.COLLABORATION: "CONTRACTOR",
    ContractType.SELF_EMPLOYED: "CONTRACTOR",
    ContractType.INTERMITTENT: "PER_DIEM",
    ContractType.OCCASIONAL: "PER_DIEM",
}


class WorkingTime(models.TextChoices):
    FULL_TIME = "full", _("Full time")
    PART_TIME = "part", _("Part time")


class EducationLevel(models.TextChoices):
    """Italian qualifications, in ISCED 2011 order."""

    NONE = "nessuno", _("No qualification required")
    LOWER_SECONDARY = "media", _("Lower secondary school (licenza media, ISCED 2)")
    VOCATIONAL = (
        "qualifica",
        _("Vocational qualification (qualifica professionale, ISCED 3)"),
    )
    UPPER_SECONDARY = "diploma", _("Upper secondary diploma (diploma, ISCED 3)")
    POST_SECONDARY = "its", _("Higher technical diploma (ITS, ISCED 5)")
    BACHELOR = "laurea", _("Bachelor's degree (laurea triennale, ISCED 6)")
    MASTER = "magistrale", _("Master's degree (laurea magistrale, ISCED 7)")
    DOCTORATE = "dottorato", _("Doctorate (dottorato, ISCED 8)")


# schema.org ``educationRequirements`` credential category.
EDUCATION_CREDENTIAL = {
    EducationLevel.LOWER_SECONDARY: "high school",
    EducationLevel.VOCATIONAL: "professional certificate",
    EducationLevel.UPPER_SECONDARY: "high school",
    EducationLevel.POST_SECONDARY: "associate degree",
    EducationLevel.BACHELOR: "bachelor degree",
    EducationLevel.MASTER: "postgraduate degree",
    EducationLevel.DOCTORATE: "postgraduate degree",
}


class DrivingLicence(models.TextChoices):
    """EU driving licence categories, plus the professional qualification."""

    NONE = "", _("None required")
    AM = "AM", "AM"
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    A = "A", "A"
    B = "B", "B"
    BE = "BE", "BE"
    C1 = "C1", "C1"
    C = "C", "C"
    CE = "CE", "CE"
    D1 = "D1", "D1"
    D = "D", "D"
    DE = "DE", "DE"
    C_CQC = "C+CQC", _("C with driver CQC (goods)")
    D_CQC = "D+CQC", _("D with driver CQC (passengers)")


class Language(models.TextChoices):
    """The languages a vacancy may ask for (ISO 639-1)."""

    ITALIAN = "it", _("Italian")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    GERMAN = "de", _("German")
    SPANISH = "es", _("Spanish")
    PORTUGUESE = "pt", _("Portuguese")
    ROMANIAN = "ro", _("Romanian")
    ALBANIAN = "sq", _("Albanian")
    ARABIC = "ar", _("Arabic")
    CHINESE = "zh", _("Chinese")
    RUSSIAN = "ru", _("Russian")
    UKRAINIAN = "uk", _("Ukrainian")
    POLISH = "pl", _("Polish")
    SLOVENIAN = "sl", _("Slovenian")


class CefrLevel(models.TextChoices):
    """Common European Framework of Reference for Languages."""

    A1 = "A1", _("A1 – beginner")
    A2 = "A2", _("A2 – elementary")
    B1 = "B1", _("B1 – intermediate")
    B2 = "B2", _("B2 – upper intermediate")
    C1 = "C1", _("C1 – advanced")
    C2 = "C2", _("C2 – proficient")


class Vacancy(models.Model):
    """A job vacancy (offerta di lavoro) a desk enters for a local employer.

    Draft -> published -> closed (filled, expired or withdrawn). Published
    public vacancies of public desks are on the job board until their deadline;
    network-only ones are shown to the people of the network's active desks.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("vacancy", "Draft")
        PUBLISHED = "published", pgettext_lazy("vacancy", "Published")
        CLOSED = "closed", pgettext_lazy("vacancy", "Closed")

    class CloseReason(models.TextChoices):
        FILLED = "filled", _("Filled")
        EXPIRED = "expired", _("Expired")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        NETWORK = "network", _("Job-desk network only")

    sportello = models.ForeignKey(
        Sportello,
        on_delete=models.PROTECT,
        related_name="vacancies",
        verbose_name=_("job desk"),
    )
    external_id = models.CharField(
        _("external id"),
        max_length=64,
        null=True,
        blank=True,
        help_text=_("The vacancy's id in the desk's own software (optional)."),
    )
    title = models.CharField(_("job title"), max_length=200)
    isco_code = models.CharField(
        _("occupation (ISCO-08)"), max_length=4, validators=[validate_isco_format]
    )
    isco_major = models.CharField(_("occupation group"), max_length=1, editable=False)
    cp2011_code = models.CharField(
        _("CP2011 profession"),
        max_length=12,
        blank=True,
        validators=[validate_cp2011],
    )
    ateco_code = models.CharField(_("economic activity (ATECO)"), max_length=10)
    ateco_section = models.CharField(_("sector"), max_length=1, editable=False)
    contract_type = models.CharField(
        _("contract"), max_length=20, choices=ContractType.choices
    )
    working_time = models.CharField(
        _("working time"), max_length=8, choices=WorkingTime.choices
    )
    positions = models.PositiveSmallIntegerField(
        _("positions"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(999)],
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="vacancies",
        verbose_name=_("workplace"),
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
        _("experience required (years)"),
        default=0,
        validators=[MaxValueValidator(40)],
    )
    description = models.TextField(_("description"))
    how_to_apply = models.TextField(_("how to apply"))
    employer_name = models.CharField(_("employer"), max_length=200, blank=True)
    employer_visible = models.BooleanField(_("show the employer"), default=True)
    visibility = models.CharField(
        _("visibility"),
        max_length=8,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    close_reason = models.CharField(
        _("reason for closing"),
        max_length=10,
        choices=CloseReason.choices,
        blank=True,
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    deadline = models.DateField(_("applications close on"))
    is_example = models.BooleanField(_("example vacancy"), default=False)
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
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sportello", "external_id"],
                name="vacancy_unique_external_id",
            ),
            models.CheckConstraint(
                condition=models.Q(positions__gte=1), name="vacancy_positions_min_1"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status="closed") & ~models.Q(close_reason="")
                    | ~models.Q(status="closed") & models.Q(close_reason="")
                ),
                name="vacancy_close_reason_iff_closed",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "visibility", "deadline"], name="vacancy_board"
            ),
            models.Index(fields=["sportello", "status"], name="vacancy_desk_status"),
            # The board's page, newest first, stops after one page.
            models.Index(
                fields=["-published_at", "-id"],
                condition=models.Q(status="published"),
                name="vacancy_live_recent",
            ),
            # The board filtered by province or municipality.
            models.Index(
                fields=["municipality", "deadline"],
                condition=models.Q(status="published"),
                name="vacancy_live_place",
            ),
            # Match suggestions: published vacancies of one occupation.
            models.Index(fields=["status", "isco_code"], name="vacancy_status_isco"),
            # On PostgreSQL, migration 0005 adds ``vacancy_live_facets``: the
            # live rows' facet columns in the index, so counts read no table.
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # Derived from the codes, kept for the job board's facets.
        self.isco_major = (self.isco_code or "")[:1]
        activity = ateco_activity(self.ateco_code)
        self.ateco_section = activity.section if activity else ""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "isco_major",
                "ateco_section",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("sportelli:vacancy", args=[self.pk])

    def clean(self):
        errors: dict[str, list] = {}
        if self.isco_code and not isco_unit(self.isco_code):
            errors.setdefault("isco_code", []).append(
                ValidationError(
                    _("%(code)s is not an ISCO-08 unit group."),
                    code="unknown_isco",
                    params={"code": self.isco_code},
                )
            )
        if self.ateco_code:
            activity = ateco_activity(self.ateco_code)
            if activity is None:
                errors.setdefault("ateco_code", []).append(
                    ValidationError(
                        _(
                            "%(code)s is not an ATECO 2025 code (division or finer, "
                            "for example 56.11)."
                        ),
                        code="unknown_ateco",
                        params={"code": self.ateco_code},
                    )
                )
            else:
                self.ateco_code = activity.code
        if self.employer_visible and not (self.employer_name or "").strip():
            errors.setdefault("employer_name", []).append(
                _("Give the employer's name, or choose not to show it.")
            )
        language_errors = languages_errors(self.languages)
        if language_errors:
            errors.setdefault("languages", []).extend(language_errors)
        if errors:
            raise ValidationError(errors)

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC

    def language_rows(self) -> list[tuple[str, str]]:
        """(language label, level) pairs for display."""
        return language_rows(self.languages)


def language_rows(value) -> list[tuple[str, str]]:
    """(language label, level) pairs of a stored languages list, for display."""
    labels = dict(Language.choices)
    return [
        (str(labels.get(row["language"], row["language"])), row["level"])
        for row in value or []
    ]


def languages_errors(value) -> list:
    """What is wrong with a vacancy's languages (empty when nothing is)."""
    if not isinstance(value, list):
        return [_("Languages must be a list.")]
    errors = []
    seen = set()
    for row in value:
        if (
            not isinstance(row, dict)
            or row.get("language") not in Language.values
            or row.get("level") not in CefrLevel.values
        ):
            errors.append(_("Choose each language and its CEFR level from the lists."))
            continue
        if row["language"] in seen:
            errors.append(_("Each language can be listed once."))
        seen.add(row["language"])
    return errors
