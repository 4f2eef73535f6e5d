from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.taxonomy.models import TargetGroup, Territory, Topic

from .models import EvidenceLevel, PracticeStatus


class PracticeProposalForm(forms.Form):
    """What an operator tells the editors about a practice they want published."""

    title = forms.CharField(label=_("Title"), max_length=255)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences: what the practice does and for whom."),
    )
    territories = forms.ModelMultipleChoiceField(
        label=_("Territories"),
        queryset=Territory.objects.order_by("kind", "name"),
        help_text=_("Regions or provinces where the practice runs."),
    )
    year_start = forms.IntegerField(label=_("First year active"), min_value=1990)
    year_end = forms.IntegerField(
        label=_("Last year active"),
        min_value=1990,
        required=False,
        help_text=_("Leave empty if the practice is still running."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=PracticeStatus.choices)
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"), queryset=Topic.objects.none(), required=False
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Target groups"), queryset=TargetGroup.objects.none(), required=False
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    results = forms.CharField(
        label=_("Results"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    evidence_level = forms.ChoiceField(
        label=_("Evidence behind the results"), choices=EvidenceLevel.choices
    )
    contact_name = forms.CharField(
        label=_("Contact person"), max_length=255, required=False
    )
    contact_email = forms.EmailField(label=_("Contact email"), required=False)

    def __init__(self, *args, locale=None, **kwargs):
        super().__init__(*args, **kwargs)
        if locale is not None:
            self.fields["topics"].queryset = Topic.objects.filter(locale=locale)
            self.fields["target_groups"].queryset = TargetGroup.objects.filter(
                locale=locale
            )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("year_start"), cleaned.get("year_end")
        this_year = timezone.localdate().year
        if start and start > this_year:
            self.add_error("year_start", _("The first year cannot be in the future."))
        if start and end and end < start:
            self.add_error(
                "year_end", _("The last year cannot come before the first year.")
            )
        if cleaned.get("status") == PracticeStatus.CONCLUDED and start and not end:
            self.add_error("year_end", _("A concluded practice needs its last year."))
        return cleaned
