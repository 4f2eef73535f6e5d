"""Vacancies: the public and network job boards and the desk's front office."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from portal.forbidden import Forbidden
from portal.opendata import conf as opendata_conf
from portal.schema import json_ld

from .. import classifications, exports, permissions, selectors, services
from ..feeds import VacancyRssFeed
from ..forms import (
    LanguageFormSet,
    VacancyCloseForm,
    VacancyForm,
    add_service_errors,
    language_rows,
)
from ..models import Sportello, Vacancy
from .desks import PAGE_SIZE, _desk_for


def _board(request, *, network: bool):
    filters = selectors.board_filters(request.GET)
    vacancies = selectors.vacancy_list_board(network=network, filters=filters)
    page_obj = Paginator(vacancies, PAGE_SIZE).get_page(request.GET.get("page"))
    facets = selectors.vacancy_facets(network=network, filters=filters)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "sportelli/vacancy_board.html",
        {
            "network": network,
            "page_obj": page_obj,
            "total": page_obj.paginator.count,
            "facet_groups": [
                (name, VACANCY_FACET_TITLES[name], values, filters[name])
                for name, values in facets.items()
            ],
            "filters": filters,
            "filtered": any(filters.values()),
            "filter_query": query.urlencode(),
            "licence_url": opendata_conf.licence().url,
        },
    )


VACANCY_FACET_TITLES = {
    "isco": _("Occupation group"),
    "ateco": _("Sector"),
    "province": _("Province"),
    "contract": _("Contract"),
    "time": _("Working time"),
}


@require_safe
def vacancy_board(request):
    return _board(request, network=False)


@login_required
@require_safe
def vacancy_board_network(request):
    if not permissions.is_network_member(request.user):
        raise Forbidden(_("Only the people of the network's job desks see this."))
    return _board(request, network=True)


@require_safe
def vacancy_detail(request, pk: int):
    found = selectors.vacancy_get_for_user(pk=pk, user=request.user)
    if found.gone:
        return render(request, "sportelli/vacancy_gone.html", status=410)
    if found.vacancy is None:
        raise Http404("No such vacancy.")
    vacancy = found.vacancy
    occupation = classifications.isco_unit(vacancy.isco_code)
    live_public = vacancy.status == Vacancy.Status.PUBLISHED and vacancy.is_public
    return render(
        request,
        "sportelli/vacancy_detail.html",
        {
            "vacancy": vacancy,
            "can_manage": found.can_manage,
            "occupation": occupation,
            "occupation_group": classifications.isco_major(vacancy.isco_code),
            "activity": classifications.ateco_activity(vacancy.ateco_code),
            "section_label": classifications.ateco_section_label(vacancy.ateco_section),
            "employer": selectors.vacancy_employer_label(vacancy),
            "close_form": VacancyCloseForm() if found.can_manage else None,
            "schema_org": (
                json_ld(selectors.vacancy_json_ld(vacancy=vacancy))
                if live_public and vacancy.sportello.is_public
                else None
            ),
        },
    )


@require_safe
def vacancy_feed(request):
    return VacancyRssFeed()(request)


@require_safe
def vacancies_csv(request):
    return exports.vacancies_csv_response()


@require_safe
def vacancies_json(request):
    return exports.vacancies_json_response()


def _vacancy_desk(request, slug: str) -> Sportello:
    sportello, access = _desk_for(request, slug, need="view")
    if not access.vacancies:
        raise Forbidden(
            _("Only the desk's operators and managers handle its vacancies.")
        )
    return sportello


@login_required
@require_safe
def desk_vacancies(request, slug: str):
    sportello = _vacancy_desk(request, slug)
    status = request.GET.get("status", "")
    if status not in Vacancy.Status.values:
        status = ""
    return render(
        request,
        "sportelli/desk_vacancies.html",
        {
            "sportello": sportello,
            "vacancies": selectors.vacancy_list_for_desk(
                sportello=sportello, status=status
            ),
            "counts": selectors.vacancy_status_counts(sportello=sportello),
            "status": status,
            "statuses": Vacancy.Status.choices,
        },
    )


def _vacancy_initial(vacancy: Vacancy) -> tuple[dict, list[dict]]:
    initial = {
        name: getattr(vacancy, name)
        for name in (
            "title",
            "isco_code",
            "cp2011_code",
            "ateco_code",
            "contract_type",
            "working_time",
            "positions",
            "education_level",
            "driving_licence",
            "experience_years",
            "description",
            "how_to_apply",
            "employer_name",
            "employer_visible",
            "visibility",
            "deadline",
            "external_id",
        )
    }
    initial["municipality"] = vacancy.municipality_id
    return initial, list(vacancy.languages)


def _vacancy_form_page(request, *, sportello: Sportello, vacancy=None):
    initial, languages_initial = (
        _vacancy_initial(vacancy)
        if vacancy is not None
        else ({"municipality": sportello.municipality_id}, [])
    )
    data = request.POST if request.method == "POST" else None
    form = VacancyForm(data, initial=initial, sportello=sportello)
    formset = LanguageFormSet(data, initial=languages_initial, prefix="languages")
    language_errors: list[str] = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        details = form.details(language_rows(formset))
        try:
            if vacancy is None:
                vacancy = services.vacancy_create(
                    sportello=sportello, by=request.user, details=details
                )
            else:
                vacancy = services.vacancy_update(
                    vacancy=vacancy, by=request.user, details=details
                )
        except ValidationError as error:
            language_errors = add_service_errors(form, error, extra=("languages",))
        else:
            messages.success(request, _("The vacancy has been saved."))
            return redirect("sportelli:vacancy", vacancy.pk)
    return render(
        request,
        "sportelli/vacancy_form.html",
        {
            "form": form,
            "formset": formset,
            "language_errors": language_errors,
            "sportello": sportello,
            "vacancy": vacancy,
            "ateco_divisions": classifications.ateco_divisions(),
        },
    )


@login_required
def vacancy_create(request, slug: str):
    sportello = _vacancy_desk(request, slug)
    return _vacancy_form_page(request, sportello=sportello)


def _desk_vacancy(request, slug: str, pk: int) -> tuple[Sportello, Vacancy]:
    sportello = _vacancy_desk(request, slug)
    vacancy = get_object_or_404(
        Vacancy.objects.select_related("sportello__organisation"),
        pk=pk,
        sportello=sportello,
    )
    return sportello, vacancy


@login_required
def vacancy_edit(request, slug: str, pk: int):
    sportello, vacancy = _desk_vacancy(request, slug, pk)
    if vacancy.status == Vacancy.Status.CLOSED:
        messages.error(request, _("A closed vacancy cannot be changed."))
        return redirect("sportelli:vacancy", vacancy.pk)
    return _vacancy_form_page(request, sportello=sportello, vacancy=vacancy)


@login_required
@require_POST
def vacancy_publish(request, slug: str, pk: int):
    _sportello, vacancy = _desk_vacancy(request, slug, pk)
    try:
        services.vacancy_publish(vacancy=vacancy, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The vacancy has been published."))
    return redirect("sportelli:vacancy", vacancy.pk)


@login_required
@require_POST
def vacancy_close(request, slug: str, pk: int):
    _sportello, vacancy = _desk_vacancy(request, slug, pk)
    form = VacancyCloseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose why the vacancy is closed."))
        return redirect("sportelli:vacancy", vacancy.pk)
    try:
        services.vacancy_close(
            vacancy=vacancy, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The vacancy has been closed."))
    return redirect("sportelli:vacancy", vacancy.pk)
