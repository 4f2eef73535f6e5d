"""The editors' report: answers per page in a period, on screen and as CSV.

Wagtail wraps the URL in its admin access check; the view adds the
``feedback.view_pagefeedback`` permission (granted to Editors and Moderators).
"""

from django import forms
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from portal import csvsafe

from . import selectors
from .models import RATING_MAX, Reason

VIEW_PERMISSION = "feedback.view_pagefeedback"
PER_PAGE = 50


class PeriodForm(forms.Form):
    since = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date comes before the start date."))
        return data

    def period(self) -> selectors.Period:
        if not self.is_valid():
            return selectors.Period()
        return selectors.Period(
            since=self.cleaned_data["since"], until=self.cleaned_data["until"]
        )


def _rating_headers() -> list[str]:
    return [_("Rating %(value)s") % {"value": value} for value in selectors.RATINGS]


def _summary_csv(period: selectors.Period):
    response = csvsafe.response(
        filename=f"page-feedback-{timezone.localdate():%Y%m%d}.csv", bom=True
    )
    writer = csvsafe.writer(response)
    writer.writerow(
        [
            _("Page ID"),
            _("Page"),
            _("Language"),
            _("Answers"),
            _("Average rating"),
            *_rating_headers(),
            *[str(reason.label) for reason in Reason],
        ]
    )
    for row in selectors.feedback_summary_by_page(period=period):
        summary = selectors.summary_from_row(row)
        writer.writerow(
            [
                summary.page_id,
                summary.title,
                summary.language,
                summary.count,
                summary.average,
                *summary.distribution,
                *summary.reasons.values(),
            ]
        )
    return response


def _responses_csv(period: selectors.Period):
    header = [
        _("Sent at"),
        _("Page ID"),
        _("Page"),
        _("Language"),
        _("Rating"),
        _("Follow-up answer"),
        _("Comment"),
    ]
    return csvsafe.streaming_response(
        _chain(header, selectors.feedback_responses(period=period)),
        filename=f"page-feedback-answers-{timezone.localdate():%Y%m%d}.csv",
        bom=True,
    )


def _chain(first, rest):
    yield first
    yield from rest


@require_GET
def report(request):
    """Answers per page (count, average, distribution, follow-up answers),
    filtered by date; ``?export=pages`` or ``?export=answers`` downloads CSV."""
    if not request.user.has_perm(VIEW_PERMISSION):
        # A plain 403: Wagtail would turn PermissionDenied into a redirect to
        # the dashboard, which hides the refusal from scripts and tests.
        return TemplateResponse(
            request, "portal/feedback/admin/forbidden.html", status=403
        )
    form = PeriodForm(request.GET or None)
    period = form.period()
    export = request.GET.get("export")
    if export == "pages":
        return _summary_csv(period)
    if export == "answers":
        return _responses_csv(period)
    paginator = Paginator(selectors.feedback_summary_by_page(period=period), PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("p"))
    summaries = [selectors.summary_from_row(row) for row in page_obj.object_list]
    query = request.GET.copy()
    query.pop("p", None)
    query.pop("export", None)
    return TemplateResponse(
        request,
        "portal/feedback/admin/report.html",
        {
            "form": form,
            "summaries": summaries,
            "page_obj": page_obj,
            "ratings": list(selectors.RATINGS),
            "rating_max": RATING_MAX,
            "query": query.urlencode(),
        },
    )
