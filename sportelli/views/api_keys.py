"""The desk's API keys in its front office: whoever edits the desk (its
manager, the administration's referente, staff) creates keys, sees them
listed and revokes them; operators cannot."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from portal.services import absolute_url

from ..forms import add_service_errors
from ..models import ApiCall, ApiKey
from ..services import api_keys as key_services
from .desks import _desk_for


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("What will use the key"),
        max_length=100,
        help_text=_("For example «SILLA del Comune» or «Gestionale offerte»."),
    )


@login_required
def api_keys(request, slug: str):
    sportello, _access = _desk_for(request, slug, need="edit")
    form = ApiKeyForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            new_key = key_services.api_key_create(
                sportello=sportello, by=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            add_service_errors(form, error, extra=())
        else:
            form = ApiKeyForm()
    keys = key_services.api_key_list_for_desk(sportello=sportello)
    response = render(
        request,
        "sportelli/api_keys.html",
        {
            "sportello": sportello,
            "form": form,
            "keys": keys,
            "new_key": new_key,
            "calls": ApiCall.objects.filter(sportello=sportello)[:20],
            "api_base": absolute_url(reverse("sportelli_api:desk")),
            "docs_url": reverse("sportelli_api:docs"),
            "openapi_url": reverse("sportelli_api:openapi"),
        },
    )
    # The page that shows a new key's secret is never stored anywhere.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def api_key_revoke(request, slug: str, pk: int):
    sportello, _access = _desk_for(request, slug, need="edit")
    key = get_object_or_404(ApiKey, pk=pk, sportello=sportello)
    try:
        key_services.api_key_revoke(key=key, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            gettext("The API key %(prefix)s has been revoked.")
            % {"prefix": key.prefix},
        )
    return redirect("sportelli:api_keys", sportello.slug)
