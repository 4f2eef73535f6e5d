"""The exchange between desks: proposals, their page, the notifications
inbox, the "propose" forms and the match suggestions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from portal.forbidden import Forbidden

from .. import classifications, permissions, selectors
from ..forms import add_service_errors
from ..forms.exchange import ProposalMessageForm, ProposalMoveForm, ProposeForm
from ..models import Candidature, ProposalStatus, Vacancy
from ..selectors import exchange as exchange_selectors
from ..services import exchange as exchange_services
from ..services.candidatures import profile_view_record
from .desks import PAGE_SIZE, _desk_for
from .vacancies import _desk_vacancy

DIRECTIONS = {
    "received": _("Received"),
    "sent": _("Sent"),
}


@login_required
@require_safe
def proposals(request, slug: str):
    """A desk's proposals, received and sent, by status."""
    sportello, _access = _desk_for(request, slug, need="view")
    direction = request.GET.get("direction", "")
    if direction not in DIRECTIONS:
        direction = ""
    status = request.GET.get("status", "")
    if status not in ProposalStatus.values:
        status = ""
    items = exchange_selectors.proposal_list_for_desk(
        sportello=sportello, direction=direction, status=status
    )
    page_obj = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "sportelli/proposal_list.html",
        {
            "sportello": sportello,
            "page_obj": page_obj,
            "direction": direction,
            "directions": list(DIRECTIONS.items()),
            "status": status,
            "statuses": ProposalStatus.choices,
            "counts": exchange_selectors.proposal_status_counts(
                sportello=sportello, direction=direction
            ),
        },
    )


def _proposal_for(request, pk: int):
    found = exchange_selectors.proposal_get_for_user(pk=pk, user=request.user)
    if found.proposal is None:
        raise Http404("No such proposal.")
    return found


def _proposal_page(request, found, *, message_form=None, move_note_errors=None):
    proposal = found.proposal
    vacancy = proposal.vacancy
    candidature = proposal.candidature
    if candidature is not None and "candidature" not in found.sides:
        # The vacancy's desk (or staff) reads another desk's profile: logged.
        profile_view_record(candidature=candidature, viewer=request.user, via="web")
    exchange_services.notification_mark_read_for_proposal(
        user=request.user, proposal=proposal
    )
    positions_left = exchange_selectors.vacancy_positions_left(vacancy=vacancy)
    occupations = []
    if candidature is not None:
        for row in candidature.occupations.all():
            unit = classifications.isco_unit(row.isco_code)
            occupations.append((row.isco_code, unit.title if unit else ""))
    can_close = (
        "vacancy" in found.sides
        and vacancy.status == Vacancy.Status.PUBLISHED
        and permissions.desk_access(request.user, vacancy.sportello).vacancies
    )
    return render(
        request,
        "sportelli/proposal_detail.html",
        {
            "proposal": proposal,
            "vacancy": vacancy,
            "candidature": candidature,
            "occupations": occupations,
            "sides": found.sides,
            "steps": exchange_selectors.proposal_next_steps(
                proposal=proposal, sides=found.sides
            ),
            "history": exchange_selectors.proposal_history(proposal=proposal),
            "thread": exchange_selectors.proposal_messages(proposal=proposal),
            "message_form": message_form or ProposalMessageForm(),
            "move_note_errors": move_note_errors or [],
            "positions_left": positions_left,
            "offer_close": can_close and positions_left == 0,
            "can_close": can_close,
        },
    )


@login_required
@require_safe
def proposal(request, pk: int):
    return _proposal_page(request, _proposal_for(request, pk))


@login_required
@require_POST
def proposal_move(request, pk: int):
    found = _proposal_for(request, pk)
    form = ProposalMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a step."))
        return redirect(found.proposal)
    try:
        moved = exchange_services.proposal_move(
            proposal=found.proposal,
            by=request.user,
            to_status=form.cleaned_data["to_status"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(found.proposal)
    messages.success(
        request,
        _("The proposal is now: %(status)s.") % {"status": moved.get_status_display()},
    )
    if moved.status == ProposalStatus.HIRED:
        left = exchange_selectors.vacancy_positions_left(vacancy=moved.vacancy)
        if left:
            messages.info(
                request,
                ngettext(
                    "%(count)s position of the vacancy is still open.",
                    "%(count)s positions of the vacancy are still open.",
                    left,
                )
                % {"count": left},
            )
        else:
            messages.info(
                request,
                _("Every position is filled: you may close the vacancy as filled."),
            )
    return redirect(moved)


@login_required
@require_POST
def proposal_message(request, pk: int):
    found = _proposal_for(request, pk)
    form = ProposalMessageForm(request.POST)
    if form.is_valid():
        try:
            exchange_services.proposal_message_add(
                proposal=found.proposal, by=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your message has been sent."))
            return redirect(f"{found.proposal.get_absolute_url()}#thread")
    return _proposal_page(request, found, message_form=form)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def vacancy_propose(request, pk: int):
    """Propose one of your desk's candidatures for a vacancy of another desk."""
    found = selectors.vacancy_get_for_user(pk=pk, user=request.user)
    if found.vacancy is None:
        raise Http404("No such vacancy.")
    vacancy = found.vacancy
    if vacancy.status != Vacancy.Status.PUBLISHED:
        raise Http404("No such vacancy.")
    if not exchange_selectors.public_desks_of_user(
        user=request.user, exclude_desk_id=vacancy.sportello_id
    ):
        raise Forbidden(_("Only the people of another desk of the network propose."))
    candidatures = exchange_selectors.candidatures_proposable_for_user(
        user=request.user, exclude_desk_id=vacancy.sportello_id
    ).exclude(proposals__vacancy=vacancy)
    initial = {}
    if request.GET.get("candidature", "").isdigit():
        initial["candidature"] = int(request.GET["candidature"])
    form = ProposeForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        candidatures=candidatures,
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = exchange_services.proposal_create(
                vacancy=vacancy,
                candidature=form.cleaned_data["candidature"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The candidature has been proposed."))
            return redirect(created)
    return render(
        request,
        "sportelli/proposal_form.html",
        {"form": form, "vacancy": vacancy, "candidature": None},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def candidature_propose(request, pk: int):
    """Propose a candidature of your desk for one of the network's vacancies."""
    candidature = get_object_or_404(
        Candidature.objects.select_related("sportello", "municipality"), pk=pk
    )
    if not permissions.desk_access(request.user, candidature.sportello).view:
        raise Http404("No such candidature.")
    vacancies = exchange_selectors.vacancies_proposable_for(
        user=request.user, candidature=candidature
    )
    initial = {}
    if request.GET.get("vacancy", "").isdigit():
        initial["vacancy"] = int(request.GET["vacancy"])
    form = ProposeForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        vacancies=vacancies,
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = exchange_services.proposal_create(
                vacancy=form.cleaned_data["vacancy"],
                candidature=candidature,
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The candidature has been proposed."))
            return redirect(created)
    return render(
        request,
        "sportelli/proposal_form.html",
        {"form": form, "vacancy": None, "candidature": candidature},
    )


@login_required
@require_safe
def vacancy_suggestions(request, slug: str, pk: int):
    sportello, vacancy = _desk_vacancy(request, slug, pk)
    found = exchange_selectors.suggestions_for_vacancy(
        vacancy=vacancy, user=request.user
    )
    exchange_services.suggestion_views_record(
        candidatures=[item.item for item in found],
        viewer=request.user,
        viewer_sportello=sportello,
    )
    return render(
        request,
        "sportelli/suggestions_vacancy.html",
        {"sportello": sportello, "vacancy": vacancy, "suggestions": found},
    )


@login_required
@require_safe
def candidature_suggestions(request, slug: str, pk: int):
    sportello, _access = _desk_for(request, slug, need="view")
    candidature = get_object_or_404(
        Candidature.objects.select_related("municipality", "sportello"),
        pk=pk,
        sportello=sportello,
    )
    found = exchange_selectors.suggestions_for_candidature(
        candidature=candidature, user=request.user
    )
    proposed = set(candidature.proposals.values_list("vacancy_id", flat=True))
    return render(
        request,
        "sportelli/suggestions_candidature.html",
        {
            "sportello": sportello,
            "candidature": candidature,
            "suggestions": found,
            "proposed": proposed,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notifications(request):
    """The user's inbox of the exchange; POST marks one (or all) read."""
    if request.method == "POST":
        pk = request.POST.get("notification", "")
        if pk.isdigit():
            exchange_services.notification_mark_read(user=request.user, pk=int(pk))
        elif request.POST.get("all"):
            exchange_services.notification_mark_read(user=request.user)
        return redirect("sportelli:notifications")
    items = exchange_selectors.notification_list(user=request.user)
    page_obj = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "sportelli/notifications.html",
        {
            "page_obj": page_obj,
            "unread": exchange_selectors.notification_unread_count(user=request.user),
        },
    )
