from allauth.account.adapter import get_adapter
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from .models import Organisation, Region, User
from .validators import (
    validate_codice_fiscale_ente,
    validate_codice_ipa,
    validate_phone,
)


class AdminLoginForm(WagtailLoginForm):
    """Wagtail's own admin login form, throttled by allauth's login rate limits.

    Failed attempts count against the same per-account and per-IP limits as the
    site's login, so an attacker gains nothing by switching form.
    """

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email is not None and password:
            # Raises a ValidationError ("too many failed login attempts") once the
            # limit is reached, before the password is even checked.
            self.user_cache = get_adapter(self.request).authenticate(
                self.request, email=email, password=password
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "language"]
        labels = {
            "first_name": _("First name"),
            "last_name": _("Last name"),
            "language": _("Language of the emails you receive"),
        }


class OrganisationRegistrationForm(forms.Form):
    """Register an administration for the SILLA kit; its user becomes referente."""

    name = forms.CharField(label=_("Name of the administration"), max_length=255)
    kind = forms.ChoiceField(label=_("Type"), choices=Organisation.Kind.choices)
    codice_ipa = forms.CharField(
        label=_("IPA code"),
        max_length=20,
        validators=[validate_codice_ipa],
        help_text=_(
            "The code of the administration in the Indice delle Pubbliche "
            "Amministrazioni (indicepa.gov.it), such as c_a662."
        ),
    )
    codice_fiscale = forms.CharField(
        label=_("Codice fiscale of the administration"),
        max_length=11,
        validators=[validate_codice_fiscale_ente],
        help_text=_("11 digits; the last one is a check digit."),
    )
    pec = forms.EmailField(
        label=_("PEC address"),
        help_text=_("The certified email address of the administration."),
    )
    region = forms.ChoiceField(label=_("Region"), choices=Region.choices)
    province = forms.CharField(label=_("Province"), max_length=64)
    municipality = forms.CharField(label=_("Municipality"), max_length=128)
    first_name = forms.CharField(label=_("First name of the referente"), max_length=150)
    last_name = forms.CharField(label=_("Last name of the referente"), max_length=150)
    job_title = forms.CharField(
        label=_("Role of the referente"),
        max_length=128,
        help_text=_("E.g. head of the employment services office."),
    )
    phone = forms.CharField(
        label=_("Phone of the referente"), max_length=32, validators=[validate_phone]
    )
    intended_use = forms.CharField(
        label=_("Intended use"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("How the administration intends to use the kit (job desk, ...)."),
    )
    accept_licence = forms.BooleanField(
        label=_(
            "I accept, on behalf of the administration, the licence terms of the "
            "SILLA kit (EUPL-1.2)."
        ),
    )

    def clean_codice_ipa(self) -> str:
        return self.cleaned_data["codice_ipa"].strip().lower()

    def clean_pec(self) -> str:
        return self.cleaned_data["pec"].strip().lower()


class ReviewForm(forms.Form):
    """Staff decision on an administration's registration."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("approve", _("Approve")),
            ("reject", _("Reject")),
            ("suspend", _("Suspend")),
            ("reinstate", _("Reinstate")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to reject or suspend; it is emailed to the referente."),
    )
