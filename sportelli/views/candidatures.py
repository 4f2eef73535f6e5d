"""Candidatures: the desk's front office (profiles, consent, renewal, who viewed
them) and the network's list of shared pseudonymous profiles."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from portal.forbidden import Forbidden

from .. import classifications, permissions
from ..forms import LanguageFormSet, add_service_errors, language_rows
from ..forms.candidatures import (
    CandidatureForm,
    CandidatureStatusForm,
    ConsentForm,
    WithdrawForm,
)
from ..models import Candidature, Sportello
from ..selectors import candidatures as selectors
from ..services import candidatures as services
from .desks import PAGE_SIZE, _desk_for


def _candidature_desk(request, slug: str) -> Sportello:
    sportello, access = _desk_for(request, slug, need="view")
    if not permissions.can_handle_candidatures(request.user, sportello, access):
        raise Forbidden(
            _("Only the desk's operators and managers handle its candidatures.")
        )
    return sportello


def _desk_candidature(request, slug: str, pk: int) -> tuple[Sportello, Candidature]:
    sportello = _candidature_desk(request, slug)
    candidature = get_object_or_404(
        Candidature.objects.select_related("sportello__organisation", "municipality"),
        pk=pk,
        sportello=sportello,
    )
    return sportello, candidature


def _filter_query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- Front office -----------------------------------------------------------------


@login_required
@require_safe
def desk_candidatures(request, slug: str):
    sportello = _candidature_desk(request, slug)
    filters = selectors.desk_filters(request.GET)
    candidatures = selectors.candidature_list_for_desk(
        sportello=sportello, filters=filters
    )
    page_obj = Paginator(candidatures, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "sportelli/candidature_list.html",
        {
            "sportello": sportello,
            "page_obj": page_obj,
            "filters": filters,
            "filtered": any(filters.values()),
            "filter_query": _filter_query(request),
            "statuses": Candidature.Status.choices,
            "occupation_groups": [
                (group.code, group.coded_title)
                for group in classifications.isco_major_groups()
            ],
            "expiring_days": selectors.EXPIRING_DAYS,
        },
    )


def _candidature_initial(candidature: Candidature) -> tuple[dict, list[dict]]:
    initial = {
        name: getattr(candidature, name)
        for name in (
            "reference_code",
            "external_id",
            "mobility",
            "mobility_km",
            "availability",
            "working_time",
            "education_level",
            "driving_licence",
            "experience_years",
            "summary",
        )
    }
    initial["municipality"] = candidature.municipality_id
    initial["skills"] = ", ".join(candidature.skills or [])
    initial["occupations"] = list(
        candidature.occupations.order_by("isco_code").values_list(
            "isco_code", flat=True
        )
    )
    return initial, list(candidature.languages)


def _candidature_form_page(request, *, sportello: Sportello, candidature=None):
    creating = candidature is None
    initial, languages_initial = (
        _candidature_initial(candidature)
        if not creating
        else ({"municipality": sportello.municipality_id}, [])
    )
    data = request.POST if request.method == "POST" else None
    form = CandidatureForm(data, initial=initial, sportello=sportello)
    formset = LanguageFormSet(data, initial=languages_initial, prefix="languages")
    consent_form = ConsentForm(data, prefix="consent") if creating else None
    language_errors: list[str] = []
    if (
        request.method == "POST"
        and form.is_valid()
        and formset.is_valid()
        and (consent_form is None or consent_form.is_valid())
    ):
        details = form.details(language_rows(formset))
        try:
            if creating:
                candidature = services.candidature_create(
                    sportello=sportello,
                    by=request.user,
                    details=details,
                    consent_scope=consent_form.cleaned_data["consent_scope"],
                    consent_given_on=consent_form.cleaned_data["consent_given_on"],
                )
            else:
                candidature = services.candidature_update(
                    candidature=candidature, by=request.user, details=details
                )
        except ValidationError as error:
            language_errors = _service_errors(form, consent_form, error)
        else:
            messages.success(request, _("The candidature has been saved."))
            return redirect(
                "sportelli:candidature_edit", sportello.slug, candidature.pk
            )
    return render(
        request,
        "sportelli/candidature_form.html",
        {
            "form": form,
            "formset": formset,
            "consent_form": consent_form,
            "language_errors": language_errors,
            "sportello": sportello,
            "candidature": candidature,
            "consents": (
                selectors.candidature_consents(candidature=candidature)
                if candidature is not None
                else []
            ),
        },
    )


def _service_errors(form, consent_form, error: ValidationError) -> list[str]:
    """The service's per-field errors on the profile's and the consent's
    fields; the languages' ones returned for their own part of the page."""
    if consent_form is not None and hasattr(error, "error_dict"):
        consent_errors = {
            name: error.error_dict.pop(name)
            for name in list(error.error_dict)
            if name in ("consent_scope", "consent_given_on")
        }
        for name, errors in consent_errors.items():
            consent_form.add_error(name, errors)
    return add_service_errors(form, error, extra=("languages",))


@login_required
def candidature_create(request, slug: str):
    sportello = _candidature_desk(request, slug)
    return _candidature_form_page(request, sportello=sportello)


@login_required
def candidature_edit(request, slug: str, pk: int):
    sportello, candidature = _desk_candidature(request, slug, pk)
    return _candidature_form_page(request, sportello=sportello, candidature=candidature)


@login_required
@require_POST
def candidature_renew(request, slug: str, pk: int):
    sportello, candidature = _desk_candidature(request, slug, pk)
    candidature = services.candidature_renew(candidature=candidature, by=request.user)
    messages.success(
        request,
        _("The candidature is kept until %(date)s.")
        % {"date": date_format(candidature.expires_on, "DATE_FORMAT")},
    )
    return redirect("sportelli:candidature_edit", sportello.slug, candidature.pk)


@login_required
@require_POST
def candidature_status(request, slug: str, pk: int):
    sportello, candidature = _desk_candidature(request, slug, pk)
    form = CandidatureStatusForm(request.POST)
    if form.is_valid():
        candidature = services.candidature_set_status(
            candidature=candidature, by=request.user, status=form.cleaned_data["status"]
        )
        if candidature.status == Candidature.Status.ACTIVE:
            messages.success(request, _("The profile is shared with the network."))
        else:
            messages.success(
                request, _("The profile is no longer shared with the network.")
            )
    else:
        messages.error(request, _("Choose whether the profile is shared."))
    return redirect("sportelli:candidature_edit", sportello.slug, candidature.pk)


@login_required
def candidature_withdraw(request, slug: str, pk: int):
    sportello, candidature = _desk_candidature(request, slug, pk)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        reference = candidature.reference_code
        services.consent_withdraw(candidature=candidature, by=request.user)
        messages.success(
            request,
            _(
                "Consent withdrawn: the profile %(code)s has been deleted. The "
                "consent record is kept."
            )
            % {"code": reference},
        )
        return redirect("sportelli:candidatures", sportello.slug)
    return render(
        request,
        "sportelli/candidature_withdraw.html",
        {"sportello": sportello, "candidature": candidature, "form": form},
    )


@login_required
@require_safe
def candidature_views(request, slug: str):
    sportello = _candidature_desk(request, slug)
    views = selectors.profile_view_list_for_desk(sportello=sportello)
    page_obj = Paginator(views, PAGE_SIZE * 2).get_page(request.GET.get("page"))
    return render(
        request,
        "sportelli/candidature_views.html",
        {
            "sportello": sportello,
            "page_obj": page_obj,
            "ended_consents": selectors.consent_list_ended(sportello=sportello),
        },
    )


# --- Network ----------------------------------------------------------------------


def _network_member(request) -> None:
    if not permissions.is_network_member_cached(request.user):
        raise Forbidden(_("Only the people of the network's job desks see this."))


@login_required
@require_safe
def network_candidatures(request):
    _network_member(request)
    filters = selectors.network_filters(request.GET)
    candidatures = selectors.candidature_list_shared(user=request.user, filters=filters)
    page_obj = Paginator(candidatures, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "sportelli/candidature_network.html",
        {
            "page_obj": page_obj,
            "rows": [
                (candidature, selectors.candidature_occupation_rows(candidature))
                for candidature in page_obj.object_list
            ],
            "total": page_obj.paginator.count,
            "filters": filters,
            "filtered": any(filters.values()),
            "filter_query": _filter_query(request),
            "options": selectors.network_filter_options(user=request.user),
        },
    )


@login_required
@require_safe
def candidature_detail(request, pk: int):
    found = selectors.candidature_get_for_user(pk=pk, user=request.user)
    if found.candidature is None:
        _network_member(request)
        raise Http404("No such candidature.")
    candidature = found.candidature
    services.profile_view_record(candidature=candidature, viewer=request.user)
    return render(
        request,
        "sportelli/candidature_detail.html",
        {
            "candidature": candidature,
            "own": found.own,
            "occupations": selectors.candidature_occupation_rows(candidature),
            "languages": candidature.language_rows(),
        },
    )
