"""Forms of the vacancies' front office and job board."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..classifications import isco_unit_choices
from ..models import (
    CefrLevel,
    ContractType,
    DrivingLicence,
    EducationLevel,
    Language,
    Municipality,
    Vacancy,
    WorkingTime,
    validate_cp2011,
)
from ..services import VacancyDetails
from .desks import _DATE
from .widgets import OwnLanguageSelect


class VacancyForm(forms.Form):
    """A vacancy as a desk operator writes it; the service checks the rest."""

    title = forms.CharField(
        label=_("Job title"),
        max_length=200,
        help_text=_("As a job seeker would search it, for example: Cook."),
    )
    isco_code = forms.ChoiceField(
        label=_("Occupation (ISCO-08)"),
        help_text=_("The ISCO-08 unit group of the job: type its number or name."),
        widget=OwnLanguageSelect,
    )
    cp2011_code = forms.CharField(
        label=_("Profession (CP2011)"),
        max_length=12,
        required=False,
        validators=[validate_cp2011],
        help_text=_("Optional: the ISTAT CP2011 code of five levels, e.g. 5.2.2.1.0."),
    )
    ateco_code = forms.CharField(
        label=_("Economic activity (ATECO 2025)"),
        max_length=10,
        help_text=_(
            "The employer's activity: a division (56) or a finer code (56.11)."
        ),
        widget=forms.TextInput(attrs={"list": "ateco-divisions"}),
    )
    contract_type = forms.ChoiceField(label=_("Contract"), choices=ContractType.choices)
    working_time = forms.ChoiceField(
        label=_("Working time"), choices=WorkingTime.choices
    )
    positions = forms.IntegerField(
        label=_("Positions"), min_value=1, max_value=999, initial=1
    )
    municipality = forms.ModelChoiceField(
        label=_("Workplace (municipality)"), queryset=Municipality.objects.none()
    )
    education_level = forms.ChoiceField(
        label=_("Education"), choices=EducationLevel.choices
    )
    driving_licence = forms.ChoiceField(
        label=_("Driving licence"), choices=DrivingLicence.choices, required=False
    )
    experience_years = forms.IntegerField(
        label=_("Experience required (years)"),
        min_value=0,
        max_value=40,
        initial=0,
        help_text=_("0 if no experience is required."),
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Plain text: tasks, place, hours. Blank lines start paragraphs."),
    )
    how_to_apply = forms.CharField(
        label=_("How to apply"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Whom to contact and what to send, e.g. the desk's email."),
    )
    employer_name = forms.CharField(label=_("Employer"), max_length=200, required=False)
    employer_visible = forms.BooleanField(
        label=_("Show the employer's name publicly"),
        required=False,
        initial=True,
        help_text=_(
            "If not shown, the vacancy is offered in the name of the desk's "
            "administration."
        ),
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=Vacancy.Visibility.choices,
        help_text=_(
            "Public: on the job board. Network only: seen by the other desks' "
            "operators, never by the public."
        ),
    )
    deadline = forms.DateField(label=_("Applications close on"), widget=_DATE)
    external_id = forms.CharField(
        label=_("External id"),
        max_length=64,
        required=False,
        help_text=_("Optional: the vacancy's id in the desk's own software."),
    )

    def __init__(self, *args, sportello, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["isco_code"].choices = [
            ("", _("Choose an occupation")),
            *isco_unit_choices(),
        ]
        municipalities = Municipality.objects.all()
        region = sportello.municipality.region if sportello else ""
        if region:
            municipalities = municipalities.filter(region=region)
        self.fields["municipality"].queryset = municipalities.order_by("name")

    def details(self, languages) -> VacancyDetails:
        data = self.cleaned_data
        return VacancyDetails(
            title=data["title"],
            isco_code=data["isco_code"],
            cp2011_code=data["cp2011_code"],
            ateco_code=data["ateco_code"],
            contract_type=data["contract_type"],
            working_time=data["working_time"],
            positions=data["positions"],
            municipality=data["municipality"],
            education_level=data["education_level"],
            driving_licence=data["driving_licence"] or "",
            experience_years=data["experience_years"],
            description=data["description"],
            how_to_apply=data["how_to_apply"],
            employer_name=data["employer_name"],
            employer_visible=data["employer_visible"],
            visibility=data["visibility"],
            deadline=data["deadline"],
            external_id=data["external_id"] or None,
            languages=tuple(languages),
        )


class LanguageForm(forms.Form):
    """One language the job asks for; a row left empty is ignored."""

    language = forms.ChoiceField(
        label=_("Language"), choices=[("", "–"), *Language.choices], required=False
    )
    level = forms.ChoiceField(
        label=_("Level (CEFR)"), choices=[("", "–"), *CefrLevel.choices], required=False
    )

    def clean(self):
        data = super().clean()
        language, level = data.get("language"), data.get("level")
        if language and not level:
            self.add_error("level", _("Give the level of this language."))
        if level and not language:
            self.add_error("language", _("Choose the language of this level."))
        return data


class BaseLanguageFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        codes = [code for code, _level in language_rows(self)]
        if len(codes) != len(set(codes)):
            raise ValidationError(_("Each language can be listed once."))


LanguageFormSet = forms.formset_factory(
    LanguageForm, formset=BaseLanguageFormSet, extra=3, max_num=8, validate_max=True
)


def language_rows(formset) -> list[tuple[str, str]]:
    return [
        (form.cleaned_data["language"], form.cleaned_data["level"])
        for form in formset.forms
        if form.cleaned_data and form.cleaned_data.get("language")
    ]


class VacancyCloseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why is it closed?"),
        choices=[
            (Vacancy.CloseReason.FILLED, Vacancy.CloseReason.FILLED.label),
            (Vacancy.CloseReason.WITHDRAWN, Vacancy.CloseReason.WITHDRAWN.label),
        ],
    )
