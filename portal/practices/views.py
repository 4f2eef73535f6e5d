"""Views behind the good-practice index's routes (see PracticeIndexPage)."""

from http import HTTPStatus

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import csvsafe
from portal.opendata.conf import licence_fields, licence_link

from . import selectors, services
from .forms import PracticeProposalForm


def practice_index(request, *, index_page):
    """The faceted list. Everything is in the query string, so it works without
    JavaScript and a filtered list can be shared as a link."""
    filters = selectors.PracticeFilters.from_querydict(request.GET)
    browse = selectors.practice_browse(
        index_page=index_page,
        filters=filters,
        page_number=request.GET.get("page"),
        year_now=timezone.localdate().year,
    )
    params = request.GET.copy()
    params.pop("page", None)
    return TemplateResponse(
        request,
        "practices/practice_index_page.html",
        {
            "page": index_page,
            "self": index_page,
            "browse": browse,
            "filters": filters,
            "sorts": [(key, label) for key, (_order, label) in selectors.SORTS.items()],
            "querystring": params.urlencode(),
        },
    )


def practice_propose(request, *, index_page):
    """The front-end form where a logged-in operator proposes a practice."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not EmailAddress.objects.filter(user=request.user, verified=True).exists():
        messages.error(
            request, _("Verify your email address before proposing a practice.")
        )
        return redirect("account_email")
    form = PracticeProposalForm(request.POST or None, locale=index_page.locale)
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_propose(
                index_page=index_page, user=request.user, data=form.cleaned_data
            )
        except services.ProposalLimitError as error:
            form.add_error(None, str(error))
            return TemplateResponse(
                request,
                "practices/practice_propose.html",
                {"page": index_page, "self": index_page, "form": form},
                status=HTTPStatus.TOO_MANY_REQUESTS,
            )
        messages.success(
            request,
            _(
                "Thank you: your proposal has been sent to the editorial team. "
                "We will email you when it is published or if it needs changes."
            ),
        )
        return redirect(index_page.url)
    return TemplateResponse(
        request,
        "practices/practice_propose.html",
        {"page": index_page, "self": index_page, "form": form},
    )


EXPORT_FIELDS = [
    "id",
    "title",
    "url",
    "summary",
    "status",
    "year_start",
    "year_end",
    "evidence_level",
    "territories",
    "topics",
    "target_groups",
    "promoter",
    "first_published_at",
    "last_published_at",
]


def practice_export(request, *, index_page, fmt: str):
    """Open data: every live practice of this index, with stable field names."""
    pages = (
        selectors.practice_list_visible(index_page=index_page)
        .select_related("promoter")
        .prefetch_related("territories", "topics", "target_groups")
        .order_by("pk")
    )
    records = [
        {
            "id": page.pk,
            "title": page.title,
            "url": page.get_full_url(request),
            "summary": page.summary,
            "status": page.status,
            "year_start": page.year_start,
            "year_end": page.year_end,
            "evidence_level": page.evidence_level,
            "territories": [t.code for t in page.territories.all()],
            "topics": [t.slug for t in page.topics.all()],
            "target_groups": [t.slug for t in page.target_groups.all()],
            "promoter": page.promoter.name if page.promoter else "",
            "first_published_at": page.first_published_at.isoformat()
            if page.first_published_at
            else None,
            "last_published_at": page.last_published_at.isoformat()
            if page.last_published_at
            else None,
        }
        for page in pages
    ]
    if fmt == "json":
        response = JsonResponse(
            {**licence_fields(), "fields": EXPORT_FIELDS, "records": records}
        )
        response["Content-Disposition"] = 'inline; filename="buone-pratiche.json"'
        return licence_link(response)
    # Open data: plain UTF-8, no BOM (see portal.csvsafe).
    response = csvsafe.response(filename="buone-pratiche.csv", bom=False)
    writer = csvsafe.DictWriter(response, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    for record in records:
        writer.writerow(
            {
                key: ";".join(value) if isinstance(value, list) else value
                for key, value in record.items()
            }
        )
    return licence_link(response)
