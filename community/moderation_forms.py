"""Forms of the moderators' actions that tell the author why."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import MoveForm

REASON_MAX_LENGTH = 500


def _reason_field(*, required: bool) -> forms.CharField:
    return forms.CharField(
        label=_("Reason (the author reads it)")
        if required
        else _("Reason (optional; the author reads it)"),
        max_length=REASON_MAX_LENGTH,
        required=required,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the author a reason.")},
    )


class PostModerateForm(forms.Form):
    """Hide (a reason is required), restore or approve a post."""

    ACTIONS = ("hide", "restore", "approve")

    action = forms.ChoiceField(
        choices=[(action, action) for action in ACTIONS], widget=forms.HiddenInput
    )
    reason = _reason_field(required=False)

    def __init__(self, *args, action: str, **kwargs):
        kwargs.setdefault("initial", {"action": action})
        super().__init__(*args, **kwargs)
        if action == "hide":
            self.fields["reason"] = _reason_field(required=True)

    def clean_reason(self) -> str:
        return " ".join(self.cleaned_data.get("reason", "").split())


class MoveWithReasonForm(MoveForm):
    reason = _reason_field(required=False)

    def clean_reason(self) -> str:
        return " ".join(self.cleaned_data.get("reason", "").split())
