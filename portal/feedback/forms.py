"""The two steps of the feedback form."""

import re

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import (
    COMMENT_MAX_LENGTH,
    RATING_MAX,
    RATING_MIN,
    RATING_NEGATIVE_MAX,
    reasons_for,
)
from .spam import HONEYPOT_FIELD

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
RATING_ERROR = _("Choose a rating from 1 to 5.")


def _honeypot() -> forms.CharField:
    return forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class RatingForm(forms.Form):
    """Step 1: how useful the page was, from 1 to 5."""

    rating = forms.TypedChoiceField(
        label=_("Was this page useful?"),
        choices=[(value, str(value)) for value in range(RATING_MIN, RATING_MAX + 1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": RATING_ERROR, "invalid_choice": RATING_ERROR},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = _honeypot()


AUTO_ID = "page-feedback-%s"


def rating_radios(form: "RatingForm | None" = None) -> list[dict]:
    """The rating's five radio buttons as the template draws them (value, id,
    label, checked): the blank form is on every content page, and Django's form
    and widget machinery cost more than the rest of its frame."""
    checked = ""
    if form is not None and form.is_bound:
        checked = str(form.data.get("rating", ""))
    return [
        {
            "value": str(value),
            "id": f"{AUTO_ID % 'rating'}_{index}",
            "label": str(value),
            "checked": str(value) == checked,
        }
        for index, value in enumerate(range(RATING_MIN, RATING_MAX + 1))
    ]


class FollowUpForm(forms.Form):
    """Step 2: the follow-up answer that matches the rating and a comment."""

    token = forms.CharField(widget=forms.HiddenInput)
    reason = forms.ChoiceField(
        required=False,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("Choose one of the answers offered for your rating.")
        },
    )
    comment = forms.CharField(
        label=_("Would you like to add something? (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _(
                "The comment can be at most %(limit_value)d characters long "
                "(it has %(show_value)d)."
            )
        },
    )

    def __init__(self, *args, rating: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.rating = rating
        reason = self.fields["reason"]
        reason.choices = [(item.value, item.label) for item in reasons_for(rating)]
        reason.label = (
            _("What went wrong?")
            if rating <= RATING_NEGATIVE_MAX
            else _("What did you like?")
        )
        self.fields["comment"].help_text = gettext(
            "At most %(max)s characters. Do not write personal data such as "
            "your name, email address or phone number: this form is anonymous "
            "and nobody will reply to it."
        ) % {"max": COMMENT_MAX_LENGTH}
        self.fields[HONEYPOT_FIELD] = _honeypot()

    def clean_comment(self) -> str:
        # Plain text: control characters (but not line breaks) are dropped.
        return _CONTROL.sub("", self.cleaned_data["comment"]).strip()
