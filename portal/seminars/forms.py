"""The registration form shown on a seminar page."""

from django import forms
from django.utils.translation import gettext_lazy as _


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=255)
    organisation = forms.CharField(label=_("Organisation"), max_length=255)
    role = forms.CharField(label=_("Role"), max_length=255, required=False)
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Tell us anything we should arrange so that you can take part "
            "(interpreting, step-free access, captions...)."
        ),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that my data is processed to manage my registration, "
            "as described in the privacy notice."
        ),
        required=True,
    )
