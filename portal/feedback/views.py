"""The public endpoint of the feedback form (see the package docstring for why
it is CSRF-exempt and how it is protected)."""

import logging
from http import HTTPStatus

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portal.clientip import client_ip

from . import selectors, services, spam
from .forms import AUTO_ID, FollowUpForm, RatingForm, rating_radios

logger = logging.getLogger(__name__)

FRAGMENT_HEADER = "X-Page-Feedback"


def _wants_fragment(request) -> bool:
    return request.headers.get(FRAGMENT_HEADER) == "fragment"


def _render(request, page, *, step: str, status=HTTPStatus.OK, **context):
    template = (
        "portal/feedback/step_fragment.html"
        if _wants_fragment(request)
        else "portal/feedback/step_page.html"
    )
    context = {"feedback_page": page, "step": step, **context}
    if step == "rating":
        context["radios"] = rating_radios(context.get("form"))
    return render(request, template, context, status=status)


def _thanks(request, page):
    if _wants_fragment(request):
        return _render(request, page, step="thanks")
    messages.success(request, _("Thank you for your feedback."))
    return HttpResponseRedirect(page.get_url(request) or "/")


@csrf_exempt
@never_cache
@require_POST
def submit(request, page_id: int):
    """Step 1 (a rating: answers with step 2) or step 2 (with the token from
    step 1: saves, then back to the page with a thank-you)."""
    page = selectors.page_for_feedback(page_id=page_id)
    if page is None:
        raise Http404
    if request.POST.get(spam.HONEYPOT_FIELD):
        logger.info("Page feedback honeypot filled on page %s: dropped", page.pk)
        return _thanks(request, page)
    ip = client_ip(request)
    if "token" not in request.POST:
        return _step_rating(request, page, ip)
    return _step_follow_up(request, page, ip)


def _limited(request, page):
    return _render(request, page, step="limited", status=HTTPStatus.TOO_MANY_REQUESTS)


def _step_rating(request, page, ip: str):
    form = RatingForm(request.POST, auto_id=AUTO_ID)
    if not form.is_valid():
        return _render(
            request, page, step="rating", form=form, status=HTTPStatus.BAD_REQUEST
        )
    if services.feedback_is_limited(ip=ip, page_id=page.pk):
        return _limited(request, page)
    rating = form.cleaned_data["rating"]
    follow_up = FollowUpForm(
        rating=rating,
        initial={"token": spam.token_issue(page_id=page.pk, rating=rating)},
        auto_id=AUTO_ID,
    )
    return _render(request, page, step="follow_up", form=follow_up, rating=rating)


def _step_follow_up(request, page, ip: str):
    try:
        step = spam.token_read(token=request.POST.get("token", ""), page_id=page.pk)
    except spam.TokenInvalid:
        return _render(
            request,
            page,
            step="rating",
            form=RatingForm(auto_id=AUTO_ID),
            notice=_("This form has expired: rate the page again, please."),
            status=HTTPStatus.BAD_REQUEST,
        )
    form = FollowUpForm(request.POST, rating=step.rating, auto_id=AUTO_ID)
    valid = form.is_valid()
    if valid and spam.too_fast(step):
        logger.info("Page feedback sent too fast on page %s: refused", page.pk)
        form.add_error(
            None,
            _(
                "The form was sent too quickly to be read: check your answers "
                "and send it again."
            ),
        )
        valid = False
    if not valid:
        return _render(
            request,
            page,
            step="follow_up",
            form=form,
            rating=step.rating,
            status=HTTPStatus.BAD_REQUEST,
        )
    try:
        services.feedback_create(
            page=page,
            rating=step.rating,
            reason=form.cleaned_data["reason"],
            comment=form.cleaned_data["comment"],
            ip=ip,
        )
    except services.RateLimited:
        return _limited(request, page)
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return _render(
            request,
            page,
            step="follow_up",
            form=form,
            rating=step.rating,
            status=HTTPStatus.BAD_REQUEST,
        )
    return _thanks(request, page)
