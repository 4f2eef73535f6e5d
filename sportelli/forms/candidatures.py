"""Forms of the candidatures' front office and the network's list."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..classifications import isco_unit_choices
from ..models import (
    Availability,
    Candidature,
    DrivingLicence,
    EducationLevel,
    Mobility,
    Municipality,
    SharingConsent,
    WorkingTime,
)
from ..services.candidatures import (
    MAX_OCCUPATIONS,
    MAX_SKILL_LENGTH,
    MAX_SKILLS,
    CandidatureDetails,
)
from .desks import _DATE
from .widgets import OwnLanguageSelectMultiple


class CandidatureForm(forms.Form):
    """A job seeker's pseudonymous profile as a desk operator writes it; the
    service checks the rest (ISCO codes, privacy guard, uniqueness)."""

    reference_code = forms.CharField(
        label=_("Desk reference code"),
        max_length=40,
        help_text=_(
            "The desk's own code for the person (as in SILLA). Never a name, a "
            "fiscal code or a contact: other desks see it."
        ),
    )
    occupations = forms.MultipleChoiceField(
        label=_("Occupations sought (ISCO-08)"),
        help_text=_("One to %(count)s ISCO-08 unit groups: type their number or name.")
        % {"count": MAX_OCCUPATIONS},
        widget=OwnLanguageSelectMultiple(attrs={"size": 8}),
    )
    municipality = forms.ModelChoiceField(
        label=_("Area (municipality)"),
        queryset=Municipality.objects.none(),
        help_text=_("Where the person lives or looks for work; never the address."),
    )
    mobility = forms.ChoiceField(label=_("Mobility"), choices=Mobility.choices)
    mobility_km = forms.IntegerField(
        label=_("Distance (km)"),
        min_value=1,
        max_value=500,
        required=False,
        help_text=_("Only with «Within a distance»."),
    )
    availability = forms.ChoiceField(
        label=_("Availability"), choices=Availability.choices
    )
    working_time = forms.ChoiceField(
        label=_("Working time sought"),
        choices=[("", _("Either")), *WorkingTime.choices],
        required=False,
    )
    education_level = forms.ChoiceField(
        label=_("Education"), choices=EducationLevel.choices
    )
    driving_licence = forms.ChoiceField(
        label=_("Driving licence"),
        choices=[("", _("None")), *DrivingLicence.choices[1:]],
        required=False,
    )
    experience_years = forms.IntegerField(
        label=_("Experience (years)"), min_value=0, max_value=50, initial=0
    )
    skills = forms.CharField(
        label=_("Skills"),
        required=False,
        max_length=MAX_SKILLS * (MAX_SKILL_LENGTH + 2),
        help_text=_(
            "Free tags separated by commas, for example: HACCP, forklift licence, "
            "Excel (at most %(count)s, each up to %(length)s characters)."
        )
        % {"count": MAX_SKILLS, "length": MAX_SKILL_LENGTH},
    )
    summary = forms.CharField(
        label=_("Professional summary"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What the person can do and looks for. Nothing that identifies them "
            "(names, contacts, fiscal code) or concerns their health."
        ),
    )
    external_id = forms.CharField(
        label=_("External id"),
        max_length=64,
        required=False,
        help_text=_("Optional: the profile's id in the desk's own software."),
    )

    def __init__(self, *args, sportello, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occupations"].choices = isco_unit_choices()
        municipalities = Municipality.objects.all()
        region = sportello.municipality.region if sportello else ""
        if region:
            municipalities = municipalities.filter(region=region)
        self.fields["municipality"].queryset = municipalities.order_by("name")

    def clean_skills(self) -> list[str]:
        return [tag.strip() for tag in self.cleaned_data["skills"].split(",")]

    def details(self, languages) -> CandidatureDetails:
        data = self.cleaned_data
        return CandidatureDetails(
            reference_code=data["reference_code"],
            external_id=data["external_id"] or None,
            municipality=data["municipality"],
            mobility=data["mobility"],
            mobility_km=data["mobility_km"],
            availability=data["availability"],
            working_time=data["working_time"] or "",
            education_level=data["education_level"],
            languages=tuple(languages),
            driving_licence=data["driving_licence"] or "",
            experience_years=data["experience_years"],
            skills=tuple(data["skills"]),
            summary=data["summary"],
            occupations=tuple(data["occupations"]),
        )


class ConsentForm(forms.Form):
    """The person's consent to sharing, as the desk records it (with a new
    profile only: a new consent needs a new profile)."""

    consent_given_on = forms.DateField(
        label=_("Consent given on"),
        widget=_DATE,
        help_text=_("The date on the consent form the person signed at the desk."),
    )
    consent_scope = forms.ChoiceField(
        label=_("What the person consented to"),
        choices=SharingConsent.Scope.choices,
        widget=forms.RadioSelect,
    )
    consent_confirmed = forms.BooleanField(
        label=_(
            "The person has signed the consent form, kept at the desk with their "
            "data in SILLA."
        ),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault(
            "consent_given_on", timezone.localdate()
        )
        super().__init__(*args, **kwargs)


class CandidatureStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Candidature.Status.choices)


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "The person has withdrawn consent: delete the profile now. This "
            "cannot be undone."
        )
    )
