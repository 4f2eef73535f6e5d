"""Views behind the seminar index's and seminar page's routes."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import csvsafe

from . import selectors, services
from .forms import RegistrationForm
from .ics import seminar_ics as build_seminar_ics
from .ics import seminars_ics
from .models import Registration


def seminar_index(request, *, index_page):
    """Upcoming and past seminars; the filters live in the query string."""
    filters = selectors.SeminarFilters.from_querydict(request.GET)
    today = timezone.localdate()
    return TemplateResponse(
        request,
        "seminars/seminar_index_page.html",
        {
            "page": index_page,
            "self": index_page,
            "filters": filters,
            "options": selectors.seminar_filter_options(index_page=index_page),
            "browse": selectors.seminar_browse(index_page=index_page, filters=filters),
            "this_month": today,
        },
    )


def seminar_month(request, *, index_page, year: int, month: int):
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Http404
    first = dt.date(year, month, 1)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return TemplateResponse(
        request,
        "seminars/seminar_month.html",
        {
            "page": index_page,
            "self": index_page,
            "month": first,
            "previous": previous,
            "following": following,
            "weeks": selectors.seminar_month(
                index_page=index_page, year=year, month=month
            ),
        },
    )


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def seminar_calendar_feed(request, *, index_page):
    """A calendar of upcoming seminars to subscribe to (webcal/https)."""
    seminars = selectors.seminar_upcoming(index_page=index_page)
    return _ics_response(
        seminars_ics(
            seminars,
            name=index_page.title,
            url_for=lambda seminar: seminar.get_full_url(request),
        ),
        "seminari.ics",
    )


def seminar_ics(request, *, seminar):
    """The public event (without the online link, which is for participants)."""
    return _ics_response(
        build_seminar_ics(seminar, url=seminar.get_full_url(request)),
        "seminario.ics",
    )


def seminar_register(request, *, seminar):
    if request.method != "POST":
        return redirect(seminar.url)
    if not request.user.is_authenticated:
        return redirect_to_login(seminar.url)
    form = RegistrationForm(request.POST)
    if form.is_valid():
        try:
            registration = services.registration_create(
                seminar=seminar, user=request.user, **form.cleaned_data
            )
        except services.RegistrationError as error:
            messages.error(request, str(error))
            return redirect(seminar.url)
        if registration.status == Registration.Status.CONFIRMED:
            messages.success(
                request,
                _(
                    "You are registered. We have sent you a confirmation email "
                    "with the event for your calendar."
                ),
            )
        else:
            messages.info(
                request,
                _(
                    "The seminar is full: you are on the waiting list. We will "
                    "email you if a place becomes free."
                ),
            )
        return redirect(seminar.url)
    return seminar.render(request, context_overrides={"form": form})


def registration_cancel(request, *, seminar, token):
    """The link from the email: a confirmation page, then the cancellation."""
    registration = (
        Registration.objects.filter(seminar=seminar, cancel_token=token)
        .select_related("seminar")
        .first()
    )
    if registration is None:
        raise Http404
    if request.method == "POST":
        services.registration_cancel(registration=registration)
        messages.success(request, _("Your registration has been cancelled."))
        return redirect(seminar.url)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    return TemplateResponse(
        request,
        "seminars/registration_cancel.html",
        {"page": seminar, "self": seminar, "registration": registration},
    )


def attendee_export(request, *, seminar):
    """Confirmed participants then the waiting list, as CSV, for staff only."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not selectors.can_export_attendees(user=request.user):
        return HttpResponse(status=403)
    # A staff export for spreadsheets: with a BOM (see portal.csvsafe).
    response = csvsafe.response(filename="iscritti.csv", bom=True)
    writer = csvsafe.writer(response)
    writer.writerow(
        [
            "status",
            "name",
            "email",
            "organisation",
            "role",
            "accessibility_needs",
            "registered_at",
        ]
    )
    for registration in selectors.registration_attendees(seminar=seminar):
        writer.writerow(
            [
                registration.status,
                registration.name,
                registration.user.email,
                registration.organisation,
                registration.role,
                registration.accessibility_needs,
                timezone.localtime(registration.created_at).isoformat(),
            ]
        )
    return response
