"""Admin view: queue a failed or given-up email again ("Retry now")."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import services
from .models import OutboundEmail
from .permissions import outbound_email_policy


@require_http_methods(["GET", "POST"])
def retry(request, pk: int):
    """Confirm, then queue the email again with a fresh set of attempts."""
    if not outbound_email_policy.user_has_permission(request.user, "retry"):
        raise PermissionDenied
    email = get_object_or_404(OutboundEmail, pk=pk)
    if request.method == "POST":
        if services.email_retry(email=email):
            messages.success(request, _("The email has been queued again."))
        else:
            messages.warning(
                request, _("This email is not failed: there is nothing to retry.")
            )
        return redirect("mail_outboundemail:index")
    return TemplateResponse(request, "mail/admin/retry.html", {"email": email})
