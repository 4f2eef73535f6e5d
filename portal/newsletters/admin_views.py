"""Admin views: send an issue (or a test), follow its delivery, import and
export subscribers.

Wagtail wraps every URL registered through ``register_admin_urls`` in its admin
access check; each view adds the permission its action needs.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from portal import csvsafe

from . import selectors, services
from .forms import SubscriberImportForm
from .models import NewsletterIssuePage, Subscriber, SubscriberImport

SUBSCRIBER_PERMISSION = "newsletters.change_subscriber"


def _issue(request, page_id: int, *, publish: bool = False) -> NewsletterIssuePage:
    issue = get_object_or_404(NewsletterIssuePage, pk=page_id)
    permissions = issue.permissions_for_user(request.user)
    if not (permissions.can_publish() if publish else permissions.can_edit()):
        raise PermissionDenied
    return issue


def _require_subscriber_permission(request) -> None:
    if not request.user.has_perm(SUBSCRIBER_PERMISSION):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def send(request, page_id: int):
    """Confirm, then send the issue to every active subscriber."""
    issue = _issue(request, page_id, publish=True)
    dispatch = selectors.dispatch_for_issue(issue=issue)
    if request.method == "POST":
        try:
            dispatch, created = services.issue_send(issue=issue, user=request.user)
        except services.SendError as error:
            messages.error(request, str(error))
            return redirect("newsletters_admin:send", issue.pk)
        if created:
            messages.success(
                request,
                _("Sending started: %(count)s subscribers.")
                % {"count": selectors.dispatch_stats(dispatch=dispatch)["total"]},
            )
        else:
            messages.warning(
                request, _("This issue has already been sent: nothing was sent again.")
            )
        return redirect("newsletters_admin:report", issue.pk)
    return TemplateResponse(
        request,
        "newsletters/admin/send.html",
        {
            "issue": issue,
            "dispatch": dispatch,
            "languages": selectors.issue_languages(issue=issue),
            "subscribers": selectors.active_subscribers_by_language(),
        },
    )


@require_http_methods(["GET", "POST"])
def send_test(request, page_id: int):
    """Email the latest version of the issue (draft included) to the editor."""
    issue = _issue(request, page_id)
    draft = issue.get_latest_revision_as_object()
    if request.method == "POST":
        services.issue_send_test(issue=draft, user=request.user)
        messages.success(
            request, _("Test sent to %(email)s.") % {"email": request.user.email}
        )
        return redirect("wagtailadmin_pages:edit", issue.pk)
    return TemplateResponse(
        request, "newsletters/admin/send_test.html", {"issue": issue}
    )


@require_http_methods(["GET", "POST"])
def report(request, page_id: int):
    """Sent, failed and waiting deliveries; resume or retry what is left."""
    issue = _issue(request, page_id)
    dispatch = selectors.dispatch_for_issue(issue=issue)
    if request.method == "POST" and dispatch is not None:
        if not issue.permissions_for_user(request.user).can_publish():
            raise PermissionDenied
        services.dispatch_resume(dispatch=dispatch)
        messages.success(request, _("Sending resumed for what is left."))
        return redirect("newsletters_admin:report", issue.pk)
    failed = selectors.failed_deliveries(dispatch=dispatch)[:200] if dispatch else []
    return TemplateResponse(
        request,
        "newsletters/admin/report.html",
        {
            "issue": issue,
            "dispatch": dispatch,
            "stats": selectors.dispatch_stats(dispatch=dispatch) if dispatch else None,
            "failed": failed,
        },
    )


@require_http_methods(["GET", "POST"])
def import_upload(request):
    _require_subscriber_permission(request)
    problem = ""
    if request.method == "POST":
        form = SubscriberImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                batch = services.import_prepare(
                    content=upload.read(services.MAX_IMPORT_BYTES + 1),
                    filename=upload.name,
                    user=request.user,
                    consent_source=form.cleaned_data["consent_source"],
                    ask_confirmation=form.cleaned_data["ask_confirmation"],
                )
            except services.ImportRejected as error:
                problem = str(error)
            else:
                return redirect("newsletters_admin:import_review", batch.pk)
    else:
        form = SubscriberImportForm()
    return TemplateResponse(
        request,
        "newsletters/admin/import.html",
        {"form": form, "problem": problem},
        status=400 if problem or form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def import_review(request, pk: int):
    """The per-row report; the new addresses are added only on confirmation."""
    _require_subscriber_permission(request)
    batch = get_object_or_404(SubscriberImport, pk=pk, created_by=request.user)
    if request.method == "POST" and batch.applied_at is None:
        try:
            result = services.import_apply(batch=batch, user=request.user)
        except services.ImportRejected as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(added)s addresses added; %(skipped)s rows left out.")
                % {"added": result.added, "skipped": result.skipped},
            )
            return redirect("newsletters_subscriber:index")
    rows = batch.rows
    counts = {}
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    return TemplateResponse(
        request,
        "newsletters/admin/import_review.html",
        {
            "batch": batch,
            "counts": counts,
            "new": counts.get(services.RowStatus.NEW, 0),
            "problems": [row for row in rows if row["status"] != "new"],
            "sample": [row for row in rows if row["status"] == "new"][:20],
        },
    )


EXPORT_COLUMNS = [
    "email",
    "name",
    "organisation",
    "language",
    "status",
    "created_at",
    "confirmed_at",
    "consent_at",
    "consent_source",
    "unsubscribed_at",
]


@require_GET
def export(request):
    """All subscribers as CSV, streamed (constant memory whatever the size)."""
    _require_subscriber_permission(request)

    def rows():
        yield EXPORT_COLUMNS
        queryset = Subscriber.objects.order_by("pk").values_list(*EXPORT_COLUMNS)
        yield from queryset.iterator(chunk_size=2000)

    stamp = timezone.localdate().isoformat()
    # A staff export for spreadsheets: with a BOM (see portal.csvsafe).
    response = csvsafe.streaming_response(
        rows(), filename=f"newsletter-subscribers-{stamp}.csv", bom=True
    )
    return response
