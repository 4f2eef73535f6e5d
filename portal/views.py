from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from portal.forbidden import forbidden_reason


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    """The 403 page: the reason when it is meant for the visitor, else a
    generic explanation; a login link for anonymous visitors."""
    return render(
        request, "403.html", {"reason": forbidden_reason(exception)}, status=403
    )


def server_error(request):
    """Render the 500 page without context processors or database access.

    Whatever led here may be the database itself, so the template needs nothing
    but static files.
    """
    return HttpResponseServerError(loader.get_template("500.html").render())
