"""The subscription form (public) and the subscriber import form (admin)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import services


class SubscribeForm(forms.Form):
    email = forms.CharField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    language = forms.ChoiceField(
        label=_("Language of the newsletter"),
        choices=settings.LANGUAGES,
        help_text=_("Issues not written in this language arrive in Italian."),
    )
    consent = forms.BooleanField(
        label=_(
            "I want to receive the newsletter and agree that my address is kept "
            "for this purpose, as described in the privacy notice. I can "
            "unsubscribe at any time."
        ),
        required=True,
        error_messages={"required": _("Tick the box to subscribe.")},
    )

    def clean_email(self):
        try:
            return services.normalise_email(self.cleaned_data["email"])
        except services.SubscriptionError as error:
            raise forms.ValidationError(str(error)) from None


class SubscriberImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "First row: column names, with “email” and optionally name, "
            "organisation, language (it or en). Comma or semicolon separated, "
            "UTF-8 or Windows-1252, at most 5 MB."
        ),
    )
    consent_source = forms.CharField(
        label=_("Where did these people give their consent?"),
        max_length=255,
        help_text=_(
            "Recorded with every address, for example “registration form of the "
            "seminar of 12 March 2026”."
        ),
    )
    ask_confirmation = forms.BooleanField(
        label=_("Ask each new address to confirm by email (double opt-in)"),
        required=False,
        initial=True,
        help_text=_(
            "Untick only if the consent was collected with a confirmation already."
        ),
    )
