"""The public directory of job desks and the desks' own front office."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from portal.accounts.models import Organisation
from portal.forbidden import Forbidden
from portal.opendata import conf as opendata_conf
from portal.schema import json_ld

from .. import exports, permissions, selectors, services
from ..forms import (
    AgreementForm,
    CharterForm,
    DeskRoleForm,
    DirectoryFilterForm,
    HoursFormSet,
    SportelloForm,
    add_service_errors,
    hours_rows,
)
from ..models import Agreement, DeskRole, ServiceCharter, Sportello
from ..selectors.exchange import notification_unread_count

logger = logging.getLogger(__name__)

PAGE_SIZE = 20


# --- Public directory -----------------------------------------------------------


@require_safe
def directory(request):
    options = selectors.directory_filter_options()
    form = DirectoryFilterForm(request.GET or None, options=options)
    filters = form.values()
    desks = selectors.sportello_list_public(**filters)
    page_obj = Paginator(desks, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "sportelli/directory.html",
        {
            "form": form,
            "page_obj": page_obj,
            "total": page_obj.paginator.count,
            "filtered": any(filters.values()),
            # Not "query": base.html fills the header search box with that.
            "filter_query": query.urlencode(),
            "licence_url": opendata_conf.licence().url,
            "has_examples": options.has_examples,
        },
    )


@require_safe
def detail(request, slug: str):
    found = selectors.sportello_get_for_user(slug=slug, user=request.user)
    if found is None:
        raise Http404("No such job desk.")
    sportello, access = found
    info = selectors.sportello_detail(sportello=sportello)
    return render(
        request,
        "sportelli/detail.html",
        {
            "sportello": sportello,
            "access": access,
            "info": info,
            "hours_by_day": selectors.hours_by_day(info.hours),
            "schema_org": json_ld(
                selectors.sportello_json_ld(sportello=sportello, detail=info)
            ),
        },
    )


@require_safe
def open_data_csv(request):
    return exports.csv_response()


@require_safe
def open_data_json(request):
    return exports.json_response()


@require_safe
def open_data_geojson(request):
    return exports.geojson_response()


_DOCUMENT_MODELS = {"carta": ServiceCharter, "accordo": Agreement}


@require_safe
def document(request, kind: str, pk: int, filename: str):
    """A charter or agreement PDF, for whoever may see its desk."""
    model = _DOCUMENT_MODELS.get(kind)
    if model is None:
        raise Http404("No such document.")
    item = get_object_or_404(model, pk=pk)
    if not item.file or item.filename != filename:
        raise Http404("No such document.")
    if (
        selectors.sportello_visible_by_pk(pk=item.sportello_id, user=request.user)
        is None
    ):
        raise Http404("No such document.")
    try:
        handle = item.file.open("rb")
    except OSError:
        logger.error("Desk document %s %s is missing from storage", kind, pk)
        raise Http404("No such document.") from None
    response = FileResponse(handle, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, item.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


# --- Front office ---------------------------------------------------------------


def _desk_for(request, slug: str, *, need: str) -> tuple[Sportello, object]:
    """The desk and the user's access, or 404 (cannot see it) / 403 (cannot do
    ``need`` there)."""
    found = selectors.sportello_get_for_user(slug=slug, user=request.user)
    if found is None:
        raise Http404("No such job desk.")
    sportello, access = found
    if not getattr(access, need):
        if need == "manage_roles":
            raise Forbidden(
                _("Only the referente of the administration assigns roles.")
            )
        raise Forbidden(_("Only the desk's managers can do this."))
    return sportello, access


@login_required
@require_safe
def manage_list(request):
    desks = selectors.sportello_list_for_user(user=request.user)
    return render(
        request,
        "sportelli/manage_list.html",
        {
            "desks": desks,
            "organisations": selectors.organisation_list_can_create(user=request.user),
            "unread": notification_unread_count(user=request.user) if desks else 0,
        },
    )


def _desk_form_page(request, *, organisation, sportello=None):
    initial = {}
    hours_initial = []
    if sportello is not None:
        info = selectors.sportello_detail(sportello=sportello)
        initial = {
            "name": sportello.name,
            "municipality": sportello.municipality_id,
            "address": sportello.address,
            "postcode": sportello.postcode,
            "latitude": sportello.latitude,
            "longitude": sportello.longitude,
            "phone": sportello.phone,
            "email": sportello.email,
            "pec": sportello.pec,
            "description": sportello.description,
            "services": [item.service for item in info.services],
            "status": sportello.status,
        }
        hours_initial = [
            {"weekday": row.weekday, "opens": row.opens, "closes": row.closes}
            for row in info.hours
        ]
    data = request.POST if request.method == "POST" else None
    form = SportelloForm(data, initial=initial, organisation=organisation)
    formset = HoursFormSet(data, initial=hours_initial, prefix="hours")
    hours_errors: list[str] = []
    original = sportello
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        details = form.details(hours_rows(formset))
        try:
            with transaction.atomic():
                if sportello is None:
                    sportello = services.sportello_create(
                        organisation=organisation, by=request.user, details=details
                    )
                else:
                    sportello = services.sportello_update(
                        sportello=sportello, by=request.user, details=details
                    )
                if form.cleaned_data["status"] != sportello.status:
                    sportello = services.sportello_set_status(
                        sportello=sportello,
                        by=request.user,
                        status=form.cleaned_data["status"],
                    )
        except ValidationError as error:
            # Everything was rolled back: the page shows the desk as it was.
            sportello = original
            hours_errors = add_service_errors(form, error)
        else:
            messages.success(request, gettext("The job desk has been saved."))
            return redirect("sportelli:detail", sportello.slug)
    return render(
        request,
        "sportelli/desk_form.html",
        {
            "form": form,
            "formset": formset,
            "hours_errors": hours_errors,
            "organisation": organisation,
            "sportello": sportello,
        },
    )


@login_required
def desk_create(request, organisation_pk: int):
    organisation = get_object_or_404(Organisation, pk=organisation_pk)
    if not permissions.can_create_desk(request.user, organisation):
        raise Forbidden(
            _(
                "Only the referente of an approved administration can activate a "
                "job desk."
            )
        )
    return _desk_form_page(request, organisation=organisation)


@login_required
def desk_edit(request, slug: str):
    sportello, _access = _desk_for(request, slug, need="edit")
    return _desk_form_page(
        request, organisation=sportello.organisation, sportello=sportello
    )


@login_required
def desk_roles(request, slug: str):
    sportello, _access = _desk_for(request, slug, need="manage_roles")
    form = DeskRoleForm(
        request.POST or None,
        members=selectors.member_list_for_roles(sportello=sportello),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.desk_role_assign(
                sportello=sportello,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, gettext("The role has been saved."))
            return redirect("sportelli:roles", sportello.slug)
    return render(
        request,
        "sportelli/desk_roles.html",
        {
            "sportello": sportello,
            "form": form,
            "roles": selectors.desk_role_list(sportello=sportello),
        },
    )


@login_required
@require_POST
def desk_role_remove(request, slug: str, pk: int):
    sportello, _access = _desk_for(request, slug, need="manage_roles")
    desk_role = get_object_or_404(DeskRole, pk=pk, sportello=sportello)
    services.desk_role_remove(desk_role=desk_role, by=request.user)
    messages.success(request, gettext("The role has been removed."))
    return redirect("sportelli:roles", sportello.slug)


@login_required
def desk_documents(request, slug: str):
    sportello, _access = _desk_for(request, slug, need="edit")
    action = request.POST.get("action") if request.method == "POST" else None
    charter_form = CharterForm(
        request.POST if action == "charter" else None,
        request.FILES if action == "charter" else None,
        prefix="charter",
    )
    agreement_form = AgreementForm(
        request.POST if action == "agreement" else None,
        request.FILES if action == "agreement" else None,
        prefix="agreement",
    )
    if action == "charter" and charter_form.is_valid():
        data = charter_form.cleaned_data
        try:
            services.charter_upload(
                sportello=sportello,
                by=request.user,
                version=data["version"],
                file=data["file"],
                valid_from=data["valid_from"],
                notes=data["notes"],
            )
        except ValidationError as error:
            add_service_errors(charter_form, error)
        else:
            messages.success(request, gettext("The charter has been uploaded."))
            return redirect("sportelli:documents", sportello.slug)
    if action == "agreement" and agreement_form.is_valid():
        data = agreement_form.cleaned_data
        try:
            services.agreement_add(
                sportello=sportello,
                by=request.user,
                partner_name=data["partner_name"],
                kind=data["kind"],
                signed_on=data["signed_on"],
                valid_until=data["valid_until"],
                file=data["file"],
            )
        except ValidationError as error:
            add_service_errors(agreement_form, error)
        else:
            messages.success(request, gettext("The agreement has been recorded."))
            return redirect("sportelli:documents", sportello.slug)
    info = selectors.sportello_detail(sportello=sportello)
    return render(
        request,
        "sportelli/desk_documents.html",
        {
            "sportello": sportello,
            "info": info,
            "charter_form": charter_form,
            "agreement_form": agreement_form,
        },
    )


@login_required
@require_POST
def agreement_delete(request, slug: str, pk: int):
    sportello, _access = _desk_for(request, slug, need="edit")
    agreement = get_object_or_404(Agreement, pk=pk, sportello=sportello)
    services.agreement_delete(agreement=agreement, by=request.user)
    messages.success(request, gettext("The agreement has been removed."))
    return redirect("sportelli:documents", sportello.slug)
