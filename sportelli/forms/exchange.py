"""Forms of the exchange: propose, take a step, write a message."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ProposalStatus
from ..services.exchange import EVENT_NOTE_MAX, MESSAGE_MAX, NOTE_MAX


class CandidatureChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.label


class VacancyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.title} – {obj.municipality.name} ({obj.sportello.name})"


class ProposeForm(forms.Form):
    """Propose a candidature for a vacancy: one of the two is fixed by the page
    (the vacancy's page or the profile's), the other chosen here."""

    note = forms.CharField(
        label=_("Why this person (for the other desk)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Nothing that identifies the person: the other desk sees the "
            "pseudonymous profile only."
        ),
    )

    def __init__(self, *args, candidatures=None, vacancies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidatures is not None:
            self.fields = {
                "candidature": CandidatureChoiceField(
                    label=_("Candidature of your desk"),
                    queryset=candidatures,
                    empty_label=_("Choose a candidature"),
                ),
                **self.fields,
            }
        if vacancies is not None:
            self.fields = {
                "vacancy": VacancyChoiceField(
                    label=_("Vacancy of the network"),
                    queryset=vacancies,
                    empty_label=_("Choose a vacancy"),
                ),
                **self.fields,
            }


class ProposalMoveForm(forms.Form):
    to_status = forms.ChoiceField(
        label=_("Step"), choices=ProposalStatus.choices, widget=forms.HiddenInput
    )
    note = forms.CharField(
        label=_("Note for the other desk"),
        required=False,
        max_length=EVENT_NOTE_MAX,
    )


class ProposalMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Plain text, seen by both desks. Nothing that identifies the person."
        ),
    )
