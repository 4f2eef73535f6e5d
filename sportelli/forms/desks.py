from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import User
from portal.accounts.validators import validate_phone

from ..models import (
    Agreement,
    DeskRole,
    Municipality,
    Service,
    Sportello,
    Weekday,
    validate_postcode,
)
from ..services import DeskDetails, HoursRow, hours_errors

_TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DirectoryFilterForm(forms.Form):
    """The directory's GET filters; unknown values are ignored, never an error."""

    region = forms.ChoiceField(label=_("Region"), required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)
    service = forms.ChoiceField(label=_("Service"), required=False)

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["region"].choices = every + options.regions
        self.fields["province"].choices = every + options.provinces
        self.fields["service"].choices = every + list(Service.choices)

    def values(self) -> dict[str, str]:
        if not self.is_bound:
            return {"region": "", "province": "", "service": ""}
        result = {}
        for name, field in self.fields.items():
            value = self.data.get(name, "")
            valid = {str(key) for key, _label in field.choices}
            result[name] = value if value in valid else ""
        return result


class SportelloForm(forms.Form):
    name = forms.CharField(label=_("Name of the desk"), max_length=200)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none()
    )
    address = forms.CharField(label=_("Address"), max_length=255)
    postcode = forms.CharField(
        label=_("Postcode (CAP)"), max_length=5, validators=[validate_postcode]
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        help_text=_("Decimal degrees, for example 45.464211."),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        help_text=_("Decimal degrees, for example 9.191383."),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        validators=[validate_phone],
    )
    email = forms.EmailField(label=_("Email"), required=False)
    pec = forms.EmailField(label=_("PEC address"), required=False)
    description = forms.CharField(
        label=_("Presentation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    services = forms.MultipleChoiceField(
        label=_("Services offered"),
        choices=Service.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    status = forms.ChoiceField(label=_("Status"), choices=Sportello.Status.choices)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        municipalities = Municipality.objects.all()
        if organisation.region:
            municipalities = municipalities.filter(region=organisation.region)
        self.fields["municipality"].queryset = municipalities.order_by("name")

    def details(self, hours: list[HoursRow]) -> DeskDetails:
        data = self.cleaned_data
        return DeskDetails(
            name=data["name"],
            municipality=data["municipality"],
            address=data["address"],
            postcode=data["postcode"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            phone=data["phone"],
            email=data["email"],
            pec=data["pec"],
            description=data["description"],
            services=tuple(data["services"]),
            hours=tuple(hours),
        )


class HoursForm(forms.Form):
    """One opening period; a row left entirely empty is ignored."""

    weekday = forms.TypedChoiceField(
        label=_("Day"),
        choices=[("", "–"), *Weekday.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    opens = forms.TimeField(label=_("Opens"), widget=_TIME, required=False)
    closes = forms.TimeField(label=_("Closes"), widget=_TIME, required=False)

    def clean(self):
        data = super().clean()
        weekday, opens, closes = (
            data.get("weekday"),
            data.get("opens"),
            data.get("closes"),
        )
        given = [value is not None for value in (weekday, opens, closes)]
        if any(given) and not all(given) and not self.errors:
            for name, present in zip(
                ("weekday", "opens", "closes"), given, strict=True
            ):
                if not present:
                    self.add_error(
                        name, _("Give the day, the opening and the closing time.")
                    )
        if opens and closes and opens >= closes:
            self.add_error(
                "closes", _("The closing time must be later than the opening time.")
            )
        return data


class BaseHoursFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        problems = hours_errors(hours_rows(self))
        if problems:
            raise ValidationError(problems)


HoursFormSet = forms.formset_factory(
    HoursForm,
    formset=BaseHoursFormSet,
    extra=2,
    can_delete=True,
    max_num=28,
    validate_max=True,
)


def hours_rows(formset) -> list[HoursRow]:
    return [
        HoursRow(
            weekday=form.cleaned_data["weekday"],
            opens=form.cleaned_data["opens"],
            closes=form.cleaned_data["closes"],
        )
        for form in formset.forms
        if form.cleaned_data
        and form.cleaned_data.get("weekday") is not None
        and not form.cleaned_data.get("DELETE")
    ]


class DeskRoleForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=DeskRole.Role.choices)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = members
        self.fields["user"].label_from_instance = lambda user: f"{user} ({user.email})"


class CharterForm(forms.Form):
    version = forms.CharField(label=_("Version"), max_length=20)
    valid_from = forms.DateField(label=_("Valid from"), widget=_DATE)
    file = forms.FileField(label=_("PDF file"))
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class AgreementForm(forms.Form):
    partner_name = forms.CharField(label=_("Partner"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind of partner"), choices=Agreement.Kind.choices)
    signed_on = forms.DateField(label=_("Signed on"), widget=_DATE)
    valid_until = forms.DateField(label=_("Valid until"), widget=_DATE, required=False)
    file = forms.FileField(label=_("PDF document"), required=False)


def add_service_errors(
    form: forms.Form, error: ValidationError, extra: tuple[str, ...] = ("hours",)
) -> list[str]:
    """Put a service's per-field errors on the form's fields; return those of
    the ``extra`` fields (shown by their own part of the page, e.g. a formset)."""
    leftover: list[str] = []
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return leftover
    for field, messages in error.message_dict.items():
        if field in form.fields:
            form.add_error(field, messages)
        elif field in extra:
            leftover.extend(messages)
        else:
            form.add_error(None, messages)
    return leftover
