from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .forms import OrganisationRegistrationForm, ProfileForm
from .models import JoinRequest, Membership


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """The account page: name, email, organisations, links to security settings."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(
            user=request.user,
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            language=form.cleaned_data["language"],
        )
        messages.success(request, _("Your profile has been saved."))
        return redirect("account_profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "memberships": selectors.membership_list_for_user(user=request.user),
        },
    )


def _organisation_page():
    return redirect("kit_downloads:organisation")


@login_required
@require_http_methods(["GET", "POST"])
def organisation_register(request):
    """Register an administration (or ask to join it when its IPA code exists)."""
    verified = services.user_has_verified_email(user=request.user)
    memberships = selectors.membership_list_for_user(user=request.user)
    if memberships.exists() and request.method == "GET":
        return _organisation_page()
    initial = {
        "first_name": request.user.first_name,
        "last_name": request.user.last_name,
    }
    form = OrganisationRegistrationForm(request.POST or None, initial=initial)
    if request.method == "POST" and verified and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "accept_licence"}
        try:
            result = services.organisation_register(user=request.user, **data)
        except services.RegistrationError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if result.is_join_request:
                messages.success(
                    request,
                    _(
                        "%(name)s is already registered: we have asked its referente "
                        "to accept you."
                    )
                    % {"name": result.organisation.name},
                )
            else:
                messages.success(
                    request,
                    _(
                        "Thank you: the registration of %(name)s is waiting for "
                        "approval. We will write to you."
                    )
                    % {"name": result.organisation.name},
                )
            return _organisation_page()
    return render(
        request,
        "accounts/organisation_register.html",
        {"form": form, "verified": verified},
        status=200 if verified or request.method == "GET" else 403,
    )


@login_required
@require_POST
def join_request_decide(request, pk: int):
    """The referente accepts or refuses a request to join."""
    join_request = get_object_or_404(JoinRequest, pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.join_request_decide(
            join_request=join_request, by=request.user, approve=approve
        )
    except services.RegistrationError as error:
        if not services.user_can_manage_organisation(
            user=request.user, organisation=join_request.organisation
        ):
            raise PermissionDenied(str(error)) from error
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(user)s has been added.") % {"user": join_request.user}
            if approve
            else _("The request of %(user)s was refused.")
            % {"user": join_request.user},
        )
    return _organisation_page()


@login_required
@require_POST
def membership_remove(request, pk: int):
    """The referente removes a user from the administration."""
    membership = get_object_or_404(Membership, pk=pk)
    try:
        services.membership_remove(membership=membership, by=request.user)
    except services.RegistrationError as error:
        if not services.user_can_manage_organisation(
            user=request.user, organisation=membership.organisation
        ):
            raise PermissionDenied(str(error)) from error
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("%(user)s has been removed.") % {"user": membership.user}
        )
    return _organisation_page()
