"""The import view in the Wagtail admin, for editors of an objective or a report.

Wagtail wraps every URL registered through ``register_admin_urls`` in its admin
access check; on top of it, the editor must be allowed to edit this very page.
"""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.models import Page

from . import importers, services
from .forms import ObjectiveImportForm, ReportImportForm
from .models import ObjectivePage, ProgrammeReportPage

logger = logging.getLogger(__name__)


@require_http_methods(["GET", "POST"])
def import_rows(request, page_id: int):
    page = get_object_or_404(Page, pk=page_id).specific
    if not isinstance(page, ObjectivePage | ProgrammeReportPage):
        raise PermissionDenied
    permissions = page.permissions_for_user(request.user)
    if not permissions.can_edit():
        raise PermissionDenied
    is_objective = isinstance(page, ObjectivePage)
    form_class = ObjectiveImportForm if is_objective else ReportImportForm
    can_publish = permissions.can_publish()
    issues: list[importers.ImportIssue] = []
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, can_publish=can_publish)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            publish = form.cleaned_data.get("publish", False)
            try:
                if is_objective:
                    result = services.objective_import(
                        page=page,
                        kind=form.cleaned_data["kind"],
                        content=upload.read(),
                        filename=upload.name,
                        user=request.user,
                        publish=publish,
                    )
                else:
                    result = services.report_import(
                        page=page,
                        content=upload.read(),
                        filename=upload.name,
                        user=request.user,
                        publish=publish,
                    )
            except importers.ImportRejected as rejected:
                logger.info(
                    "Import of %s into page %s by user %s rejected: %s problem(s)",
                    upload.name,
                    page.pk,
                    request.user.pk,
                    len(rejected.issues),
                )
                issues = rejected.issues
            else:
                if result.published:
                    text = _("%(count)s rows imported and published.")
                else:
                    text = _("%(count)s rows imported as a draft: review and publish.")
                messages.success(request, text % {"count": result.count})
                return redirect("wagtailadmin_pages:edit", page.pk)
    else:
        form = form_class(can_publish=can_publish)
    return TemplateResponse(
        request,
        "monitoring/admin/import.html",
        {
            "page": page,
            "form": form,
            "issues": issues,
            "is_objective": is_objective,
            "action_url": reverse("monitoring_import", args=[page.pk]),
        },
        status=400 if issues else 200,
    )
